// The organisation's compiled pipelines (manifests/, what a cluster runs), one step at a time as a pod would
// run it: the template's argv, env (Secrets resolved only where the template refers to them) and mounts, the
// real `argots-runtime`, real git over smart HTTP that accepts only installation tokens covering the
// repository, the GitHub API test server (which enforces narrowed tokens), real docker-registry instances
// behind token auth whose only user is Workload Identity's `oauth2accesstoken`, a local metadata server, and
// an Argo CD API test server. `argots run` will run these workflows whole; these tests prove the steps.
// This file: promotions (the image the source environment runs, by digest), configuration, and Argo CD /
// Rollouts; org-steps-build.test.ts: checkout, credentials, detection and builds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
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

test('defects 3, 5: staging-promotion promotes the image dev RUNS (read from dev manifests), with Workload Identity registry tokens', async () => {
  const wf = await manifest('staging-promotion.yaml');
  // staging-promotion's own first step: the release, by branch name.
  const co = await runTemplate(templateOf(wf, 'checkout'), { url: local('https://github.com/acme/shop.git'), revision: 'release/1.4', dir: '/workspace/src' }, base);
  assert.is(co.code, 0, co.stderr);
  const auth = { url: registries.dev.url, authorization: (scope: string) => registries.dev.authorization(scope) };
  const pushed = await pushImage(auth, 'shop/shop-api', { layers: [{ file: 'app', content: 'v1' }], label: 'dev-build', tag: 'not-the-release-tip' });
  const devImage = `${registries.dev.host}/shop/shop-api:not-the-release-tip@${pushed.digest}`;
  // dev runs that image (set the way dev-build sets it), whatever commit built it.
  const set = await runTemplate(templateOf(await manifest('dev-build.yaml'), 'update-dev-manifests'), {
    gitopsUrl: local('https://github.com/acme/gitops.git'), service: 'shop-api', env: 'dev', image: devImage, sourceCommit: release, appRepo: '/workspace/src',
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
    gitopsUrl: local('https://github.com/acme/gitops.git'), service: 'shop-api', env: 'staging', image: promoted.outputs['reference'] ?? '', sourceCommit: current.outputs['sourceCommit'] ?? '', appRepo: '/workspace/src', replacedDigest: promoted.outputs['replaced'] ?? '',
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
