/**
 * Test support: the organisation's compiled pipelines (manifests/, as `pnpm compile` writes them from
 * pipelines/*.ts) run end to end with `argots run`, started from a webhook delivery through their Sensors,
 * against the org world (test/support/org-world.ts: git over smart HTTP taking only installation tokens, the
 * GitHub API test server, docker-registry instances for dev, staging and prod behind Workload Identity
 * tokens, the metadata, Secret Manager and Argo CD API test servers).
 *
 * What a cluster would give the pods, given the way a user of `argots run` gives it:
 * - the runtime image: deploy/runtime-image built without Docker (once per machine and source: see
 *   runtime-image-cache.ts), pushed to a loopback registry, run for `registry.acme.io/platform/argots-runtime`
 *   with `--image-map`; steps run in the bubblewrap sandbox (`--executor sandbox`) with `--network`;
 * - the ConfigMaps `argots-github-app`, `argots-argocd`, `argots-environments` with `--configmap`;
 * - with `--env`: the GitHub API URL of the installation, the metadata server, the Secret Manager endpoint, and
 *   git's `url.<base>.insteadOf` (`GIT_CONFIG_*`) sending https://github.com/ and https://argocd.acme.io to
 *   the loopback servers (the runtime applies git's rules to the Argo CD URL too);
 * - the image build only (BuildKit / buildx need a daemon) replaced with `--replace-template` by a step of the
 *   same inputs and outputs that pushes a test image made from the build context (`git archive` of the
 *   checked-out commit: one commit and context give one digest), after the real template's own
 *   `registry-login` init container (kept) wrote the Docker config it pushes with.
 *
 * ```ts
 * const org = await startOrgRun();
 * const after = await org.world.commit('acme/shop', 'dev', { 'services/shop-api/main.go': '…' });
 * const run = await org.run({ type: 'push', body: org.pushDelivery('dev', before, after), pipeline: 'dev-build' });
 * assert.is(run.phase, 'Succeeded', run.log);
 * await org.close();
 * ```
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { git } from '../../packages/runtime/test/github/world.js';
import { IMAGES, REGISTRIES } from '../../pipelines/lib/org.js';
import { orgManifest, startOrgWorld, type OrgWorld } from './org-world.js';
import { startRegistry, type TestRegistry } from './registry.js';
import { cachedRuntimeImage, pushCachedRuntimeImage } from './runtime-image-cache.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = join(ROOT, 'packages/cli/src/bin.ts');
/** tsx, resolved here: the CLI runs in a run folder outside the repository. */
const TSX = import.meta.resolve('tsx');

/** The org's pipelines (what deploy/ ships): each a WorkflowTemplate and its Sensor in manifests/. */
export const ORG_PIPELINES = ['dev-build', 'staging-promotion', 'production-promotion', 'staging-bugfix', 'hotfix'] as const;
export type OrgPipeline = (typeof ORG_PIPELINES)[number];

/** The services the harness's repositories know (application folders, GitOps overlays, Argo CD Applications). */
export const SERVICES = ['shop-api', 'shop-web'] as const;
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

type Obj = Record<string, unknown>;

export interface RunNodeState {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly templateName: string;
  readonly nodeType: string;
  readonly phase: string;
  readonly message?: string;
  readonly outputs?: { readonly parameters?: readonly { name: string; value: string }[] };
}

export interface OrgRunResult {
  /** The CLI's exit code. */
  readonly code: number;
  /** The last workflow's phase, from the final JSON result line (undefined when the CLI refused the input). */
  readonly phase: string | undefined;
  /** Each workflow the delivery started (by the Sensors), in order. */
  readonly workflows: readonly string[];
  /** Every node's last state, by node name (`dev-build-x.build-and-deploy(0:shop-api).build`). */
  readonly nodes: ReadonlyMap<string, RunNodeState>;
  /** Nodes whose display name or name ends with `suffix`. */
  node(suffix: string): RunNodeState[];
  /** An output parameter of the one node whose name ends with `suffix`. */
  output(suffix: string, parameter: string): string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** A summary for assertion messages: failed nodes with their messages and the tail of stderr. */
  readonly log: string;
  readonly runDir: string;
}

export interface RunRequest {
  /** X-GitHub-Event. */
  readonly type: string;
  /** The delivery's JSON body. */
  readonly body: Obj;
  /** Which pipeline's build templates to replace (their registry-login init containers are kept). */
  readonly pipeline: OrgPipeline;
  /** `--approve` values (suspend gates). */
  readonly approve?: readonly string[];
  /** More CLI arguments. */
  readonly extraArgs?: readonly string[];
}

export interface OrgRun extends OrgWorld {
  /** `registry.acme.io/platform/argots-runtime:0.1.0` runs as this (loopback, by digest, from the virtual registry). */
  readonly runtimeImage: string;
  /**
   * The read-only virtual registry (`registry.acme.io`; `virtual` in environments.yaml, `readOnly: true`):
   * the runtime image is pulled from it, and every write to it is refused.
   */
  readonly virtualRegistry: TestRegistry;
  /** What each compiled registry (REGISTRIES in pipelines/lib/org.ts) is here. */
  readonly registryMap: Readonly<Record<string, string>>;
  /** The flags every run gets (configmaps, env, image map, executor, network). */
  readonly runFlags: readonly string[];
  /** A `push` delivery body as GitHub sends it for acme/shop. */
  pushDelivery(branch: string, before: string, after: string, options?: { readonly created?: boolean }): Obj;
  /** A `create` delivery body (a branch created) for acme/shop. */
  createDelivery(branch: string): Obj;
  /** A `pull_request` `closed` (merged) delivery body for acme/shop. */
  pullRequestMergedDelivery(options: { readonly number: number; readonly head: string; readonly base: string; readonly mergeCommit: string; readonly headSha?: string }): Obj;
  /** Runs `argots run` (a fresh CLI process) on the org pipelines with this delivery. */
  run(request: RunRequest): Promise<OrgRunResult>;
  /** A file at a ref of the GitOps repository (undefined when missing). */
  gitopsFile(path: string, ref?: string): Promise<string | undefined>;
  /** The image an overlay of the GitOps repository sets (`newName`, `digest`, `newTag`), at `ref`. */
  overlayImage(service: string, env: string, ref?: string): Promise<{ newName?: string; digest?: string; newTag?: string }>;
  /** The revisions Argo CD reported for each Application, in order, never going back in the GitOps history. */
  assertArgoCdNeverWentBack(): Promise<void>;
  /** `git log --format=%H %s` of a repository's branch, newest first. */
  log(repo: 'acme/shop' | 'acme/gitops', ref: string): Promise<{ sha: string; subject: string }[]>;
  /** The digest a registry's tag or digest resolves to (undefined when missing). */
  digestOf(env: 'dev' | 'staging' | 'prod', repository: string, reference: string): Promise<string | undefined>;
  /** Tags of a repository in an environment's registry. */
  tags(env: 'dev' | 'staging' | 'prod', repository: string): Promise<string[]>;
}

const exec = (file: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(file, args, { ...options, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });

/**
 * The stand-in for an image build: pushes an OCI image whose one layer is `git archive` of the build context
 * at the checked-out commit, to the image reference the build would have pushed (the compiled registry
 * mapped to this world's), with the Docker config the template's registry-login init container wrote.
 * Node's own fetch: the runtime image has node and git. Argv and env only, no value reaches shell source.
 */
const PUSH_TEST_IMAGE = String.raw`
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const sha = (b) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const map = JSON.parse(process.env.ARGOTS_TEST_REGISTRY_MAP || '{}');
const mapRef = (ref) => { for (const [from, to] of Object.entries(map)) if (ref.startsWith(from + '/')) return to + ref.slice(from.length); return ref; };
function split(ref) {
  const slash = ref.indexOf('/'), rest = ref.slice(slash + 1), colon = rest.lastIndexOf(':');
  return { host: ref.slice(0, slash), repo: rest.slice(0, colon), tag: rest.slice(colon + 1) };
}
async function token(host, repo) {
  const probe = await fetch('http://' + host + '/v2/');
  if (probe.status !== 401) return undefined;
  const config = JSON.parse(fs.readFileSync(path.join(process.env.DOCKER_CONFIG, 'config.json'), 'utf8'));
  const auth = config.auths && config.auths[host] && config.auths[host].auth;
  if (!auth) throw new Error('no credentials for ' + host + ' in $DOCKER_CONFIG/config.json (registry-login wrote: ' + Object.keys(config.auths || {}).join(', ') + ')');
  const h = probe.headers.get('www-authenticate') || '';
  const url = new URL(/realm="([^"]+)"/.exec(h)[1]);
  const service = /service="([^"]+)"/.exec(h);
  if (service) url.searchParams.set('service', service[1]);
  url.searchParams.set('scope', 'repository:' + repo + ':pull,push');
  const r = await fetch(url, { headers: { authorization: 'Basic ' + auth } });
  if (!r.ok) throw new Error('token for ' + host + ': HTTP ' + r.status);
  const j = await r.json();
  return j.token || j.access_token;
}
async function push(ref, layer, config) {
  const { host, repo, tag } = split(ref);
  const t = await token(host, repo);
  const auth = t ? { authorization: 'Bearer ' + t } : {};
  for (const blob of [layer, config]) {
    const d = sha(blob);
    if ((await fetch('http://' + host + '/v2/' + repo + '/blobs/' + d, { method: 'HEAD', headers: auth })).ok) continue;
    const start = await fetch('http://' + host + '/v2/' + repo + '/blobs/uploads/', { method: 'POST', headers: auth });
    if (start.status !== 202) throw new Error('upload to ' + host + '/' + repo + ': HTTP ' + start.status);
    const at = new URL(start.headers.get('location'), 'http://' + host);
    at.searchParams.set('digest', d);
    const put = await fetch(at, { method: 'PUT', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: blob });
    if (put.status !== 201) throw new Error('blob ' + d + ': HTTP ' + put.status);
  }
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }] }));
  const r = await fetch('http://' + host + '/v2/' + repo + '/manifests/' + tag, { method: 'PUT', headers: { ...auth, 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
  if (r.status !== 201) throw new Error('manifest ' + ref + ': HTTP ' + r.status + ' ' + (await r.text()));
  return sha(manifest);
}
function image(context, label) {
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: context, encoding: 'utf8' }).trim();
  const layer = execFileSync('git', ['archive', '--format=tar', 'HEAD', '--', '.'], { cwd: context, maxBuffer: 1 << 30 });
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux',
    config: { Labels: { 'org.opencontainers.image.revision': commit, 'argots.test/built-from': label } },
    rootfs: { type: 'layers', diff_ids: [sha(layer)] } }));
  return { layer, config };
}
async function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'build') {
    const [context, , target] = args;
    const ref = mapRef(target);
    const { layer, config } = image(context, path.basename(context));
    const digest = await push(ref, layer, config);
    fs.writeFileSync('/tmp/digest', digest);
    fs.writeFileSync('/tmp/image-ref', ref + '@' + digest);
    console.log('pushed ' + ref + '@' + digest);
  } else {
    const [context, registry] = args;
    const targets = process.env.TARGETS.trim().startsWith('[') ? JSON.parse(process.env.TARGETS) : [process.env.TARGETS.trim()];
    const metadata = {};
    for (const target of targets) {
      if (!/^[A-Za-z0-9_.-]+$/.test(target)) throw new Error('bake target "' + target + '" is not a target name');
      const dir = fs.existsSync(path.join(context, 'services', target)) ? path.join(context, 'services', target) : context;
      const ref = mapRef(registry + '/' + target + ':' + process.env.TAG);
      const { layer, config } = image(dir, target);
      const digest = await push(ref, layer, config);
      metadata[target] = { 'image.name': ref, 'containerimage.digest': digest };
      console.log('pushed ' + ref + '@' + digest);
    }
    fs.writeFileSync('/tmp/metadata.json', JSON.stringify(metadata));
  }
}
main().catch((e) => { console.error(e.message); process.exit(1); });
`;

/**
 * The replacement of a compiled build template (`buildkit-build`: args context, dockerfile, image; `bake-push`:
 * args context, registry): same inputs, outputs, init containers (registry-login), volumes and Docker config
 * mount; the main container the runtime image running PUSH_TEST_IMAGE. Sidecars (buildkitd) are dropped.
 */
function replacement(original: Obj, mode: 'build' | 'bake', registryMap: Readonly<Record<string, string>>): Obj {
  const c = original['container'] as Obj;
  const mounts = ((c['volumeMounts'] as Obj[] | undefined) ?? []).filter((m) => m['name'] === 'workspace' || m['name'] === 'docker-config');
  const env = [
    ...((c['env'] as Obj[] | undefined) ?? []).filter((e) => e['name'] === 'TAG' || e['name'] === 'TARGETS'),
    { name: 'DOCKER_CONFIG', value: String(mounts.find((m) => m['name'] === 'docker-config')?.['mountPath'] ?? '/home/user/.docker') },
    { name: 'ARGOTS_TEST_REGISTRY_MAP', value: JSON.stringify(registryMap) },
  ];
  const { sidecars: _sidecars, container: _container, ...rest } = original;
  return {
    ...rest,
    script: { image: IMAGES.runtime, command: ['node'], args: [mode, ...((c['args'] as string[] | undefined) ?? [])], env, volumeMounts: mounts, source: PUSH_TEST_IMAGE },
  };
}

export async function startOrgRun(options: { readonly log?: (line: string) => void } = {}): Promise<OrgRun> {
  const log = options.log ?? (() => {});
  const image = await cachedRuntimeImage(log);
  const o = await startOrgWorld();
  let runtimeRegistry: TestRegistry | undefined;
  const scratch = mkdtempSync(join(o.scratch, 'org-run-'));
  try {
    // `registry.acme.io`, the organisation's read-only virtual registry (Artifact Registry aggregating its
    // repositories): the runtime image is pushed into it once, then it serves pulls only.
    runtimeRegistry = await startRegistry({ name: 'virtual' });
    const runtimeImage = await pushCachedRuntimeImage(image, runtimeRegistry, 'platform/argots-runtime', 'e2e');
    await runtimeRegistry.makeReadOnly();
    const virtualRegistry = runtimeRegistry;
    const registryMap: Record<string, string> = {
      [REGISTRIES.dev]: `${o.registries.dev.host}/shop`,
      [REGISTRIES.staging]: `${o.registries.staging.host}/shop`,
      [REGISTRIES.prod]: `${o.registries.prod.host}/shop`,
    };
    // The application repository: two services with change rules; the GitOps repository: both services in
    // every environment. Applications in Argo CD follow the GitOps repository's main branch.
    await o.world.commit('acme/shop', 'dev', {
      '.argots/changes.yaml': 'services:\n  shop-api: services/shop-api\n  shop-web: services/shop-web\n',
      'services/shop-web/Dockerfile': 'FROM scratch\n',
      'services/shop-web/config/app.yaml': 'title: shop\n',
    }, 'two services');
    await o.world.commit('acme/gitops', 'main', {
      'argots.yaml': [
        'defaults:', '  path: apps/{service}/overlays/{env}', 'environments: [dev, staging, prod]', 'services:',
        ...SERVICES.flatMap((s) => [`  ${s}:`, `    images: [shop/${s}]`, '    config:', `      - { from: services/${s}/config, to: config }`]), '',
      ].join('\n'),
      ...Object.fromEntries(SERVICES.flatMap((s) => ENVIRONMENTS.map((env) => [`apps/${s}/overlays/${env}/kustomization.yaml`, `resources: []\nimages:\n  - name: shop/${s}\n    newTag: old\n`]))),
    }, 'shop-api and shop-web in every environment');
    const gitopsBare = o.world.gitServer.repoPath('acme/gitops.git');
    for (const s of SERVICES) for (const env of ENVIRONMENTS) {
      o.argocd.followRepository(`${s}-${env}`, 'https://github.com/acme/gitops.git', async () => (await git(scratch, '--git-dir', gitopsBare, 'rev-parse', 'main')).trim());
    }

    // ConfigMaps as folders, one file per key.
    const configDir = join(scratch, 'configmaps');
    const environmentsYaml = readFileSync(join(o.environments, 'environments.yaml'), 'utf8') + `  virtual: { registry: "${virtualRegistry.host}", repository: platform, scheme: http, readOnly: true }\n`;
    const configMaps: Record<string, Record<string, string>> = { ...(o.base.configMaps ?? {}), 'argots-environments': { 'environments.yaml': environmentsYaml } };
    for (const [name, keys] of Object.entries(configMaps)) {
      mkdirSync(join(configDir, name), { recursive: true });
      for (const [k, v] of Object.entries(keys)) writeFileSync(join(configDir, name, k), v);
    }
    const gitBase = new URL(o.appUrl).origin;
    const insteadOf: [string, string][] = [
      [`url.${gitBase}/.insteadOf`, 'https://github.com/'],
      [`url.${o.argocd.url}.insteadOf`, 'https://argocd.acme.io'],
    ];
    const env: Record<string, string> = {
      ARGOTS_GITHUB_API_URL: o.world.api.baseUrl,
      GCE_METADATA_HOST: o.metadata.host,
      ARGOTS_SECRET_MANAGER_ENDPOINT: o.secretManager.url,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: String(insteadOf.length),
      ...Object.fromEntries(insteadOf.flatMap(([k, v], i) => [[`GIT_CONFIG_KEY_${i}`, k], [`GIT_CONFIG_VALUE_${i}`, v]])),
    };
    const runFlags = [
      '--executor', 'sandbox', '--network', '--json',
      '--image-map', `${IMAGES.runtime}=${runtimeImage}`,
      ...Object.keys(configMaps).flatMap((name) => ['--configmap', `${name}=${join(configDir, name)}`]),
      ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ];
    const files = ORG_PIPELINES.flatMap((p) => [join(ROOT, 'manifests/workflow-template', `${p}.yaml`), join(ROOT, 'manifests/sensor', `${p}.yaml`)]);
    let runs = 0;

    const repository = { id: 1, name: 'shop', full_name: 'acme/shop', private: true, owner: { login: 'acme' }, default_branch: 'master', clone_url: 'https://github.com/acme/shop.git' };
    const org: OrgRun = {
      ...o,
      runtimeImage,
      virtualRegistry,
      registryMap,
      runFlags,
      pushDelivery: (branch, before, after, opts = {}) => ({
        ref: `refs/heads/${branch}`, before, after, created: opts.created ?? false, deleted: false, forced: false,
        repository, pusher: { name: 'dev', email: 'dev@acme.io' }, sender: { login: 'dev' },
        head_commit: { id: after, message: 'push', timestamp: new Date(0).toISOString() },
      }),
      createDelivery: (branch) => ({ ref: branch, ref_type: 'branch', master_branch: 'master', pusher_type: 'user', repository, sender: { login: 'dev' } }),
      pullRequestMergedDelivery: (pr) => ({
        action: 'closed', number: pr.number, repository, sender: { login: 'dev' },
        pull_request: { number: pr.number, state: 'closed', merged: true, merge_commit_sha: pr.mergeCommit, head: { ref: pr.head, sha: pr.headSha ?? pr.mergeCommit, repo: repository }, base: { ref: pr.base, repo: repository } },
      }),
      async run(request) {
        runs++;
        const dir = join(scratch, `run-${runs}`);
        mkdirSync(dir, { recursive: true });
        const delivery = join(dir, 'delivery.json');
        writeFileSync(delivery, JSON.stringify(request.body));
        const wf = await orgManifest(`${request.pipeline}.yaml`);
        const templates = ((wf['spec'] as Obj)['templates'] as Obj[]) ?? [];
        const replace: string[] = [];
        for (const [name, mode] of [['buildkit-build', 'build'], ['bake-push', 'bake']] as const) {
          const t = templates.find((x) => x['name'] === name);
          if (!t) continue;
          const file = join(dir, `${name}.yaml`);
          writeFileSync(file, stringify(replacement(t, mode, registryMap)));
          replace.push('--replace-template', `${name}=${file}`);
        }
        const args = ['run', ...files, '--event', delivery, '--type', request.type, ...runFlags, ...replace, ...(request.approve ?? []).flatMap((a) => ['--approve', a]), ...(request.extraArgs ?? [])];
        const r = await exec(process.execPath, ['--conditions=source', '--import', TSX, CLI, ...args], { cwd: dir, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? dir, ...(process.env['XDG_CACHE_HOME'] ? { XDG_CACHE_HOME: process.env['XDG_CACHE_HOME'] } : {}) } });
        if (process.env['ARGOTS_E2E_KEEP']) writeFileSync(join(process.env['ARGOTS_E2E_KEEP'], `run-${runs}.jsonl`), `${r.stdout}\n${r.stderr}`);
        const nodes = new Map<string, RunNodeState>();
        const workflows: string[] = [];
        let phase: string | undefined;
        for (const line of r.stdout.split('\n')) {
          if (!line.startsWith('{')) continue;
          let e: Obj;
          try {
            e = JSON.parse(line) as Obj;
          } catch {
            continue;
          }
          if (e['type'] === 'node') {
            const n = e as unknown as RunNodeState;
            nodes.set(n.name, n);
            if (!n.name.includes('.') && !workflows.includes(n.name)) workflows.push(n.name);
          } else if (e['type'] === 'result') phase = String(e['phase']);
        }
        const matching = (suffix: string): RunNodeState[] => [...nodes.values()].filter((n) => n.name.endsWith(suffix) || n.displayName === suffix);
        // A failed step's own output (the runner's logs/<node id>.log), so an assertion message says why.
        const stepLog = (n: RunNodeState): string => {
          if (n.nodeType !== 'Pod') return '';
          try {
            const text = readFileSync(join(dir, '.argots', 'runs', n.name.split('.')[0] ?? '', 'logs', `${n.id}.log`), 'utf8');
            return `\n    ${text.trim().split('\n').slice(-15).join('\n    ')}`;
          } catch {
            return '';
          }
        };
        const failed = [...nodes.values()].filter((n) => n.phase === 'Failed' || n.phase === 'Error').map((n) => `${n.name}: ${n.phase} ${n.message ?? ''}${stepLog(n)}`);
        return {
          code: r.code, phase, workflows, nodes, stdout: r.stdout, stderr: r.stderr, runDir: dir,
          node: matching,
          output(suffix, parameter) {
            const found = matching(suffix);
            if (found.length !== 1) throw new Error(`${found.length} nodes end with "${suffix}": ${found.map((n) => n.name).join(', ')}`);
            return found[0]?.outputs?.parameters?.find((p) => p.name === parameter)?.value;
          },
          log: `exit ${r.code}, phase ${phase ?? '(none)'}\n${failed.join('\n')}\n${r.stderr.slice(-4000)}`,
        };
      },
      async gitopsFile(path, ref = 'main') {
        return git(scratch, '--git-dir', gitopsBare, 'show', `${ref}:${path}`).catch(() => undefined);
      },
      async overlayImage(service, env, ref = 'main') {
        const text = (await org.gitopsFile(`apps/${service}/overlays/${env}/kustomization.yaml`, ref)) ?? '';
        const out: { newName?: string; digest?: string; newTag?: string } = {};
        for (const k of ['newName', 'digest', 'newTag'] as const) {
          const v = new RegExp(`${k}: *"?([^"\\s#]+)`).exec(text)?.[1];
          if (v !== undefined) out[k] = v;
        }
        return out;
      },
      async assertArgoCdNeverWentBack() {
        const history = (await org.log('acme/gitops', 'main')).map((c) => c.sha).reverse();
        for (const [app, revisions] of o.argocd.reported) {
          const positions = revisions.map((r) => history.indexOf(r));
          if (positions.some((p) => p < 0)) throw new Error(`Argo CD reported ${app} at a revision that is not in the GitOps history: ${revisions.join(', ')}`);
          for (let i = 1; i < positions.length; i++) {
            if ((positions[i] ?? 0) < (positions[i - 1] ?? 0)) throw new Error(`Argo CD's ${app} went back from ${revisions[i - 1]} to ${revisions[i]}`);
          }
        }
      },
      async log(repo, ref) {
        const out = await git(scratch, '--git-dir', o.world.gitServer.repoPath(`${repo}.git`), 'log', '--format=%H %s', ref);
        return out.trim().split('\n').filter(Boolean).map((l) => ({ sha: l.slice(0, 40), subject: l.slice(41) }));
      },
      async digestOf(env, repo, reference) {
        const reg = o.registries[env];
        const auth = await reg.authorization(`repository:${repo}:pull`);
        const r = await fetch(`${reg.url}/v2/${repo}/manifests/${reference}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json', ...(auth ? { authorization: auth } : {}) } });
        return r.ok ? (r.headers.get('docker-content-digest') ?? undefined) : undefined;
      },
      async tags(env, repo) {
        const reg = o.registries[env];
        const auth = await reg.authorization(`repository:${repo}:pull`);
        const r = await fetch(`${reg.url}/v2/${repo}/tags/list`, { headers: auth ? { authorization: auth } : {} });
        return r.ok ? (((await r.json()) as { tags?: string[] | null }).tags ?? []).sort() : [];
      },
      async close() {
        await runtimeRegistry?.close();
        await o.close();
      },
    };
    return org;
  } catch (error) {
    await runtimeRegistry?.close();
    await o.close();
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}
