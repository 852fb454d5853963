/**
 * Sets an image, by digest, in one YAML file's text: a Kustomization's `images:`, Helm values, an Argo CD
 * Application / ApplicationSet (inline kustomize images, helm parameters / values / valuesObject), or plain
 * workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, Argo Rollout). Byte-precise: only the
 * characters of the values that change are replaced; everything else in the file stays as it was.
 *
 * ```ts
 * const r = setImage(text, { image: 'reg.io/shop/api:1.4.2@sha256:…', file: 'overlays/dev/kustomization.yaml' });
 * if (r.changed) writeFileSync(path, r.text);
 * ```
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { RuntimeError } from '../runtime-error.js';
import { DEFAULT_HELM_PATHS, helmAssignments } from './helm-value-paths.js';
import type { HelmValuePaths } from './helm-value-paths.js';
import { formatImageRef, matchesImage, parseDigestRef, tryParseImageRef } from './image-ref.js';
import type { ImageRef } from './image-ref.js';
import { appendNameValue, editEmbeddedYaml, nodeAt, pairOf, YamlSource } from './_internal/yaml-source.js';

export type ManifestFormat = 'kustomize' | 'helm-values' | 'argocd-application' | 'workloads';

export interface SetImageOptions {
  /** `repo:tag@sha256:<64 hex>`. */
  readonly image: string;
  /** The file's name, for messages. */
  readonly file?: string;
  /** Image names used in the manifests for this service (default: the new image's repository). */
  readonly names?: readonly string[];
  readonly helm?: HelmValuePaths;
  /** Default: recognised from the content. */
  readonly format?: ManifestFormat;
  /**
   * In an Argo CD Application's `helm.parameters` that set the image: append every value path the image
   * needs that is missing (the repository too, not only the digest), so no part of it stays the chart's.
   */
  readonly completeParameters?: boolean;
}

export interface SetImageResult {
  readonly text: string;
  readonly changed: boolean;
  readonly format: ManifestFormat;
  /** How many places name the image (0: the image is not set in this file). */
  readonly matched: number;
  /** Argo CD `$values/...` files this file refers to (paths relative to the repository root of `$values`). */
  readonly valueFiles: readonly string[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Rollout', 'ReplicaSet', 'Pod']);

/** Recognises what a YAML file is, from its documents. */
export function manifestFormatOf(values: readonly unknown[]): ManifestFormat | undefined {
  const objs = values.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
  // A Kustomization without `kind` is known by its lists (Helm values may hold maps of those names: `resources: {}`).
  const kustomizationList = (o: Record<string, unknown>): boolean => ['resources', 'images', 'bases', 'components'].some((k) => Array.isArray(o[k]));
  if (objs.some((o) => o['kind'] === 'Kustomization' || (o['kind'] === undefined && kustomizationList(o)))) {
    return 'kustomize';
  }
  if (objs.some((o) => (o['kind'] === 'Application' || o['kind'] === 'ApplicationSet') && String(o['apiVersion'] ?? '').startsWith('argoproj.io/'))) {
    return 'argocd-application';
  }
  if (objs.some((o) => typeof o['kind'] === 'string' && WORKLOAD_KINDS.has(o['kind']))) return 'workloads';
  if (objs.length > 0 && objs.every((o) => o['kind'] === undefined)) return 'helm-values';
  return undefined;
}

export function setImage(text: string, options: SetImageOptions): SetImageResult {
  const file = options.file ?? 'manifest';
  const image = parseDigestRef(options.image);
  const src = new YamlSource(file, text);
  const format = options.format ?? manifestFormatOf(src.values());
  if (format === undefined) {
    throw new RuntimeError('RUN711', `"${file}" is neither a Kustomization, Helm values, an Argo CD Application nor a workload manifest`, {
      hint: 'point the layout file at the overlay folder, values file or Application that sets the image',
    });
  }
  const ctx: Ctx = { src, image, names: options.names ?? [], helm: options.helm ?? DEFAULT_HELM_PATHS, matched: 0, valueFiles: [], completeParameters: options.completeParameters === true };
  for (const doc of src.docs) {
    if (!doc.contents) continue;
    if (format === 'kustomize') setInKustomization(ctx, doc);
    else if (format === 'helm-values') setInHelmValues(ctx, doc.contents);
    else if (format === 'argocd-application') setInApplication(ctx, doc);
    else setInWorkloads(ctx, doc);
  }
  return { text: src.checkedResult(), changed: src.changed, format, matched: ctx.matched, valueFiles: ctx.valueFiles };
}

interface Ctx {
  readonly src: YamlSource;
  readonly image: ImageRef & { readonly digest: string };
  readonly names: readonly string[];
  readonly helm: HelmValuePaths;
  matched: number;
  readonly valueFiles: string[];
  readonly completeParameters: boolean;
}

const str = (n: unknown): string | undefined => (isScalar(n) && n.value !== null && n.value !== undefined ? String(n.value) : undefined);

function isTarget(ctx: Ctx, name: string | undefined): boolean {
  if (name === undefined) return false;
  return matchesImage(name, ctx.image, ctx.names) || (ctx.names.length > 0 && matchesImage(name, ctx.image));
}

function setInKustomization(ctx: Ctx, doc: Document.Parsed): void {
  const images = nodeAt(doc, ['images']);
  if (!isSeq(images)) return;
  for (const item of (images as YAMLSeq).items) {
    if (!isMap(item)) continue;
    const entry = item as YAMLMap;
    const name = str(pairOf(entry, 'name')?.value);
    const newName = str(pairOf(entry, 'newName')?.value);
    if (!isTarget(ctx, name) && !isTarget(ctx, newName)) continue;
    ctx.matched++;
    const entries: [string[], string][] = [];
    if ((newName ?? name) !== ctx.image.repository) entries.push([['newName'], ctx.image.repository]);
    if (ctx.image.tag !== undefined) entries.push([['newTag'], ctx.image.tag]);
    entries.push([['digest'], ctx.image.digest]);
    ctx.src.setAll(entry, entries);
    // kustomize renders newTag and digest together (`repo:tag@digest`): a tag left from the image before
    // would name another build beside this one's digest. A reference without a tag removes it.
    if (ctx.image.tag === undefined) ctx.src.removeKey(entry, 'newTag');
  }
}

function setHelmPaths(ctx: Ctx, src: YamlSource, root: YAMLMap): void {
  ctx.matched++;
  src.setAll(root, helmAssignments(ctx.helm, ctx.image).map(([path, value]) => [path.split('.'), value] as const));
}

function setInHelmValues(ctx: Ctx, root: unknown): void {
  if (!isMap(root)) return;
  setHelmPaths(ctx, ctx.src, root as YAMLMap);
}

function setInApplication(ctx: Ctx, doc: Document.Parsed): void {
  const kind = str(nodeAt(doc, ['kind']));
  // An ApplicationSet whose template's spec depends on the generator's element: what it deploys differs by
  // element, so the image is set in the files the generated Application deploys from (find-deployment lists
  // them), never in the template shared by every element.
  if (kind === 'ApplicationSet' && JSON.stringify((doc.toJS() as { spec?: { template?: { spec?: unknown } } } | null)?.spec?.template?.spec ?? {}).includes('{{')) return;
  const spec = kind === 'ApplicationSet' ? nodeAt(doc, ['spec', 'template', 'spec']) : nodeAt(doc, ['spec']);
  if (!isMap(spec)) return;
  const sources: YAMLMap[] = [];
  const single = pairOf(spec as YAMLMap, 'source')?.value;
  if (isMap(single)) sources.push(single as YAMLMap);
  const multi = pairOf(spec as YAMLMap, 'sources')?.value;
  if (isSeq(multi)) for (const s of (multi as YAMLSeq).items) if (isMap(s)) sources.push(s as YAMLMap);
  for (const source of sources) {
    const kustomize = pairOf(source, 'kustomize')?.value;
    const kImages = isMap(kustomize) ? pairOf(kustomize as YAMLMap, 'images')?.value : undefined;
    if (isSeq(kImages)) {
      for (const item of (kImages as YAMLSeq).items) {
        const value = str(item);
        if (value === undefined) continue;
        const eq = value.indexOf('=');
        const left = eq === -1 ? value : value.slice(0, eq);
        const right = eq === -1 ? value : value.slice(eq + 1);
        if (!isTarget(ctx, left) && !isTarget(ctx, tryParseImageRef(right)?.repository)) continue;
        ctx.matched++;
        const wanted = eq === -1 ? formatImageRef(ctx.image) : `${left}=${formatImageRef(ctx.image)}`;
        ctx.src.setScalar(item as Scalar, wanted);
      }
    }
    const helm = pairOf(source, 'helm')?.value;
    if (!isMap(helm)) continue;
    const helmMap = helm as YAMLMap;
    const parameters = pairOf(helmMap, 'parameters')?.value;
    if (isSeq(parameters)) {
      const assignments = new Map(helmAssignments(ctx.helm, ctx.image));
      let hit = false;
      const seen = new Set<string>();
      for (const p of (parameters as YAMLSeq).items) {
        if (!isMap(p)) continue;
        const name = str(pairOf(p as YAMLMap, 'name')?.value);
        const wanted = name === undefined ? undefined : assignments.get(name);
        if (name === undefined || wanted === undefined) continue;
        hit = true;
        seen.add(name);
        ctx.src.setIn(p as YAMLMap, ['value'], wanted);
      }
      if (hit) {
        ctx.matched++;
        // The image is set by parameters: the digest must be one too, or the deployment stays on a tag.
        if (ctx.completeParameters) {
          for (const [path, value] of assignments) if (!seen.has(path)) appendNameValue(ctx.src, parameters as YAMLSeq, path, value);
        } else {
          const digestPath = ctx.helm.digest;
          if (digestPath !== '' && !seen.has(digestPath)) appendNameValue(ctx.src, parameters as YAMLSeq, digestPath, ctx.image.digest);
        }
      }
    }
    const values = pairOf(helmMap, 'values')?.value;
    if (isScalar(values) && typeof values.value === 'string') {
      ctx.matched++;
      editEmbeddedYaml(ctx.src, values as Scalar, (inner) => {
        const root = inner.docs[0]?.contents;
        if (!isMap(root)) {
          throw new RuntimeError('RUN712', `"${ctx.src.file}": helm.values is expected to hold a YAML map`, { hint: 'write the values as a map under "values: |"' });
        }
        inner.setAll(root as YAMLMap, helmAssignments(ctx.helm, ctx.image).map(([path, value]) => [path.split('.'), value] as const));
        return inner.changed;
      });
    }
    const valuesObject = pairOf(helmMap, 'valuesObject')?.value;
    if (isMap(valuesObject)) setHelmPaths(ctx, ctx.src, valuesObject as YAMLMap);
    const valueFiles = pairOf(helmMap, 'valueFiles')?.value;
    if (isSeq(valueFiles)) {
      for (const f of (valueFiles as YAMLSeq).items) {
        const v = str(f);
        if (v?.startsWith('$values/')) ctx.valueFiles.push(v.slice('$values/'.length));
      }
    }
  }
}

function podSpecPaths(kind: string | undefined): (string | number)[][] {
  if (kind === 'CronJob') return [['spec', 'jobTemplate', 'spec', 'template', 'spec']];
  if (kind === 'Pod') return [['spec']];
  return [['spec', 'template', 'spec']];
}

function setInWorkloads(ctx: Ctx, doc: Document.Parsed): void {
  const kind = str(nodeAt(doc, ['kind']));
  if (kind === undefined || !WORKLOAD_KINDS.has(kind)) return;
  for (const path of podSpecPaths(kind)) {
    for (const list of ['initContainers', 'containers']) {
      const containers = nodeAt(doc, [...path, list]);
      if (!isSeq(containers)) continue;
      for (const c of (containers as YAMLSeq).items) {
        if (!isMap(c)) continue;
        const imagePair = pairOf(c as YAMLMap, 'image');
        const current = str(imagePair?.value);
        if (!isTarget(ctx, current)) continue;
        ctx.matched++;
        ctx.src.setIn(c as YAMLMap, ['image'], formatImageRef(ctx.image));
      }
    }
  }
}
