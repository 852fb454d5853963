// The organisation's compiled pipelines (manifests/, what a cluster runs), one step at a time as a pod would
// run it: the template's argv, env (Secrets resolved only where the template refers to them) and mounts, the
// real `argots-runtime`, real git over smart HTTP that accepts only installation tokens covering the
// repository, the GitHub API test server (which enforces narrowed tokens), real docker-registry instances
// behind token auth whose only user is Workload Identity's `oauth2accesstoken`, a local metadata server, and
// an Argo CD API test server. `argots run` will run these workflows whole; these tests prove the steps.
// This file: checkout, credentials, change detection and the builds; org-steps-promotion.test.ts: promotions
// and Argo CD.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git, type World } from '../../packages/runtime/test/github/world.js';
import { pushImage } from '../support/oci-images.js';
import type { TestRegistry } from '../support/registry.js';
import type { MetadataServer } from '../support/gce-metadata-server.js';
import type { ArgoCdServer } from '../support/argocd-api-server.js';
import type { SecretManagerServer } from '../support/secret-manager-server.js';
import { runTemplate, templateOf, type ContainerTemplate, type StepWorld } from '../support/run-template.js';
import { orgManifest as manifest, startOrgWorld, type OrgWorld } from '../support/org-world.js';

const runCommand = (file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => execFile(file, args, (e, stdout, stderr) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr })));

let o: OrgWorld;
let world: World;
let scratch: string;
let registries: { dev: TestRegistry; staging: TestRegistry };
let metadata: MetadataServer;
let argocd: ArgoCdServer;
let secretManager: SecretManagerServer;
let gitopsUrl: string;
let release: string;
let base: StepWorld;
const local = (url: string): string => o.local(url);

test.before(async () => {
  o = await startOrgWorld();
  ({ world, scratch, registries, metadata, argocd, secretManager, gitopsUrl, release, base } = o);
});
test.after(async () => {
  await o?.close();
});

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
  for (const name of ['detect-changes', 'detect-build', 'promote']) {
    const t = templateOf(name === 'promote' ? await manifest('staging-promotion.yaml') : wf, name);
    assert.not.match(JSON.stringify(t.container?.env ?? []), /argots-github-app|ARGOTS_GITHUB/, `${name} gets no App key`);
  }
  // verify-deploy talks to GitHub since it checks that a later revision contains ours (a read-only token
  // narrowed to the GitOps repository): it gets the App settings, its key read from Secret Manager by the pod
  // identity, never a key in a Secret.
  const verifyEnv = JSON.stringify(templateOf(await manifest('staging-promotion.yaml'), 'verify-deploy').container?.env ?? []);
  assert.match(verifyEnv, /ARGOTS_GITHUB_APP_PRIVATE_KEY_FROM_SECRET_MANAGER/);
  assert.not.match(verifyEnv, /"ARGOTS_GITHUB_APP_PRIVATE_KEY"/, 'verify-deploy gets no App key from a Secret');
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

test.run();
