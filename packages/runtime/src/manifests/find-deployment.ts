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
import { generatedApplication, isTemplatedApplicationSet } from './application-set.js';

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
    return { kind: kindOf[format], files: [{ path: rel, format }, ...argoValueFiles(gitopsDir, rel, format, target)] };
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
  if (apps.length > 0) return { kind: 'argocd-application', files: apps.flatMap((a) => [a, ...argoValueFiles(gitopsDir, a.path, a.format, target)]) };
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

/**
 * `$values/...` files an Application refers to (they live in this repository). For a templated ApplicationSet,
 * those of the Application it generates for the target, and the files in this repository that Application
 * deploys from (its Kustomize overlay, its chart's value files): the template is shared by every environment,
 * so the image is set there, never in the template.
 */
function argoValueFiles(root: string, rel: string, format: ManifestFormat, target: DeployTarget): DeploymentFile[] {
  if (format !== 'argocd-application') return [];
  const out: DeploymentFile[] = [];
  for (const given of parsed(root, rel).values()) {
    const generated = isTemplatedApplicationSet(given) ? generatedApplication(given, target, rel) : undefined;
    const doc = generated ?? given;
    if (generated !== undefined) out.push(...generatedSourceFiles(root, rel, generated));
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

/** The overlay or value files, in this repository, that a generated Application's path sources deploy from. */
function generatedSourceFiles(root: string, rel: string, app: Record<string, unknown>): DeploymentFile[] {
  const spec = app['spec'] as { source?: unknown; sources?: unknown } | undefined;
  const sources = [spec?.source, ...(Array.isArray(spec?.sources) ? spec.sources : [])];
  const out: DeploymentFile[] = [];
  for (const s of sources) {
    const source = s as { path?: unknown; chart?: unknown; helm?: { valueFiles?: unknown } } | undefined;
    if (typeof source?.path !== 'string' || source.chart !== undefined) continue;
    const dir = source.path.replace(/^\.\/?/, '').replace(/\/+$/, '') || '.';
    const full = assertInside(root, dir, `path of the Application generated by "${rel}"`);
    if (!existsSync(full) || !statSync(full).isDirectory()) continue;
    assertNoSymlink(root, dir, `path of the Application generated by "${rel}"`);
    const names = readdirSync(full);
    const k = KUSTOMIZATION.find((n) => names.includes(n));
    if (k !== undefined) {
      out.push({ path: posix.join(dir, k), format: 'kustomize' });
      continue;
    }
    if (!names.includes('Chart.yaml')) continue;
    const valueFiles = Array.isArray(source.helm?.valueFiles) ? source.helm.valueFiles.filter((f): f is string => typeof f === 'string' && !f.startsWith('$')) : [];
    for (const f of valueFiles.length > 0 ? valueFiles : ['values.yaml']) {
      const path = posix.normalize(posix.join(dir, f));
      assertInside(root, path, `value file of the Application generated by "${rel}"`);
      if (!existsSync(join(root, path))) continue;
      assertNoSymlink(root, path, `value file of the Application generated by "${rel}"`);
      parsed(root, path);
      out.push({ path, format: 'helm-values' });
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
