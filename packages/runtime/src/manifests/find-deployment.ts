/**
 * How a service is deployed in an environment of a GitOps checkout: a Kustomize overlay, Helm values, an
 * Argo CD Application / ApplicationSet, or plain workload manifests — and which files set its image.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { RuntimeError } from '../runtime-error.js';
import type { DeployTarget } from './layout.js';
import { manifestFormatOf } from './set-image.js';
import type { ManifestFormat } from './set-image.js';
import { assertInside, assertNoSymlink } from './safe-path.js';
import { YamlSource } from './_internal/yaml-source.js';

export type DeploymentKind = 'kustomize' | 'helm' | 'argocd-application' | 'plain';

export interface DeploymentFile {
  /** Relative to the GitOps repository root, with `/`. */
  readonly path: string;
  readonly format: ManifestFormat;
}

export interface Deployment {
  readonly kind: DeploymentKind;
  readonly files: readonly DeploymentFile[];
}

const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const isYaml = (name: string): boolean => /\.ya?ml$/.test(name);

/** A file parsed (RUN700, with its line and column, when it is not valid YAML: update-manifests could not edit it). */
function parsed(root: string, rel: string): YamlSource {
  return new YamlSource(rel, readFileSync(join(root, rel), 'utf8'));
}

function formatOfFile(root: string, rel: string): ManifestFormat | undefined {
  return manifestFormatOf(parsed(root, rel).values());
}

const kindOf: Record<ManifestFormat, DeploymentKind> = {
  kustomize: 'kustomize',
  'helm-values': 'helm',
  'argocd-application': 'argocd-application',
  workloads: 'plain',
};

export function findDeployment(gitopsDir: string, target: DeployTarget): Deployment {
  const full = assertInside(gitopsDir, target.path, `path of service "${target.service}" in "${target.env}"`);
  assertNoSymlink(gitopsDir, target.path, `path of service "${target.service}" in "${target.env}"`);
  if (!existsSync(full)) {
    throw new RuntimeError('RUN724', `"${target.path}" (service "${target.service}", environment "${target.env}") does not exist in the GitOps repository`, {
      hint: 'create the overlay (or values file) first, or fix its path in the layout file',
    });
  }
  const rel = target.path.replace(/\\/g, '/').replace(/\/+$/, '');
  if (statSync(full).isFile()) {
    const format = formatOfFile(gitopsDir, rel);
    if (format === undefined) {
      throw new RuntimeError('RUN725', `"${rel}" (service "${target.service}", environment "${target.env}") is not a Kustomization, Helm values, Argo CD Application or workload manifest`, {
        hint: 'point the layout at the file that sets the image',
      });
    }
    return { kind: kindOf[format], files: [{ path: rel, format }, ...argoValueFiles(gitopsDir, rel, format)] };
  }
  const names = readdirSync(full).sort();
  const k = KUSTOMIZATION.find((n) => names.includes(n));
  if (k) {
    const path = posix.join(rel, k);
    parsed(gitopsDir, path);
    return { kind: 'kustomize', files: [{ path, format: 'kustomize' }] };
  }
  const yamls = names.filter((n) => isYaml(n) && statSync(join(full, n)).isFile()).map((n) => posix.join(rel, n));
  const formats = yamls.map((p) => ({ path: p, format: formatOfFile(gitopsDir, p) }));
  const apps = formats.filter((f): f is DeploymentFile => f.format === 'argocd-application');
  if (apps.length > 0) return { kind: 'argocd-application', files: apps.flatMap((a) => [a, ...argoValueFiles(gitopsDir, a.path, a.format)]) };
  const values = yamls.filter((p) => /^values.*\.ya?ml$/.test(basename(p)));
  if (values.length > 0) {
    const preferred = values.find((p) => new RegExp(`^values[-.]${target.env}\\.ya?ml$`).test(basename(p))) ?? values.find((p) => /^values\.ya?ml$/.test(basename(p))) ?? values[0];
    if (preferred !== undefined) return { kind: 'helm', files: [{ path: preferred, format: 'helm-values' }] };
  }
  const workloads = formats.filter((f): f is DeploymentFile => f.format === 'workloads');
  if (workloads.length > 0) return { kind: 'plain', files: workloads };
  throw new RuntimeError('RUN726', `"${rel}" (service "${target.service}", environment "${target.env}") holds no kustomization.yaml, Argo CD Application, values*.yaml or workload manifest`, {
    hint: 'point the layout at the overlay folder, the values file or the Application of this service',
  });
}

/** `$values/...` files an Application refers to (they live in this repository). */
function argoValueFiles(root: string, rel: string, format: ManifestFormat): DeploymentFile[] {
  if (format !== 'argocd-application') return [];
  const out: DeploymentFile[] = [];
  for (const doc of parsed(root, rel).values()) {
    for (const f of valueFilesOf(doc)) {
      assertInside(root, f, `$values file of "${rel}"`);
      if (!existsSync(join(root, f))) continue;
      assertNoSymlink(root, f, `$values file of "${rel}"`);
      parsed(root, f);
      out.push({ path: f, format: 'helm-values' });
    }
  }
  return out;
}

function valueFilesOf(doc: unknown): string[] {
  const o = doc as { kind?: unknown; spec?: { source?: unknown; sources?: unknown; template?: { spec?: { source?: unknown; sources?: unknown } } } } | null;
  if (!o || typeof o !== 'object') return [];
  const spec = o.kind === 'ApplicationSet' ? o.spec?.template?.spec : o.spec;
  const sources = [spec?.source, ...(Array.isArray(spec?.sources) ? spec.sources : [])];
  const out: string[] = [];
  for (const s of sources) {
    const files = (s as { helm?: { valueFiles?: unknown } } | undefined)?.helm?.valueFiles;
    if (!Array.isArray(files)) continue;
    for (const f of files) if (typeof f === 'string' && f.startsWith('$values/')) out.push(f.slice('$values/'.length));
  }
  return out;
}
