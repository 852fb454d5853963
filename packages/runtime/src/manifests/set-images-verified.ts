/**
 * After editing, render: sets each service's image in a GitOps checkout (as `setImagesInRepository`), then
 * renders what its environment deploys (`kubectl kustomize`, `helm template` with the Argo CD Application's
 * value files, values and parameters) and requires every workload container of the service to run exactly
 * the new reference (repository and digest, and its tag when one is shown). When a Helm chart does not
 * render the layout's value paths (a chart reading `repository`/`tag` only, an umbrella chart's
 * `wordpress.image`, `images.repository`, an Application parameter setting only the tag), the values that
 * do reach the image are found by a probe render and written instead — kept only when a render proves them.
 * Anything else is refused (RUN772/RUN773/RUN774) naming what renders instead and the value that would have
 * to change, and every file is put back as it was: nothing is written.
 *
 * ```ts
 * const r = await setImagesVerified('/tmp/gitops', loadLayout('/tmp/gitops'), [{ service: 'web', env: 'dev', image }], { gitopsUrl });
 * r.files; // changed files, relative to the root
 * ```
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { RuntimeError } from '../runtime-error.js';
import { findDeployment } from './find-deployment.js';
import type { Deployment } from './find-deployment.js';
import { probeImageValues } from './helm-probe.js';
import type { ImageProbe } from './helm-probe.js';
import { formatImageRef, parseDigestRef, tryParseImageRef } from './image-ref.js';
import type { ImageRef } from './image-ref.js';
import { resolveTarget } from './layout.js';
import type { DeployTarget, Layout } from './layout.js';
import { renderDependencies, renderObjects, renderSpecs } from './render-deployment.js';
import type { RenderContext, RenderSpec } from './render-deployment.js';
import { checkRenderedImages } from './rendered-images.js';
import type { RenderedContainer } from './rendered-images.js';
import { editTarget, writeTexts } from './set-image-in-repository.js';
import type { EditChoice, ImageUpdate, SetImagesResult } from './set-image-in-repository.js';

export interface SetImagesVerifiedOptions {
  /** The GitOps repository's URL: Application sources naming it are rendered from the checkout. */
  readonly gitopsUrl?: string | undefined;
  readonly log?: (message: string) => void;
  /**
   * Renders proven on an earlier attempt (a push retried after others' commits), with the checkout's commit
   * now and what changed since a commit: an update whose edit is the same and whose rendered paths nobody
   * changed is not rendered again.
   */
  readonly memo?: RenderMemo | undefined;
  readonly head?: string | undefined;
  readonly changedSince?: ((commit: string) => Promise<readonly string[]>) | undefined;
}

/** What was proven by rendering, per service, environment and image (kept across the attempts of one push). */
export class RenderMemo {
  readonly entries = new Map<string, { readonly head: string; readonly deps: readonly string[]; readonly choice: EditChoice; readonly texts: ReadonlyMap<string, string> }>();
}

const within = (path: string, dep: string): boolean => dep === '.' || path === dep || path.startsWith(`${dep}/`);

type Digested = ImageRef & { readonly digest: string };

interface Checked {
  readonly spec: RenderSpec;
  readonly objects: number;
  readonly service: readonly RenderedContainer[];
  readonly wrong: readonly RenderedContainer[];
  readonly applications: readonly string[];
  readonly images: readonly string[];
}

async function checkAll(ctx: RenderContext, image: Digested, deps?: string[][]): Promise<Checked[]> {
  const out: Checked[] = [];
  for (const spec of await renderSpecs(ctx)) {
    deps?.push(renderDependencies(spec, ctx.gitopsDir) ?? ['.']);
    const objects = await renderObjects(spec);
    const c = checkRenderedImages(objects, image, ctx.target.images);
    out.push({ spec, objects: c.objects, service: c.service, wrong: c.wrong, applications: c.applications, images: [...new Set(c.containers.map((x) => x.image))] });
  }
  return out;
}

/** Proven: no container of the service runs anything else, and something runs it unless nothing is rendered at all. */
function proven(checks: readonly Checked[]): boolean {
  const objects = checks.reduce((n, c) => n + c.objects, 0);
  return checks.every((c) => c.wrong.length === 0) && (objects === 0 || checks.some((c) => c.service.length > 0));
}

export async function setImagesVerified(gitopsDir: string, layout: Layout, updates: readonly ImageUpdate[], options: SetImagesVerifiedOptions = {}): Promise<SetImagesResult> {
  const originals = new Map<string, string>();
  const deployments: (Deployment & ImageUpdate)[] = [];
  const work = mkdtempSync(join(tmpdir(), 'argots-render-'));
  try {
    for (const update of updates) {
      const target = resolveTarget(layout, update.service, update.env);
      const image = parseDigestRef(update.image, `image of service "${update.service}"`);
      const deployment = findDeployment(gitopsDir, target);
      const before = new Map(deployment.files.map((f) => [f.path, readFileSync(join(gitopsDir, f.path), 'utf8')] as const));
      for (const [p, t] of before) if (!originals.has(p)) originals.set(p, t);
      const restore = (): void => {
        for (const [p, t] of before) writeFileSync(join(gitopsDir, p), t);
      };
      const apply = (choice: EditChoice): void => {
        const texts = new Map<string, { before: string; after: string }>();
        editTarget(gitopsDir, target, update, texts, choice);
        writeTexts(gitopsDir, texts);
      };
      deployments.push({ ...deployment, ...update });
      const key = `${update.service}\0${update.env}\0${update.image}`;
      const deps: string[][] = [[layout.file, ...deployment.files.map((f) => f.path)]];
      const remember = (choice: EditChoice): void => {
        if (options.memo === undefined || options.head === undefined) return;
        const texts = new Map(deployment.files.map((f) => [f.path, readFileSync(join(gitopsDir, f.path), 'utf8')] as const));
        options.memo.entries.set(key, { head: options.head, deps: deps.flat(), choice, texts });
      };
      const known = options.memo?.entries.get(key);
      if (known && target.render && options.changedSince) {
        const changed = await options.changedSince(known.head).catch(() => ['.']);
        if (!changed.some((p) => known.deps.some((d) => within(p, d)))) {
          apply(known.choice);
          if (deployment.files.every((f) => known.texts.get(f.path) === readFileSync(join(gitopsDir, f.path), 'utf8'))) {
            options.log?.(`${update.service} in ${update.env}: nothing it renders from changed since ${known.head.slice(0, 12)}, where the same edit was proven; not rendered again`);
            continue;
          }
          restore();
        }
      }
      apply({});
      if (!target.render) {
        options.log?.(`${update.service} in ${update.env}: not rendered (render: false in the layout)`);
        continue;
      }
      const ctx: RenderContext = { gitopsDir, target, deployment, work, gitopsUrl: options.gitopsUrl };
      const first = await checkAll(ctx, image, deps);
      if (proven(first)) {
        if (first.every((c) => c.objects === 0)) options.log?.(`${update.service} in ${update.env}: renders no objects; nothing to check`);
        remember({});
        continue;
      }
      const wrong = first.flatMap((c) => c.wrong);
      const helmFailing = first.filter((c) => c.wrong.length > 0 && c.spec.kind === 'helm');
      let probe: ImageProbe | undefined;
      if (wrong.length > 0 && helmFailing.length === first.filter((c) => c.wrong.length > 0).length && (deployment.kind === 'helm' || deployment.kind === 'argocd-application')) {
        // Find the values the chart builds the image from, in the files as they were, and try them.
        restore();
        const failing = helmFailing[0];
        const original = (await renderSpecs(ctx)).find((s) => s.what === failing?.spec.what);
        const container = failing?.wrong[0];
        if (original?.kind === 'helm' && container) {
          // A chart that fails with probe words in its values (a schema, a value it computes with) cannot be probed.
          probe = await probeImageValues(original, container).catch((e: unknown) => {
            if (e instanceof RuntimeError && e.code === 'RUN771') return undefined;
            throw e;
          });
        }
        let done = false;
        for (const helm of probe?.candidates ?? []) {
          restore();
          try {
            apply({ helm, completeParameters: true });
          } catch (e) {
            if (e instanceof RuntimeError && e.code === 'RUN727') continue;
            throw e;
          }
          if (proven(await checkAll(ctx, image, deps))) {
            options.log?.(`${update.service} in ${update.env}: the chart builds the image as ${probe?.template ?? '?'}; set ${describe(helm)} (proven by rendering)`);
            remember({ helm, completeParameters: true });
            done = true;
            break;
          }
        }
        if (done) continue;
        restore();
      }
      restore();
      throw refusal(gitopsDir, target, deployment, image, first, probe);
    }
    const files = [...originals].filter(([p, t]) => readFileSync(join(gitopsDir, p), 'utf8') !== t).map(([p]) => p).sort();
    return { files, deployments };
  } catch (e) {
    for (const [p, t] of originals) writeFileSync(join(gitopsDir, p), t);
    throw e;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function describe(helm: EditChoice['helm']): string {
  if (!helm) return '';
  if (helm.ref) return helm.ref;
  return [helm.registry, helm.repository, helm.tag, helm.digest].filter((p) => p !== undefined && p !== '').join(', ') + (helm.digest === '' ? ' (tag@digest)' : '');
}

/** Where a literal image is written in the checkout's YAML files (`file:line`), at most three places. */
function whereWritten(root: string, literal: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (found.length >= 3 || name === '.git') continue;
      const full = join(dir, name);
      const st = statSync(full, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(name) && st.size < 1 << 20) {
        const lines = readFileSync(full, 'utf8').split('\n');
        const i = lines.findIndex((l) => l.includes(literal));
        if (i !== -1) found.push(`${relative(root, full)}:${i + 1}`);
      }
    }
  };
  walk(root);
  return found;
}

function refusal(root: string, target: DeployTarget, deployment: Deployment, image: Digested, checks: readonly Checked[], probe: ImageProbe | undefined): RuntimeError {
  const expected = formatImageRef(image);
  const who = `service "${target.service}" in "${target.env}"`;
  const files = deployment.files.map((f) => f.path).join(', ');
  const wrong = checks.flatMap((c) => c.wrong.map((w) => ({ ...w, spec: c.spec })));
  if (wrong.length === 0) {
    const apps = checks.flatMap((c) => c.applications);
    const images = [...new Set(checks.flatMap((c) => c.images))];
    const what = apps.length > 0
      ? `it renders the Argo CD Applications ${apps.map((a) => `"${a}"`).join(', ')} (an app of apps), which deploy the service from their own sources`
      : images.length > 0 ? `its workloads run ${images.map((i) => `"${i}"`).join(', ')}` : 'it renders no workload';
    return new RuntimeError('RUN773', `${who}: after editing ${files}, no workload that renders runs the new image "${expected}": ${what}; nothing was written`, {
      hint: apps.length > 0
        ? `point the layout (services.${target.service}.environments.${target.env}) at the Application or values file of the child application that deploys ${target.service}`
        : `list the image name the manifests use under services.${target.service}.images in the layout file, or point the layout at the folder or Application that deploys the service`,
    });
  }
  const shown = wrong.slice(0, 3).map((w) => `${w.workload} container "${w.container}" renders "${w.image}"`).join('; ');
  const first = wrong[0];
  let cause: string;
  let hint: string;
  if (first?.spec.kind === 'helm') {
    if (probe?.template === undefined) {
      cause = `no value of ${first.spec.what} reaches this image (the chart's templates write it)`;
      hint = `change the chart to read the image from its values, or point the layout at the values the service's image comes from`;
    } else {
      const paths = probe.paths.join(', ');
      cause = `the chart builds the image as "${probe.template}", and no setting of ${paths} the chart accepts renders "${expected}"${probe.candidates.length === 0 ? ' (it has no repository value)' : ''}`;
      hint = `change ${paths} (in ${files}, or the chart's templates) so that the chart renders "${expected}"; value paths other than image.* go under services.${target.service}.helm in the layout file (registry, repository, tag, digest, or ref for a whole reference)`;
    }
  } else {
    const literal = first?.image ?? '';
    const parsed = tryParseImageRef(literal);
    const places = whereWritten(root, literal);
    const at = places.length > 0 ? places : parsed ? whereWritten(root, parsed.repository) : [];
    cause = at.length > 0 ? `"${literal}" is set in ${at.join(', ')}, which overrides the edited ${files}` : `something rendered after ${files} (a patch, a component or a later overlay) sets it`;
    hint = at.length > 0 ? `change the image at ${at[0]} (or remove the patch) so that ${files} decides it, or point the layout at that file` : `find what sets the image with "kubectl kustomize" and point the layout at it`;
  }
  return new RuntimeError('RUN772', `${who}: after editing ${files}, ${shown}, not "${expected}": ${cause}; nothing was written`, { hint });
}
