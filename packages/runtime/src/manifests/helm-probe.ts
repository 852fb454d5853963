/**
 * Finds, by rendering, which Helm values a chart builds a container's image from — for charts that do not
 * read `image.repository` / `image.tag` / `image.digest` (umbrella charts: `wordpress.image.*`; charts
 * reading `images.repository`; charts that render `repository:tag` and no digest). The values the chart sees
 * (its values.yaml and its vendored subcharts', folders or `charts/*.tgz` archives, then the given value files, inline values and parameters)
 * are walked; every plain value that appears in the rendered image, and its siblings, is set to a distinct
 * probe word in one `helm template` run, and the probe words found in the image give its template, e.g.
 * `{wordpress.image.registry}/{wordpress.image.repository}:{wordpress.image.tag}`. Candidate value paths are
 * derived from it; the caller writes each and keeps the first that renders the new image (proof by render).
 *
 * ```ts
 * const probe = await probeImageValues(spec, wrong);
 * probe.template;   // '{image.repository}:{image.tag}'
 * probe.candidates; // [{ repository: 'image.repository', tag: 'image.tag', digest: '' }]
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { chartValues, mergeValues as merge, parseYamlValues } from './_internal/chart-values.js';
import type { HelmValuePaths } from './helm-value-paths.js';
import { renderObjects } from './render-deployment.js';
import type { HelmSpec } from './render-deployment.js';
import { renderedContainers } from './rendered-images.js';
import type { RenderedContainer } from './rendered-images.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ImageProbe {
  /** The container probed. */
  readonly container: RenderedContainer;
  /** How the chart builds the image: literal text and `{value.path}`; undefined when no value reaches it. */
  readonly template: string | undefined;
  /** The value paths in the image, in order. */
  readonly paths: readonly string[];
  /** Value paths to try, best first. */
  readonly candidates: readonly HelmValuePaths[];
}

const readYaml = (path: string): unknown => parseYamlValues(existsSync(path) ? readFileSync(path, 'utf8') : undefined);

function setPath(root: Obj, path: string, value: string): void {
  const keys = path.split('.');
  let o = root;
  for (const k of keys.slice(0, -1)) {
    if (!isObj(o[k])) o[k] = {};
    o = o[k] as Obj;
  }
  o[keys[keys.length - 1] ?? ''] = value;
}

/** The values the chart sees for this spec. */
export function effectiveValues(spec: HelmSpec): Obj {
  const values = chartValues(spec.chartDir, spec.chartName ?? spec.chartDir);
  for (const layer of spec.layers) {
    if (layer.kind === 'file') merge(values, readYaml(layer.path));
    else if (layer.kind === 'values') merge(values, layer.values);
    else setPath(values, layer.name, layer.value);
  }
  return values;
}

type Leaf = readonly [path: readonly string[], value: string | number | null];

function leaves(o: Obj, prefix: readonly string[] = []): Leaf[] {
  const out: Leaf[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (isObj(v)) out.push(...leaves(v, [...prefix, k]));
    else if (typeof v === 'string' || typeof v === 'number' || v === null) out.push([[...prefix, k], v]);
  }
  return out;
}

/** A `--set-string` key: dots, commas, equal signs and brackets in a key are escaped. */
const setKey = (path: readonly string[]): string => path.map((k) => k.replace(/([.,=[\]\\])/g, '\\$1')).join('.');

const PROBE = /argotsprobe(\d+)x/g;

function classify(path: string): 'registry' | 'repository' | 'tag' | 'digest' | undefined {
  const key = (path.split('.').pop() ?? '').toLowerCase();
  if (/registry|host/.test(key)) return 'registry';
  if (/digest|sha/.test(key)) return 'digest';
  if (/tag|version/.test(key)) return 'tag';
  if (/repo|image|name/.test(key)) return 'repository';
  return undefined;
}

/**
 * Probes the chart for the image of `container` (one `helm template`). Undefined when the probe render no
 * longer has that container.
 */
export async function probeImageValues(spec: HelmSpec, container: RenderedContainer): Promise<ImageProbe | undefined> {
  const all = leaves(effectiveValues(spec));
  const parentOf = (p: readonly string[]): string => p.slice(0, -1).join('\0');
  // Matched without the digest: short numbers (a port, a percentage) are found in 64 hex digits by chance.
  const shown = container.image.replace(/@sha256:[0-9a-f]{64}$/, '');
  const inImage = all.filter(([, v]) => v !== null && String(v).length >= 2 && shown.includes(String(v)));
  const parents = new Set(inImage.map(([p]) => parentOf(p)));
  const probed = all.filter(([p]) => inImage.some(([q]) => q === p) || parents.has(parentOf(p)));
  const paths = probed.map(([p]) => p);
  const args = paths.flatMap((p, i) => ['--set-string', `${setKey(p)}=argotsprobe${i}x`]);
  const objects = await renderObjects(spec, args);
  const rendered = renderedContainers(objects);
  const same = rendered.find((c) => c.workload === container.workload && c.container === container.container) ?? rendered.find((c) => c.image.includes('argotsprobe'));
  if (!same) return undefined;
  const used: string[] = [];
  const template = same.image.replace(PROBE, (_, i: string) => {
    const path = (paths[Number(i)] ?? []).join('.');
    used.push(path);
    return `{${path}}`;
  });
  if (used.length === 0) return { container, template: undefined, paths: [], candidates: [] };
  if (used.length === 1 && template === `{${used[0]}}`) {
    return { container, template, paths: used, candidates: [{ ref: used[0] ?? '', repository: '', tag: '', digest: '' }] };
  }
  const of = (kind: string): string | undefined => used.find((p) => classify(p) === kind);
  // A digest value that is set replaces the tag in some charts; siblings not shown are still candidates.
  const siblings = probed.map(([p]) => p.join('.')).filter((p) => used.some((u) => u.slice(0, u.lastIndexOf('.')) === p.slice(0, p.lastIndexOf('.'))));
  const repository = of('repository');
  if (repository === undefined) return { container, template, paths: used, candidates: [] };
  const registry = of('registry');
  const tag = of('tag') ?? siblings.find((p) => classify(p) === 'tag');
  const digest = of('digest') ?? siblings.find((p) => classify(p) === 'digest');
  const base = { repository, tag: tag ?? '', ...(registry !== undefined ? { registry } : {}) };
  const candidates: HelmValuePaths[] = [];
  if (digest !== undefined) candidates.push({ ...base, digest });
  if (tag !== undefined) candidates.push({ ...base, digest: '' });
  return { container, template, paths: used, candidates };
}
