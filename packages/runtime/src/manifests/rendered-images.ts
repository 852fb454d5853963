/**
 * What rendered objects run: every container and init container of the workloads (Deployment, StatefulSet,
 * DaemonSet, Job, CronJob, Argo Rollout, ReplicaSet, Pod), and which of them are the service's — by the new
 * image's repository or digest, the layout's image names, or the image's base name — and whether those run
 * exactly the new reference: the same repository and digest, and the same tag when a tag is shown.
 *
 * ```ts
 * const check = checkRenderedImages(objects, parseDigestRef(image), target.images);
 * check.wrong; // the service's containers that do not run the new image
 * ```
 */
import { imageBaseName, tryParseImageRef } from './image-ref.js';
import type { ImageRef } from './image-ref.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout', 'ReplicaSet', 'Pod']);

export interface RenderedContainer {
  /** `Deployment/shop-api` */
  readonly workload: string;
  readonly container: string;
  readonly image: string;
}

export interface RenderCheck {
  /** How many objects were rendered. */
  readonly objects: number;
  readonly containers: readonly RenderedContainer[];
  /** The service's containers. */
  readonly service: readonly RenderedContainer[];
  /** The service's containers that do not run the new reference. */
  readonly wrong: readonly RenderedContainer[];
  /** Argo CD Applications rendered (an app of apps deploys the service through one of them). */
  readonly applications: readonly string[];
}

const dig = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);

export function renderedContainers(objects: readonly unknown[]): RenderedContainer[] {
  const out: RenderedContainer[] = [];
  for (const o of objects) {
    if (!isObj(o) || typeof o['kind'] !== 'string' || !WORKLOADS.has(o['kind'])) continue;
    const kind = o['kind'];
    const workload = `${kind}/${String(dig(o, 'metadata', 'name') ?? '?')}`;
    const spec = kind === 'Pod' ? o['spec'] : kind === 'CronJob' ? dig(o, 'spec', 'jobTemplate', 'spec', 'template', 'spec') : dig(o, 'spec', 'template', 'spec');
    if (!isObj(spec)) continue;
    for (const list of ['initContainers', 'containers']) {
      const items = spec[list];
      if (!Array.isArray(items)) continue;
      for (const c of items) {
        if (isObj(c) && typeof c['image'] === 'string') out.push({ workload, container: String(c['name'] ?? '?'), image: c['image'] });
      }
    }
  }
  return out;
}

/** Whether a rendered image runs exactly `image`: same repository and digest, and its tag if it shows one. */
export function runsExactly(rendered: string, image: ImageRef & { readonly digest: string }): boolean {
  const r = tryParseImageRef(rendered);
  return r !== undefined && r.repository === image.repository && r.digest === image.digest && (r.tag === undefined || r.tag === image.tag);
}

/** Whether a rendered image is the service's (the one the new image replaces). */
export function isServiceImage(rendered: string, image: ImageRef & { readonly digest: string }, names: readonly string[]): boolean {
  if (rendered.includes(image.digest)) return true;
  const repo = tryParseImageRef(rendered)?.repository ?? rendered.split(/[:@]/)[0] ?? rendered;
  if (repo === image.repository) return true;
  if (names.some((n) => n === repo || repo.endsWith(`/${n}`) || n.endsWith(`/${repo}`))) return true;
  return imageBaseName(repo) === imageBaseName(image.repository);
}

export function checkRenderedImages(objects: readonly unknown[], image: ImageRef & { readonly digest: string }, names: readonly string[]): RenderCheck {
  const containers = renderedContainers(objects);
  const service = containers.filter((c) => isServiceImage(c.image, image, names));
  const applications = objects.filter((o) => isObj(o) && o['kind'] === 'Application').map((o) => String(dig(o, 'metadata', 'name') ?? '?'));
  return { objects: objects.length, containers, service, wrong: service.filter((c) => !runsExactly(c.image, image)), applications };
}
