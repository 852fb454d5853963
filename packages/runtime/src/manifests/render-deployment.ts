/**
 * Renders a service's deployment as Argo CD would, so what it runs can be checked after an edit:
 * `kubectl kustomize` for a Kustomize folder, `helm template` for a chart folder's values, and for an Argo CD
 * Application each source it deploys (a chart folder of this repository or of a chart repository, with the
 * Application's `valueFiles`, `values` / `valuesObject` and `parameters`; a Kustomize folder with its
 * `kustomize.images`; a folder of manifests). Plain workload files are read as they are. Only the touched
 * deployment is rendered: one tool process per source.
 *
 * ```ts
 * const specs = await renderSpecs({ gitopsDir, target, deployment, work });
 * const objects = await renderObjects(specs[0]);
 * ```
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { RuntimeError } from '../runtime-error.js';
import type { Deployment } from './find-deployment.js';
import type { DeployTarget } from './layout.js';
import { generatedApplication } from './application-set.js';
import { renderTool } from './render-tool.js';
import { assertInside } from './safe-path.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

export interface HelmSpec {
  readonly kind: 'helm';
  /** Absolute chart folder. */
  readonly chartDir: string;
  /** The chart folder as messages name it: its path in the GitOps repository, else `chartDir`. */
  readonly chartName?: string;
  readonly release: string;
  readonly namespace: string | undefined;
  /** `-f` / `--set` arguments in Argo CD's order (value files, then values, then parameters). */
  readonly valueArgs: readonly string[];
  /** The values files and inline values given, lowest precedence first (for computing the values a chart sees). */
  readonly layers: readonly HelmLayer[];
  readonly what: string;
}

export type HelmLayer =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'values'; readonly values: unknown }
  | { readonly kind: 'parameter'; readonly name: string; readonly value: string };

export interface KustomizeSpec {
  readonly kind: 'kustomize';
  /** Absolute folder to build. */
  readonly dir: string;
  readonly what: string;
}

export interface ManifestsSpec {
  readonly kind: 'manifests';
  /** Absolute YAML files. */
  readonly files: readonly string[];
  readonly what: string;
}

export type RenderSpec = HelmSpec | KustomizeSpec | ManifestsSpec;

export interface RenderContext {
  readonly gitopsDir: string;
  readonly target: DeployTarget;
  readonly deployment: Deployment;
  /** A scratch folder (value files written for the tools, pulled charts), removed by the caller. */
  readonly work: string;
  /** The GitOps repository's URL: Application sources with this `repoURL` are read from the checkout. */
  readonly gitopsUrl?: string | undefined;
}

/** The render is refused: the deployment cannot be rendered here (RUN774). */
function cannotRender(ctx: RenderContext, why: string): RuntimeError {
  return new RuntimeError('RUN774', `service "${ctx.target.service}" in "${ctx.target.env}": cannot render what ${ctx.deployment.files.map((f) => f.path).join(', ')} deploys: ${why}; nothing was written`, {
    hint: `update-manifests renders every edit to prove the service then runs the new image. Make the source renderable here, or set "render: false" under services.${ctx.target.service} (or its environment) in the layout file to write without that proof`,
  });
}

/** `https://user@github.com/acme/gitops.git/` and `git@github.com:acme/gitops` → `github.com/acme/gitops`. */
export function repoIdentity(url: string): string {
  let u = url.trim().toLowerCase();
  const scp = /^[^/@]+@([^:/]+):(.+)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]*@/, '');
  return u.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
}

let counter = 0;
function scratchFile(ctx: RenderContext, name: string, text: string): string {
  const dir = join(ctx.work, `r${++counter}`);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The nearest folder at or above `rel` (inside the repository) holding a Chart.yaml. */
function chartFolderOf(root: string, rel: string): string | undefined {
  let dir = statSync(join(root, rel)).isDirectory() ? rel : posix.dirname(rel);
  for (;;) {
    if (existsSync(join(root, dir, 'Chart.yaml'))) return dir;
    if (dir === '.' || dir === '' || dir === '/') return undefined;
    dir = posix.dirname(dir);
  }
}

const KUSTOMIZATION = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function helmLayersArgs(layers: readonly HelmLayer[], ctx: RenderContext): string[] {
  const args: string[] = [];
  for (const l of layers) {
    if (l.kind === 'file') args.push('-f', l.path);
    else if (l.kind === 'values') args.push('-f', scratchFile(ctx, 'values.yaml', JSON.stringify(l.values)));
    else args.push('--set', `${l.name}=${l.value.replace(/\\/g, '\\\\').replace(/,/g, '\\,')}`);
  }
  return args;
}

function helmSpec(ctx: RenderContext, chartDir: string, release: string, namespace: string | undefined, layers: readonly HelmLayer[], what: string): HelmSpec {
  const inRepo = relative(ctx.gitopsDir, chartDir).split('\\').join('/');
  const chartName = inRepo.startsWith('..') || isAbsolute(inRepo) ? chartDir : inRepo;
  return { kind: 'helm', chartDir, chartName, release, namespace, layers, valueArgs: helmLayersArgs(layers, ctx), what };
}

/** What to render for the deployment, read from its files as they are now (after an edit: the edited state). */
export async function renderSpecs(ctx: RenderContext): Promise<RenderSpec[]> {
  const { gitopsDir, target, deployment } = ctx;
  const who = `service "${target.service}" in "${target.env}"`;
  if (deployment.kind === 'kustomize') {
    const file = deployment.files[0]?.path ?? target.path;
    return [{ kind: 'kustomize', dir: join(gitopsDir, posix.dirname(file)), what: `"${posix.dirname(file)}" (${who})` }];
  }
  if (deployment.kind === 'plain') {
    return [{ kind: 'manifests', files: deployment.files.map((f) => join(gitopsDir, f.path)), what: who }];
  }
  if (deployment.kind === 'helm') {
    const values = deployment.files[0]?.path ?? target.path;
    const chart = chartFolderOf(gitopsDir, values);
    if (chart === undefined) throw cannotRender(ctx, `no Chart.yaml in the folder of "${values}" or above it, so there is no chart to render the values with`);
    const own = posix.join(chart, 'values.yaml');
    const layers: HelmLayer[] = values === own ? [] : [{ kind: 'file', path: join(gitopsDir, values) }];
    return [helmSpec(ctx, join(gitopsDir, chart), target.service, target.env, layers, `chart "${chart}" with "${values}" (${who})`)];
  }
  const specs: RenderSpec[] = [];
  for (const file of deployment.files.filter((f) => f.format === 'argocd-application')) {
    for (const doc of parseAllDocuments(readFileSync(join(gitopsDir, file.path), 'utf8'))) {
      const app = doc.toJS() as unknown;
      if (!isObj(app)) continue;
      specs.push(...(await applicationSpecs(ctx, app, file.path)));
    }
  }
  return specs;
}

async function applicationSpecs(ctx: RenderContext, given: Obj, file: string): Promise<RenderSpec[]> {
  // A templated ApplicationSet: the Application it generates for this service and environment.
  const app = generatedApplication(given, ctx.target, file) ?? given;
  const metadata = isObj(app['metadata']) ? app['metadata'] : {};
  let spec = isObj(app['spec']) ? app['spec'] : {};
  const name = str(metadata['name']) ?? ctx.target.service;
  if (app['kind'] === 'ApplicationSet') {
    const template = isObj(spec['template']) ? spec['template'] : {};
    spec = isObj(template['spec']) ? template['spec'] : {};
  }
  const destination = isObj(spec['destination']) ? spec['destination'] : {};
  const namespace = str(destination['namespace']);
  const sources = [spec['source'], ...(Array.isArray(spec['sources']) ? spec['sources'] : [])].filter(isObj);
  const refs = new Map<string, string>();
  for (const s of sources) {
    const ref = str(s['ref']);
    if (ref !== undefined) refs.set(ref, str(s['repoURL']) ?? '');
  }
  const out: RenderSpec[] = [];
  for (const [i, source] of sources.entries()) {
    const at = `source ${sources.length > 1 ? `${i + 1} ` : ''}of "${file}"`;
    const repoURL = str(source['repoURL']) ?? '';
    const chart = str(source['chart']);
    const path = str(source['path']);
    if (chart === undefined && path === undefined) continue; // a `ref:` source only lends its files
    const helm = isObj(source['helm']) ? source['helm'] : undefined;
    let dir: string;
    let inRepo: string | undefined;
    if (chart !== undefined) {
      dir = await pullChart(ctx, repoURL, chart, str(source['targetRevision']), at);
    } else {
      if (ctx.gitopsUrl !== undefined && repoURL !== '' && repoIdentity(repoURL) !== repoIdentity(ctx.gitopsUrl)) {
        throw cannotRender(ctx, `${at} is in another repository (${repoURL}), not in this GitOps repository`);
      }
      const p = (path ?? '.').replace(/^\.\/?/, '') || '.';
      dir = p === '.' ? ctx.gitopsDir : assertInside(ctx.gitopsDir, p, `path of ${at}`);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw cannotRender(ctx, `${at} names the folder "${p}", which is not in the GitOps repository`);
      inRepo = p;
    }
    const what = `${chart !== undefined ? `chart "${chart}" from ${repoURL}` : `"${inRepo}"`} (${at})`;
    const names = readdirSync(dir);
    if (names.includes('Chart.yaml')) {
      const layers: HelmLayer[] = [];
      const ignoreMissing = helm?.['ignoreMissingValueFiles'] === true;
      for (const v of Array.isArray(helm?.['valueFiles']) ? (helm['valueFiles'] as unknown[]) : []) {
        const f = str(v);
        if (f === undefined) continue;
        const m = /^\$([^/]+)\/(.*)$/.exec(f);
        let full: string;
        if (m) {
          const refRepo = refs.get(m[1] ?? '');
          if (refRepo === undefined) throw cannotRender(ctx, `${at} reads "${f}", and no source has ref: ${m[1]}`);
          if (ctx.gitopsUrl !== undefined && refRepo !== '' && repoIdentity(refRepo) !== repoIdentity(ctx.gitopsUrl)) {
            throw cannotRender(ctx, `${at} reads "${f}" from another repository (${refRepo})`);
          }
          full = assertInside(ctx.gitopsDir, m[2] ?? '', `value file "${f}" of ${at}`);
        } else {
          full = join(dir, f);
          if (relative(dir, full).startsWith('..') && (inRepo === undefined || relative(ctx.gitopsDir, full).startsWith('..'))) {
            throw cannotRender(ctx, `${at} reads the value file "${f}" outside its chart`);
          }
        }
        if (!existsSync(full)) {
          if (ignoreMissing) continue;
          throw cannotRender(ctx, `${at} reads the value file "${f}", which does not exist`);
        }
        layers.push({ kind: 'file', path: full });
      }
      const object = helm?.['valuesObject'];
      const values = str(helm?.['values']);
      if (isObj(object)) layers.push({ kind: 'values', values: object });
      else if (values !== undefined) layers.push({ kind: 'values', values: parseAllDocuments(values)[0]?.toJS() ?? {} });
      for (const p of Array.isArray(helm?.['parameters']) ? (helm['parameters'] as unknown[]) : []) {
        if (!isObj(p)) continue;
        const n = str(p['name']);
        const v = str(p['value']);
        if (n !== undefined && v !== undefined) layers.push({ kind: 'parameter', name: n, value: v });
      }
      out.push(helmSpec(ctx, dir, str(helm?.['releaseName']) ?? name, namespace, layers, what));
      continue;
    }
    const k = KUSTOMIZATION.find((n) => names.includes(n));
    if (k !== undefined) {
      const kustomize = isObj(source['kustomize']) ? source['kustomize'] : {};
      const images = (Array.isArray(kustomize['images']) ? kustomize['images'] : []).map(str).filter((s): s is string => s !== undefined);
      if (images.length === 0) {
        out.push({ kind: 'kustomize', dir, what });
        continue;
      }
      // Argo CD runs `kustomize edit set image` on the folder; a kustomization over it does the same.
      const wrapper = dirname(scratchFile(ctx, 'kustomization.yaml', JSON.stringify({ resources: [dir], images: images.map(kustomizeImage) })));
      out.push({ kind: 'kustomize', dir: wrapper, what });
      continue;
    }
    const files = names.filter((n) => /\.(ya?ml|json)$/.test(n)).map((n) => join(dir, n)).filter((f) => statSync(f).isFile());
    out.push({ kind: 'manifests', files, what });
  }
  if (out.length === 0) throw cannotRender(ctx, `the Application in "${file}" has no source with a chart or a path`);
  return out;
}

/** `name=newName:tag@digest` or `name:tag` (Argo CD's `kustomize.images`) as a Kustomization `images:` entry. */
function kustomizeImage(spec: string): Obj {
  const eq = spec.indexOf('=');
  const name = eq === -1 ? spec.replace(/[:@].*$/, '') : spec.slice(0, eq);
  const ref = eq === -1 ? spec : spec.slice(eq + 1);
  const at = ref.indexOf('@');
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const rest = at === -1 ? ref : ref.slice(0, at);
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > rest.lastIndexOf('/');
  const newName = hasTag ? rest.slice(0, colon) : rest;
  return { name, ...(newName !== name ? { newName } : {}), ...(hasTag ? { newTag: rest.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

const pulled = new Map<string, Promise<string>>();

/** A chart from a Helm repository (`https://…`) or an OCI registry (no scheme), pulled into the scratch folder. */
async function pullChart(ctx: RenderContext, repoURL: string, chart: string, version: string | undefined, at: string): Promise<string> {
  if (repoURL === '') throw cannotRender(ctx, `${at} names the chart "${chart}" without a repoURL`);
  const key = `${ctx.work}\0${repoURL}\0${chart}\0${version ?? ''}`;
  const known = pulled.get(key);
  if (known) return known;
  const into = join(ctx.work, `chart-${pulled.size + 1}`);
  const oci = !/^https?:\/\//.test(repoURL);
  const args = oci
    ? ['pull', `oci://${repoURL.replace(/^oci:\/\//, '').replace(/\/+$/, '')}/${chart}`, '--untar', '--untardir', into]
    : ['pull', chart, '--repo', repoURL, '--untar', '--untardir', into];
  if (version !== undefined && version !== '' && version !== 'HEAD') args.push('--version', version);
  const p = (async () => {
    mkdirSync(into, { recursive: true });
    try {
      await renderTool('helm', args, { cwd: ctx.work, what: `chart "${chart}" from ${repoURL} (${at})`, timeoutMs: 60_000 });
    } catch (e) {
      if (e instanceof RuntimeError && e.code === 'RUN771') throw cannotRender(ctx, `the chart "${chart}" could not be fetched from ${repoURL}: ${e.message.replace(/^.*failed: /s, '')}`);
      throw e;
    }
    const [dir] = readdirSync(into);
    return join(into, dir ?? chart);
  })();
  // Kept for the probes and checks that follow in the same scratch folder (a failure is not kept).
  pulled.set(key, p);
  p.catch(() => pulled.delete(key));
  return p;
}

/** The objects a spec renders to (parsed YAML documents). `extra` are more `helm template` arguments (probes). */
export async function renderObjects(spec: RenderSpec, extra: readonly string[] = []): Promise<unknown[]> {
  let text: string;
  if (spec.kind === 'kustomize') {
    text = await renderTool('kubectl', ['kustomize', spec.dir], { what: spec.what });
  } else if (spec.kind === 'helm') {
    const args = ['template', spec.release, spec.chartDir, ...(spec.namespace ? ['--namespace', spec.namespace] : []), ...spec.valueArgs, ...extra];
    text = await renderTool('helm', args, { what: spec.what });
  } else {
    text = spec.files.map((f) => readFileSync(f, 'utf8')).join('\n---\n');
    if (spec.files.some((f) => f.endsWith('.json'))) {
      return spec.files.flatMap((f) => (f.endsWith('.json') ? [JSON.parse(readFileSync(f, 'utf8')) as unknown] : parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as unknown)));
    }
  }
  return parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
}

/**
 * The paths of the repository (folders or files, relative, with `/`) a spec's render reads, or undefined when
 * they cannot be told (a remote Kustomize base). A Kustomize folder reaches others through the strings of
 * its kustomization (resources, components, patches, generators' files…): every one naming an existing path
 * outside the folder is followed. Used to reuse a render when a retried push only brought others' changes.
 */
export function renderDependencies(spec: RenderSpec, gitopsDir: string): string[] | undefined {
  const rel = (full: string): string | undefined => {
    const r = relative(gitopsDir, full).split('\\').join('/');
    return r.startsWith('..') ? undefined : r === '' ? '.' : r;
  };
  if (spec.kind === 'manifests') return spec.files.map(rel).filter((p): p is string => p !== undefined);
  if (spec.kind === 'helm') {
    const chart = rel(spec.chartDir);
    const files = spec.layers.flatMap((l) => (l.kind === 'file' ? [rel(l.path)] : [])).filter((p): p is string => p !== undefined);
    return chart === undefined ? files : [chart, ...files];
  }
  const deps = new Set<string>();
  const visit = (dir: string): boolean => {
    const r = rel(dir);
    if (r !== undefined) {
      if (deps.has(r)) return true;
      deps.add(r);
    }
    const k = KUSTOMIZATION.find((n) => existsSync(join(dir, n)));
    if (k === undefined) return true;
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (isObj(v)) Object.values(v).forEach(walk);
    };
    for (const d of parseAllDocuments(readFileSync(join(dir, k), 'utf8'))) walk(d.toJS());
    for (const s of strings) {
      if (/^[a-z]+:\/\//i.test(s) || /^github\.com\//.test(s)) return false;
      if (s.includes('\n') || s.length > 500) continue;
      const value = s.includes('=') ? s.slice(s.indexOf('=') + 1) : s; // generators' `key=path`
      const full = resolve(dir, value);
      if (!existsSync(full)) continue;
      if (statSync(full).isDirectory()) {
        if (!visit(full)) return false;
      } else {
        const r2 = rel(full);
        if (r2 !== undefined) deps.add(r2);
      }
    }
    return true;
  };
  return visit(spec.dir) ? [...deps] : undefined;
}
