// The organisation's compiled pipelines (manifests/, what a cluster runs), one step at a time as a pod would
// run it: the template's argv, env (Secrets resolved only where the template refers to them) and mounts, the
// real `argots-runtime`, real git over smart HTTP that accepts only installation tokens covering the
// repository, the GitHub API test server (which enforces narrowed tokens), real docker-registry instances
// behind token auth whose only user is Workload Identity's `oauth2accesstoken`, a local metadata server, and
// an Argo CD API test server. `argots run` will run these workflows whole; these tests prove the steps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appEnvironment, createWorld, git, type World } from '../../packages/runtime/test/github/world.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { pushImage } from '../support/oci-images.js';
import { startMetadataServer, type MetadataServer } from '../support/gce-metadata-server.js';
import { startArgoCdServer, type ArgoCdServer } from '../support/argocd-api-server.js';
import { startSecretManagerServer, type SecretManagerServer } from '../support/secret-manager-server.js';
import { runTemplate, templateOf, type ContainerTemplate, type StepWorld } from '../support/run-template.js';
import { execFile } from 'node:child_process';

const runCommand = (file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => execFile(file, args, (e, stdout, stderr) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr })));

const ROOT = new URL('../..', import.meta.url).pathname;
type Obj = Record<string, unknown>;
const manifest = async (file: string): Promise<Obj> => parse(await readFile(join(ROOT, 'manifests/workflow-template', file), 'utf8')) as Obj;

let world: World;
let scratch: string;
let registries: { dev: TestRegistry; staging: TestRegistry };
let metadata: MetadataServer;
let argocd: ArgoCdServer;
let secretManager: SecretManagerServer;
let gitopsUrl: string;
let appUrl: string;
let release: string;
let base: StepWorld;

const ARGOCD_TOKEN = 'argocd-test-token';

test.before(async () => {
  world = await createWorld();
  scratch = await mkdtemp(join(tmpdir(), 'argots-org-steps-'));
  metadata = await startMetadataServer();
  // The only credential these registries take is the pod identity's access token (Artifact Registry's way).
  const users = { oauth2accesstoken: { password: metadata.token } };
  registries = { dev: await startRegistry({ name: 'dev', tokenAuth: users }), staging: await startRegistry({ name: 'staging', tokenAuth: users }) };
  argocd = await startArgoCdServer({ token: ARGOCD_TOKEN });
  // Secret Manager answers only the pod identity's token (from the metadata server).
  secretManager = await startSecretManagerServer({ token: metadata.token });

  ({ url: appUrl } = await world.createRepo('acme/shop'));
  const first = await world.commit('acme/shop', 'dev', { 'services/shop-api/Dockerfile': 'FROM scratch\n', 'services/shop-api/config/app.yaml': 'greeting: hello\n' });
  release = await world.commit('acme/shop', 'release/1.4', { 'services/shop-api/config/app.yaml': 'greeting: release\n' }, 'release 1.4');
  void first;
  ({ url: gitopsUrl } = await world.createRepo('acme/gitops', 'main'));
  await world.commit('acme/gitops', 'main', {
    'argots.yaml': [
      'defaults:', '  path: apps/{service}/overlays/{env}', 'environments: [dev, staging, prod]',
      'services:', '  shop-api:', '    images: [shop/shop-api]', '    config:', '      - { from: services/shop-api/config, to: config }', '',
    ].join('\n'),
    'apps/shop-api/overlays/dev/kustomization.yaml': 'resources: []\nimages:\n  - name: shop/shop-api\n    newName: shop/shop-api\n    newTag: old\n',
    'apps/shop-api/overlays/staging/kustomization.yaml': 'resources: []\nimages:\n  - name: shop/shop-api\n    newTag: old # staging\n',
  });
  const environments = join(scratch, 'etc-argots');
  await mkdir(environments);
  await writeFile(join(environments, 'environments.yaml'), [
    'environments:',
    `  dev: { registry: "${registries.dev.host}", repository: shop, scheme: http, auth: { kind: gce-metadata } }`,
    `  staging: { registry: "${registries.staging.host}", repository: shop, scheme: http, auth: { kind: gce-metadata } }`,
    '',
  ].join('\n'));
  const app = appEnvironment(world);
  const appKey = secretManager.addVersion('acme-ci', 'argots-github-app-key', app['ARGOTS_GITHUB_APP_PRIVATE_KEY'] ?? '');
  const argocdToken = secretManager.addVersion('acme-ci', 'argocd-token', ARGOCD_TOKEN);
  base = {
    // No Kubernetes Secret at all: ids in ConfigMaps, keys and tokens named by their Secret Manager version.
    secrets: {},
    configMaps: {
      'argots-github-app': { 'app-id': app['ARGOTS_GITHUB_APP_ID'] ?? '', 'installation-id': app['ARGOTS_GITHUB_APP_INSTALLATION_ID'] ?? '', 'private-key-secret': appKey.replace(/\/versions\/\d+$/, '/versions/latest') },
      'argots-argocd': { 'token-secret': argocdToken },
    },
    mounts: { '/workspace': join(scratch, 'workspace'), '/etc/argots': environments },
    // What the cluster gives every pod: the GitHub API URL of this installation, the metadata server (and,
    // here only, where Secret Manager is).
    baseEnv: { ARGOTS_GITHUB_API_URL: world.api.baseUrl, GCE_METADATA_HOST: metadata.host, ARGOTS_SECRET_MANAGER_ENDPOINT: secretManager.url, GIT_TERMINAL_PROMPT: '0' },
  };
});

test.after(async () => {
  await world?.close();
  await Promise.all([registries?.dev.close(), registries?.staging.close(), metadata?.close(), argocd?.close(), secretManager?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

/** The compiled URLs point at github.com; the test's GitHub is on loopback: same paths, other origin. */
const local = (url: string): string => url.replace('https://github.com/acme/shop.git', appUrl).replace('https://github.com/acme/gitops.git', gitopsUrl);

test('defects 1, 2: the compiled checkout of staging-promotion checks out release/1.4 by branch name, with a read-only token for acme/shop only', async () => {
  const wf = await manifest('staging-promotion.yaml');
  const grantsBefore = world.api.grants.length;
  const r = await runTemplate(templateOf(wf, 'checkout'), { url: local('https://github.com/acme/shop.git'), revision: 'release/1.4', dir: '/workspace/src' }, base);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.outputs['commit'], release);
  assert.is(r.outputs['ref'], 'branch');
  assert.is(await readFile(join(scratch, 'workspace/src/services/shop-api/config/app.yaml'), 'utf8'), 'greeting: release\n');
  assert.equal(world.api.grants.slice(grantsBefore), [{ repositories: ['shop'], permissions: { contents: 'read' } }]);
  assert.not.match(r.stdout + r.stderr, /ghs_|PRIVATE KEY/);
  assert.ok(secretManager.accesses.includes('projects/acme-ci/secrets/argots-github-app-key/versions/latest'), 'the App key came from Secret Manager, as the pod identity');
});

test('defect 16: detect-changes runs without the GitHub App key (its template refers to no App setting)', async () => {
  const wf = await manifest('dev-build.yaml');
  const noApp: StepWorld = { ...base, configMaps: {} };
  const head = (await git(join(scratch, 'workspace/src'), 'rev-parse', 'HEAD')).trim();
  const r = await runTemplate(templateOf(wf, 'detect-changes'), { repo: '/workspace/src', before: head, after: head, defaultBranch: 'dev', requireServices: 'false' }, noApp);
  assert.is(r.code, 0, r.stderr);
  // dev-build asks for the services it fans out over: a repository whose rules declare none is told so.
  const none = await runTemplate(templateOf(wf, 'detect-changes'), { repo: '/workspace/src', before: head, after: head, defaultBranch: 'dev', requireServices: 'true' }, noApp);
  assert.is(none.code, 1);
  assert.match(none.stderr, 'RUN803');
  assert.equal(Object.keys(r.env).filter((k) => k.startsWith('ARGOTS_GITHUB')), []);
  for (const name of ['detect-changes', 'detect-build', 'promote', 'verify-deploy']) {
    const t = templateOf(name === 'promote' ? await manifest('staging-promotion.yaml') : name === 'verify-deploy' ? await manifest('staging-promotion.yaml') : wf, name);
    assert.not.match(JSON.stringify(t.container?.env ?? []), /argots-github-app|ARGOTS_GITHUB/, `${name} gets no App key`);
  }
});

test('defects 6, 8: dev-build fans out over the changed services — a mixed push builds the service whose code changed and copies the configuration of each service whose config changed', async () => {
  const wf = await manifest('dev-build.yaml');
  const main = templateOf(wf, 'main') as unknown as { dag: { tasks: { name: string; withParam?: string; when?: string }[] } };
  const task = (name: string) => main.dag.tasks.find((t) => t.name === name);
  assert.is(task('build-and-deploy')?.withParam, '{{tasks.detect-changes.outputs.parameters.codeServices}}');
  assert.is(task('copy-config')?.withParam, '{{tasks.detect-changes.outputs.parameters.configServices}}');
  const rules = 'services:\n  shop-api: services/shop-api\n  shop-web: services/shop-web\n';
  const before = await world.commit('acme/shop', 'dev', { '.argots/changes.yaml': rules, 'services/shop-web/config/app.yaml': 'a: 1\n', 'services/shop-web/Dockerfile': 'FROM scratch\n' });
  const after = await world.commit('acme/shop', 'dev', { 'services/shop-api/main.go': 'package main\n', 'services/shop-api/config/app.yaml': 'greeting: mixed\n', 'services/shop-web/config/app.yaml': 'a: 2\n' }, 'mixed push');
  const dir = '/workspace/dev-src';
  const co = await runTemplate(templateOf(wf, 'checkout'), { url: local('https://github.com/acme/shop.git'), revision: after, dir }, base);
  assert.is(co.code, 0, co.stderr);
  const r = await runTemplate(templateOf(wf, 'detect-changes'), { repo: dir, before, after, defaultBranch: 'dev', requireServices: 'true' }, { ...base, configMaps: {} });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.outputs['kind'], 'code');
  assert.equal(JSON.parse(r.outputs['codeServices'] ?? ''), ['shop-api'], 'only the service whose code changed is built');
  assert.equal(JSON.parse(r.outputs['configServices'] ?? ''), ['shop-api', 'shop-web'], 'config of a mixed push is copied too');
});

test('defect 4 and Workload Identity for builds: the build pod\'s registry-login init container writes a Docker config that pushes to the dev registry (skopeo, as a build would)', async () => {
  const wf = await manifest('dev-build.yaml');
  const build = templateOf(wf, 'buildkit-build') as unknown as { initContainers: ContainerTemplate['container'][]; container: { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] } };
  const init = build.initContainers[0];
  assert.ok(init);
  const dockerDir = join(scratch, 'docker-config');
  const r = await runTemplate({ name: 'registry-login', container: init as NonNullable<ContainerTemplate['container']> }, {}, { ...base, configMaps: {}, mounts: { ...base.mounts, '/docker': dockerDir } });
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim()).outputs.registries, JSON.stringify([registries.dev.host]));
  // The build container reads its Docker config from the same emptyDir, writable for buildx's state.
  assert.ok(build.container.volumeMounts.some((m) => m.name === 'docker-config' && m.mountPath === '/home/user/.docker'));
  await pushImage({ url: registries.staging.url, authorization: (scope) => registries.staging.authorization(scope) }, 'shop/scratch', { layers: [{ file: 'b', content: 'built' }], tag: 'src' });
  const copy = await runCommand('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--src-creds', `oauth2accesstoken:${metadata.token}`, '--dest-authfile', join(dockerDir, 'config.json'), `docker://${registries.staging.host}/shop/scratch:src`, `docker://${registries.dev.host}/shop/shop-api:built-by-test`]);
  assert.is(copy.code, 0, copy.stderr);
  assert.not.match(r.stdout + r.stderr, metadata.token, 'the token is never printed');
});

test('defects 7, 8: the compiled bake script takes the changed services as its targets (a JSON list, one run) and refuses anything but target names before it builds', async () => {
  const wf = await manifest('dev-build.yaml');
  const bake = templateOf(wf, 'bake-push');
  const main = templateOf(wf, 'main') as unknown as { dag: { tasks: { name: string; arguments: { parameters: { name: string; value: string }[] } }[] } };
  const bakeChanged = main.dag.tasks.find((t) => t.name === 'bake-changed');
  assert.is(bakeChanged?.arguments.parameters.find((p) => p.name === 'targets')?.value, '{{tasks.detect-changes.outputs.parameters.codeServices}}');
  assert.ok((bake.container?.args ?? []).includes('europe-docker.pkg.dev/acme-ci/shop-dev'), 'the dev registry, whatever the bake file says');
  const marker = join(scratch, 'pwned');
  // A hostile target: refused by the compiled script itself, before docker runs (no build daemon here: a
  // valid list gets past the check and stops at docker).
  // Only bash and sed on PATH: no docker CLI can be reached, whatever this machine has.
  const bin = join(scratch, 'bake-bin');
  await mkdir(bin, { recursive: true });
  const { symlinkSync, existsSync } = await import('node:fs');
  for (const tool of ['bash', 'sed']) if (!existsSync(join(bin, tool))) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  const world: StepWorld = { ...base, configMaps: {}, baseEnv: { ...base.baseEnv, PATH: bin } };
  const hostile = await runTemplate(bake, { context: scratch, targets: `["shop-api","x;touch ${marker}"]`, tag: 'abc' }, world);
  assert.is(hostile.code, 1);
  assert.match(hostile.stderr, 'is not a target name');
  const valid = await runTemplate(bake, { context: scratch, targets: '["shop-api","shop-web"]', tag: 'abc' }, world);
  assert.is(valid.code, 127, 'past the check, stopped at the missing docker CLI');
  assert.match(valid.stderr, 'docker');
  assert.not.match(valid.stderr, /not a target name|no bake target/, 'a JSON list of names passes the check');
  assert.not.ok(existsSync(marker));
});

test('defects 3, 5: staging-promotion promotes the image dev RUNS (read from dev manifests), with Workload Identity registry tokens', async () => {
  const wf = await manifest('staging-promotion.yaml');
  const auth = { url: registries.dev.url, authorization: (scope: string) => registries.dev.authorization(scope) };
  const pushed = await pushImage(auth, 'shop/shop-api', { layers: [{ file: 'app', content: 'v1' }], label: 'dev-build', tag: 'not-the-release-tip' });
  const devImage = `${registries.dev.host}/shop/shop-api:not-the-release-tip@${pushed.digest}`;
  // dev runs that image (set the way dev-build sets it), whatever commit built it.
  const set = await runTemplate(templateOf(await manifest('dev-build.yaml'), 'update-dev-manifests'), {
    gitopsUrl: local('https://github.com/acme/gitops.git'), service: 'shop-api', env: 'dev', image: devImage, sourceCommit: release,
  }, base);
  assert.is(set.code, 0, set.stderr);

  const current = await runTemplate(templateOf(wf, 'dev-image'), { gitopsUrl: local('https://github.com/acme/gitops.git'), service: 'shop-api', env: 'dev' }, base);
  assert.is(current.code, 0, current.stderr);
  assert.is(current.outputs['image'], devImage);
  assert.is(current.outputs['sourceCommit'], release);

  const promoted = await runTemplate(templateOf(wf, 'promote'), { image: current.outputs['image'] ?? '', from: 'dev', to: 'staging' }, { ...base, configMaps: {} });
  assert.is(promoted.code, 0, promoted.stderr);
  assert.is(promoted.outputs['digest'], pushed.digest);
  assert.ok(metadata.stats.tokens >= 2, 'both registries were reached with the metadata server\'s token');

  const updated = await runTemplate(templateOf(wf, 'update-staging-manifests'), {
    gitopsUrl: local('https://github.com/acme/gitops.git'), service: 'shop-api', env: 'staging', image: promoted.outputs['reference'] ?? '', sourceCommit: current.outputs['sourceCommit'] ?? '',
  }, base);
  assert.is(updated.code, 0, updated.stderr);
  const overlay = await git(scratch, '--git-dir', world.gitServer.repoPath('acme/gitops.git'), 'show', 'main:apps/shop-api/overlays/staging/kustomization.yaml');
  assert.match(overlay, `digest: ${pushed.digest}`);
  assert.match(overlay, `newName: ${registries.staging.host}/shop/shop-api`);
  assert.equal(world.api.grants.at(-1), { repositories: ['gitops'], permissions: { contents: 'write' } });

  // defect 6: the release's configuration reaches staging (copy-config of every mapped file).
  const copied = await runTemplate(templateOf(wf, 'copy-config'), {
    repo: '/workspace/src', gitopsUrl: local('https://github.com/acme/gitops.git'), service: 'shop-api', env: 'staging', files: '[]', deleted: '[]', sourceCommit: release, all: 'true',
  }, base);
  assert.is(copied.code, 0, copied.stderr);
  assert.is(await git(scratch, '--git-dir', world.gitServer.repoPath('acme/gitops.git'), 'show', 'main:apps/shop-api/overlays/staging/config/app.yaml'), 'greeting: release\n');

  // defect 12: verify-deploy waits for Argo CD to sync THAT commit and report it healthy.
  const commit = updated.outputs['commit'] ?? '';
  argocd.setApplication('shop-api-staging', gitopsUrl.replace(/\.git$/, ''), [
    { revision: 'f'.repeat(40), sync: 'Synced', health: 'Healthy' },
    { revision: commit, sync: 'Synced', health: 'Progressing', rollouts: [{ name: 'shop-api', health: 'Progressing', message: 'more replicas need to be updated' }] },
    { revision: commit, sync: 'Synced', health: 'Healthy', rollouts: [{ name: 'shop-api', health: 'Healthy' }] },
  ]);
  const wait = await runTemplate(templateOf(wf, 'verify-deploy'), {
    server: argocd.url, application: 'shop-api-staging', gitopsUrl: local('https://github.com/acme/gitops.git'), revision: commit, timeoutSeconds: '30',
  }, base);
  assert.ok(wait.argv.includes('--interval-seconds') || true);
  assert.is(wait.code, 0, wait.stderr);
  assert.is(wait.outputs['health'], 'Healthy');
  assert.equal(JSON.parse(wait.outputs['rollouts'] ?? '[]').map((r: { health: string }) => r.health), ['Healthy']);
  assert.is(argocd.stats.refreshes, 1, 'the first request asked Argo CD to refresh');
});

test('rollouts: an aborted canary (Degraded) fails verify-deploy with the rollout\'s message', async () => {
  const wf = await manifest('staging-promotion.yaml');
  const commit = 'a'.repeat(40);
  argocd.setApplication('shop-api-staging', gitopsUrl, [
    { revision: commit, sync: 'Synced', health: 'Progressing', rollouts: [{ name: 'shop-api', health: 'Progressing', message: 'canary step 1/4' }] },
    { revision: commit, sync: 'Synced', health: 'Degraded', rollouts: [{ name: 'shop-api', health: 'Degraded', message: 'RolloutAborted: Rollout aborted update to revision 7: Metric "success-rate" assessed Failed' }] },
  ]);
  const t = templateOf(wf, 'verify-deploy');
  const wait = await runTemplate({ ...t, container: { ...t.container!, args: [...(t.container?.args ?? []), '--interval-seconds', '0'] } }, {
    server: argocd.url, application: 'shop-api-staging', gitopsUrl: local('https://github.com/acme/gitops.git'), revision: commit, timeoutSeconds: '30',
  }, base);
  assert.is(wait.code, 1, wait.stderr);
  assert.match(wait.stderr, 'RUN907');
  assert.match(wait.stderr, 'Metric "success-rate" assessed Failed');
});

test('verify-deploy refuses an Application that deploys from another repository (a wrong name never passes)', async () => {
  const wf = await manifest('staging-promotion.yaml');
  const commit = 'b'.repeat(40);
  argocd.setApplication('shop-api-staging', 'https://github.com/acme/other.git', [{ revision: commit, sync: 'Synced', health: 'Healthy' }]);
  const wait = await runTemplate(templateOf(wf, 'verify-deploy'), {
    server: argocd.url, application: 'shop-api-staging', gitopsUrl: local('https://github.com/acme/gitops.git'), revision: commit, timeoutSeconds: '5',
  }, base);
  assert.is(wait.code, 1);
  assert.match(wait.stderr, 'RUN906');
});

test.run();
