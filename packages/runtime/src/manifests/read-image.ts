/**
 * The image, by digest, a service runs in an environment, read from the files `findDeployment` reports —
 * the inverse of `setImage`: Kustomize `images:` (`newName`/`name`, `newTag`, `digest`), Helm values (the
 * layout's repository/tag/digest paths), Argo CD Applications (inline `kustomize.images`, `helm.parameters`,
 * `helm.values`, `helm.valuesObject`) and workload manifests (`image:` of containers and init containers).
 * What a promotion copies is this image: the one the source environment runs.
 *
 * ```ts
 * readImage('/tmp/gitops', resolveTarget(loadLayout('/tmp/gitops'), 'shop-api', 'dev'));
 * // 'registry.dev.acme.io/shop/shop-api:4f7c2e1@sha256:…'
 * ```
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { RuntimeError } from '../runtime-error.js';
import { findDeployment } from './find-deployment.js';
import type { HelmValuePaths } from './helm-value-paths.js';
import { formatImageRef, tryParseImageRef } from './image-ref.js';
import type { DeployTarget } from './layout.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function at(root: unknown, path: string): string | undefined {
  if (path === '') return undefined;
  let v: unknown = root;
  for (const k of path.split('.')) v = isObj(v) ? v[k] : undefined;
  return str(v);
}

/** `repository`, `tag` and `digest` → a digest reference, or undefined when there is no digest. */
function fromParts(repository: string | undefined, tag: string | undefined, digest: string | undefined): string | undefined {
  if (repository === undefined) return undefined;
  const inTag = tag?.includes('@') ? tryParseImageRef(`${repository}:${tag}`) : undefined;
  const d = digest ?? inTag?.digest;
  if (d === undefined || !/^sha256:[0-9a-f]{64}$/.test(d)) return undefined;
  return formatImageRef({ repository, tag: inTag ? inTag.tag : tag, digest: d });
}

function fromHelm(values: unknown, paths: HelmValuePaths): string | undefined {
  if (paths.ref !== undefined && paths.ref !== '') {
    const ref = at(values, paths.ref);
    const parsed = ref === undefined ? undefined : tryParseImageRef(ref);
    return parsed?.digest ? formatImageRef(parsed) : undefined;
  }
  const registry = paths.registry !== undefined && paths.registry !== '' ? at(values, paths.registry) : undefined;
  const repository = at(values, paths.repository);
  const full = registry !== undefined && repository !== undefined && registry !== '' ? `${registry}/${repository}` : repository;
  return fromParts(full, at(values, paths.tag), paths.digest === '' ? undefined : at(values, paths.digest));
}

function podSpecs(doc: Obj): unknown[] {
  const spec = doc['spec'];
  if (doc['kind'] === 'Pod') return [spec];
  const dig = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);
  if (doc['kind'] === 'CronJob') return [dig(spec, 'jobTemplate', 'spec', 'template', 'spec')];
  return [dig(spec, 'template', 'spec')];
}

/** Every digest reference naming the service's image in one parsed document. */
function imagesIn(doc: unknown, format: string, target: DeployTarget, matches: (repository: string) => boolean): string[] {
  if (!isObj(doc)) return [];
  const out: string[] = [];
  const keep = (ref: string | undefined): void => {
    const parsed = ref === undefined ? undefined : tryParseImageRef(ref);
    if (parsed?.digest && matches(parsed.repository)) out.push(formatImageRef(parsed));
  };
  if (format === 'kustomize') {
    for (const e of Array.isArray(doc['images']) ? doc['images'] : []) {
      if (!isObj(e)) continue;
      const name = str(e['name']);
      const repository = str(e['newName']) ?? name;
      if (!(name && matches(name)) && !(repository && matches(repository))) continue;
      keep(fromParts(repository, str(e['newTag']), str(e['digest'])));
    }
  } else if (format === 'helm-values') {
    keep(fromHelm(doc, target.helm));
  } else if (format === 'argocd-application') {
    const spec = doc['kind'] === 'ApplicationSet' ? ((doc['spec'] as Obj | undefined)?.['template'] as Obj | undefined)?.['spec'] : doc['spec'];
    const s = isObj(spec) ? spec : {};
    for (const source of [s['source'], ...(Array.isArray(s['sources']) ? s['sources'] : [])]) {
      if (!isObj(source)) continue;
      const k = source['kustomize'];
      for (const i of isObj(k) && Array.isArray(k['images']) ? k['images'] : []) {
        const v = str(i);
        if (v !== undefined) keep(v.includes('=') ? v.slice(v.indexOf('=') + 1) : v);
      }
      const helm = source['helm'];
      if (!isObj(helm)) continue;
      if (Array.isArray(helm['parameters'])) {
        const params = Object.fromEntries(helm['parameters'].filter(isObj).map((p) => [str(p['name']) ?? '', str(p['value'])]));
        const p = target.helm;
        keep(fromParts(params[p.repository], params[p.tag], p.digest === '' ? undefined : params[p.digest]));
      }
      const values = str(helm['values']);
      if (values !== undefined) for (const d of parseAllDocuments(values)) keep(fromHelm(d.toJS(), target.helm));
      if (isObj(helm['valuesObject'])) keep(fromHelm(helm['valuesObject'], target.helm));
    }
  } else {
    for (const spec of podSpecs(doc)) {
      if (!isObj(spec)) continue;
      for (const list of ['initContainers', 'containers']) {
        for (const c of Array.isArray(spec[list]) ? spec[list] : []) if (isObj(c)) keep(str(c['image']));
      }
    }
  }
  return out;
}

/**
 * The one image (digest reference) the service runs in the target's environment. Several different ones
 * (the layout's `images` would tell them apart) or none (not deployed by digest yet) are errors.
 */
export function readImage(gitopsDir: string, target: DeployTarget): string {
  const deployment = findDeployment(gitopsDir, target);
  const names = target.images;
  const matches = (repository: string): boolean =>
    names.length === 0 || names.some((n) => n === repository || repository.endsWith(`/${n}`) || n.endsWith(`/${repository}`));
  const found = new Set<string>();
  for (const file of deployment.files) {
    for (const doc of parseAllDocuments(readFileSync(join(gitopsDir, file.path), 'utf8'))) {
      for (const ref of imagesIn(doc.toJS(), file.format, target, matches)) found.add(ref);
    }
  }
  const where = `service "${target.service}" in "${target.env}" (${deployment.files.map((f) => f.path).join(', ')})`;
  if (found.size === 0) {
    throw new RuntimeError('RUN760', `${where}: no image with a sha256 digest is set${names.length ? ` for ${names.join(', ')}` : ''}`, {
      hint: 'the environment is not deployed by digest yet: run its deployment (update-manifests) first, or list the image names under services.<name>.images in the layout file',
    });
  }
  if (found.size > 1) {
    throw new RuntimeError('RUN761', `${where}: expected one image, found ${found.size}: ${[...found].join(', ')}`, {
      hint: 'list the image name(s) of this service under services.<name>.images in the layout file so the others are told apart',
    });
  }
  return [...found][0] as string;
}
