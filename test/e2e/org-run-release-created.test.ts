// staging-promotion, compiled, run end to end with `argots run` (see test/support/org-run.ts): dev runs
// shop-api and shop-web (set in dev's manifests as dev-build sets them), then release/1.5 is created from
// dev and its `create` delivery goes through the Sensors: no rebuild — for every service of the
// release, the image dev RUNS (read by digest from dev's manifests) is copied to the staging registry,
// staging's overlay takes it, the release's configuration is copied to staging, and Argo CD is waited for.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git } from '../../packages/runtime/test/github/world.js';
import { pushImage } from '../support/oci-images.js';
import { startOrgRun, type OrgRun } from '../support/org-run.js';

let org: OrgRun;

test.before(async () => {
  org = await startOrgRun();
});
test.after(async () => {
  await org?.close();
});

test('release/* created from dev: every service\'s dev image is promoted to staging by digest (never rebuilt), staging runs it, the release configuration reaches staging', async () => {
  // What dev runs (as dev-build leaves it: org-run-dev-*.test.ts prove that part): shop-api built from the
  // release's tip, shop-web from an earlier build (not the release's tip: a promotion copies what dev RUNS).
  const target = { url: org.registries.dev.url, authorization: (scope: string) => org.registries.dev.authorization(scope) };
  const before = (await org.log('acme/shop', 'dev'))[0]?.sha ?? '';
  const built = await org.world.commit('acme/shop', 'dev', { 'services/shop-api/main.go': 'package main // 1.5\n', 'services/shop-api/config/app.yaml': 'greeting: one-five\n' }, 'Merge feature/1.5 into dev');
  const api = await pushImage(target, 'shop/shop-api', { layers: [{ file: 'app', content: 'api 1.5' }], tag: built });
  const web = await pushImage(target, 'shop/shop-web', { layers: [{ file: 'app', content: 'web v1' }], tag: before });
  const overlay = (service: string, digest: string): string => `resources: []\nimages:\n  - name: shop/${service}\n    newName: ${org.registries.dev.host}/shop/${service}\n    digest: ${digest}\n`;
  await org.world.commit('acme/gitops', 'main', {
    'apps/shop-api/overlays/dev/kustomization.yaml': overlay('shop-api', api.digest),
    'apps/shop-web/overlays/dev/kustomization.yaml': overlay('shop-web', web.digest),
  }, `dev: shop-api at ${built.slice(0, 12)}, shop-web at an earlier build\n\nSource-Commit: ${built}`);
  const devDigest = api.digest;
  const devTags = await org.tags('dev', 'shop/shop-api');

  // release/1.5 is created from dev (a branch, no new commit): GitHub sends `create`.
  await git(org.scratch, '--git-dir', org.world.gitServer.repoPath('acme/shop.git'), 'branch', 'release/1.5', 'dev');
  const gitopsBefore = await org.log('acme/gitops', 'main');
  const run = await org.run({ type: 'create', body: org.createDelivery('release/1.5'), pipeline: 'staging-promotion' });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.equal(run.workflows.length, 1, 'only staging-promotion starts');
  assert.match(run.workflows[0] ?? '', /^staging-promotion-/);
  assert.is(run.output('checkout', 'commit'), built, 'the release checked out by branch name');
  const promoted = [...run.nodes.values()].filter((n) => n.templateName === 'dev-image' && n.nodeType === 'Pod' && n.phase === 'Succeeded');
  assert.equal(promoted.map((n) => n.outputs?.parameters?.find((p) => p.name === 'digest')?.value).sort(), [devDigest, web.digest].sort(), 'each service: the image dev runs, read from its manifests');

  // Registries: the same digest in staging; nothing built (dev's tags unchanged, no build node).
  assert.equal([...run.nodes.values()].filter((n) => /build/.test(n.templateName)), []);
  assert.equal(await org.tags('dev', 'shop/shop-api'), devTags);
  assert.is(await org.digestOf('staging', 'shop/shop-api', devDigest ?? ''), devDigest, 'promoted by digest');
  assert.equal(await org.tags('prod', 'shop/shop-api'), [], 'prod does not move');
  assert.is(await org.digestOf('staging', 'shop/shop-web', web.digest), web.digest, 'shop-web (the other service of the release) is promoted too');
  const webStaging = await org.overlayImage('shop-web', 'staging');
  assert.is(webStaging.newName, `${org.registries.staging.host}/shop/shop-web`);
  assert.is(webStaging.digest, web.digest, 'a digest wins over any newTag in kustomize');
  assert.is(await org.gitopsFile('apps/shop-web/overlays/staging/config/app.yaml'), 'title: shop\n');

  // GitOps: staging's overlay runs the promoted image, its configuration is the release's; dev is left alone.
  const staging = await org.overlayImage('shop-api', 'staging');
  assert.is(staging.newName, `${org.registries.staging.host}/shop/shop-api`);
  assert.is(staging.digest, devDigest);
  assert.is(await org.gitopsFile('apps/shop-api/overlays/staging/config/app.yaml'), 'greeting: one-five\n');
  assert.is((await org.overlayImage('shop-api', 'dev')).digest, devDigest);
  assert.equal(await org.overlayImage('shop-api', 'prod'), { newTag: 'old' });
  const gitopsAfter = await org.log('acme/gitops', 'main');
  assert.ok(gitopsAfter.length > gitopsBefore.length);
  assert.equal(gitopsAfter.slice(gitopsAfter.length - gitopsBefore.length), gitopsBefore, 'the GitOps history is only added to');
  for (const app of ['shop-api-staging', 'shop-web-staging']) assert.ok((org.argocd.reported.get(app) ?? []).length > 0, `${app} was waited for in Argo CD`);
  await org.assertArgoCdNeverWentBack();

  // Every step ran the runtime image pulled from the read-only virtual registry, which took no write.
  assert.ok(org.runtimeImage.startsWith(`${org.virtualRegistry.host}/platform/argots-runtime:`), org.runtimeImage);
  const upload = await fetch(`${org.virtualRegistry.url}/v2/shop/shop-api/blobs/uploads/`, { method: 'POST' });
  assert.is(upload.status, 405, 'the virtual registry refuses writes');
  const catalog = (await (await fetch(`${org.virtualRegistry.url}/v2/_catalog`)).json()) as { repositories: string[] };
  assert.equal(catalog.repositories, ['platform/argots-runtime'], 'nothing was pushed into the virtual registry');
});

test.run();
