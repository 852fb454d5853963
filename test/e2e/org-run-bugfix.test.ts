// staging-bugfix, compiled, run end to end with `argots run` (see test/support/org-run.ts): release/2.0 runs on
// staging; a bugfix/* pull request is opened, merged onto the release in the GitHub test server (a real merge
// commit), and its `pull_request` `closed` delivery goes through the Sensors. The pipeline detects which
// services the merge changed: each one with code changes gets a fresh image of the merge commit, pushed to
// the STAGING registry only (dev never sees it), staging's overlay takes it with the release's configuration,
// Argo CD is waited for, and the release is merged back into dev. The first bugfix changes two services
// (shop-api: code and config, shop-web: code); the second only shop-web's configuration (copied, nothing built).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git } from '../../packages/runtime/test/github/world.js';
import { createGitHubClient } from '@argots/runtime';
import { pushImage } from '../support/oci-images.js';
import { startOrgRun, type OrgRun } from '../support/org-run.js';

let org: OrgRun;

test.before(async () => {
  org = await startOrgRun();
});
test.after(async () => {
  await org?.close();
});

const shopBare = (): string => org.world.gitServer.repoPath('acme/shop.git');
const isAncestor = (a: string, b: string): Promise<boolean> =>
  git(org.scratch, '--git-dir', shopBare(), 'merge-base', '--is-ancestor', a, b).then(() => true, () => false);

test('bugfix/* merged onto release/2.0, two services changed: a fresh image of each for staging only, staging runs them with the release config, the release is merged back into dev; nothing moves backwards', async () => {
  const { world } = org;
  // release/2.0 was cut from dev, and staging runs its image (as staging-promotion left it: deploy trailers).
  const releaseTip = await world.branch('acme/shop', 'release/2.0', 'dev');
  const staged = await pushImage({ url: org.registries.staging.url, authorization: (s) => org.registries.staging.authorization(s) }, 'shop/shop-api', { layers: [{ file: 'app', content: 'release 2.0' }], tag: releaseTip });
  const stagedRef = `${org.registries.staging.host}/shop/shop-api:${releaseTip}@${staged.digest}`;
  await world.commit('acme/gitops', 'main', {
    'apps/shop-api/overlays/staging/kustomization.yaml': `resources: []\nimages:\n  - name: shop/shop-api\n    newName: ${org.registries.staging.host}/shop/shop-api\n    digest: ${staged.digest}\n`,
  }, `deploy shop-api to staging: ${staged.digest.slice(0, 19)} (from ${releaseTip.slice(0, 12)})\n\nService: shop-api\nEnvironment: staging\nImage: ${stagedRef}\nDigest: ${staged.digest}\nSource-Commit: ${releaseTip}`);

  // The bugfix: a branch from the release, a pull request, merged in GitHub (a merge commit on release/2.0).
  await world.branch('acme/shop', 'bugfix/cart-total', 'release/2.0');
  const fix = await world.commit('acme/shop', 'bugfix/cart-total', {
    'services/shop-api/main.go': 'package main // cart total fixed\n',
    'services/shop-api/config/app.yaml': 'greeting: release 2.0.1\n',
    'services/shop-web/cart.js': 'export const total = (items) => items.reduce((a, i) => a + i.price, 0);\n',
  }, 'Fix the cart total (API and web)');
  const person = createGitHubClient(world.credentials).octokit;
  const pr = await person.rest.pulls.create({ owner: 'acme', repo: 'shop', head: 'bugfix/cart-total', base: 'release/2.0', title: 'Fix the cart total' });
  const merged = await person.rest.pulls.merge({ owner: 'acme', repo: 'shop', pull_number: pr.data.number });
  const mergeCommit = merged.data.sha;
  assert.is(await world.tip('acme/shop', 'release/2.0'), mergeCommit);

  const devBefore = (await world.tip('acme/shop', 'dev')) ?? '';
  const shopBefore = await world.snapshot('acme/shop');
  const gitopsBefore = await org.log('acme/gitops', 'main');
  const devOverlay = await org.overlayImage('shop-api', 'dev');
  const devTags = await org.tags('dev', 'shop/shop-api');

  const run = await org.run({
    type: 'pull_request',
    body: org.pullRequestMergedDelivery({ number: pr.data.number, head: 'bugfix/cart-total', base: 'release/2.0', mergeCommit, headSha: fix }),
    pipeline: 'staging-bugfix',
  });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.equal(run.workflows.length, 1, 'only staging-bugfix starts');
  assert.match(run.workflows[0] ?? '', /^staging-bugfix-/);
  assert.is(run.output('checkout', 'commit'), mergeCommit, 'the merge commit is built');

  // Both changed services detected, each built once from its own folder (no `service` parameter decides).
  assert.equal(JSON.parse(run.output('detect-changes', 'codeServices') ?? ''), ['shop-api', 'shop-web']);
  const builds = [...run.nodes.values()].filter((n) => n.templateName === 'buildkit-build' && n.nodeType === 'Pod');
  assert.is(builds.length, 2, builds.map((n) => n.name).join(', '));

  // Registries: a fresh image of the merge commit per service in staging; dev and prod never see them.
  const fresh = await org.digestOf('staging', 'shop/shop-api', mergeCommit);
  assert.ok(fresh, 'built and pushed to staging, tagged with the merge commit');
  assert.is.not(fresh, staged.digest);
  const web = await org.digestOf('staging', 'shop/shop-web', mergeCommit);
  assert.ok(web, 'shop-web (not the old `service` default) built and pushed to staging');
  assert.is.not(web, fresh, 'each from its own folder');
  assert.equal(await org.tags('dev', 'shop/shop-api'), devTags, 'nothing pushed to dev');
  assert.equal(await org.tags('dev', 'shop/shop-web'), []);
  assert.equal(await org.tags('prod', 'shop/shop-api'), []);
  assert.equal(await org.tags('prod', 'shop/shop-web'), []);

  // GitOps: staging's overlay runs the fresh image (by digest), its configuration is the release's; dev and
  // prod are left alone; the history is only added to.
  const staging = await org.overlayImage('shop-api', 'staging');
  assert.is(staging.newName, `${org.registries.staging.host}/shop/shop-api`);
  assert.is(staging.digest, fresh, 'by digest (the tag beside it is the merge commit)');
  assert.is(await org.gitopsFile('apps/shop-api/overlays/staging/config/app.yaml'), 'greeting: release 2.0.1\n');
  const webStaging = await org.overlayImage('shop-web', 'staging');
  assert.equal([webStaging.newName, webStaging.digest], [`${org.registries.staging.host}/shop/shop-web`, web]);
  assert.is(await org.gitopsFile('apps/shop-web/overlays/staging/config/app.yaml'), 'title: shop\n', 'shop-web with the release\'s configuration');
  assert.equal(await org.overlayImage('shop-web', 'dev'), { newTag: 'old' });
  assert.equal(await org.overlayImage('shop-api', 'dev'), devOverlay);
  assert.equal(await org.overlayImage('shop-api', 'prod'), { newTag: 'old' });
  const gitopsAfter = await org.log('acme/gitops', 'main');
  assert.equal(gitopsAfter.slice(gitopsAfter.length - gitopsBefore.length), gitopsBefore, 'the GitOps history is only added to');
  const deploy = gitopsAfter.find((c) => c.subject.startsWith('deploy shop-api to staging'));
  assert.ok(deploy && gitopsAfter.indexOf(deploy) < gitopsAfter.length - gitopsBefore.length, 'a new staging deploy commit');
  assert.match(await git(org.scratch, '--git-dir', org.world.gitServer.repoPath('acme/gitops.git'), 'log', '-1', '--format=%B', deploy?.sha ?? ''), `Source-Commit: ${mergeCommit}`);
  assert.ok((org.argocd.reported.get('shop-api-staging') ?? []).length > 0, 'Argo CD was waited for');
  assert.ok((org.argocd.reported.get('shop-web-staging') ?? []).length > 0, 'for shop-web too');
  await org.assertArgoCdNeverWentBack();

  // The release is merged back into dev: dev moved forward and now holds the bugfix; nothing was lost.
  const devAfter = (await world.tip('acme/shop', 'dev')) ?? '';
  assert.is.not(devAfter, devBefore);
  assert.ok(await isAncestor(devBefore, devAfter), 'dev moved forward, not rewritten');
  assert.ok(await isAncestor(mergeCommit, devAfter), 'dev holds the bugfix');
  assert.is(await world.tip('acme/shop', 'release/2.0'), mergeCommit, 'the release itself is not moved by the back-merge');
  await world.assertNothingLost('acme/shop', shopBefore);
  assert.equal(world.api.pulls('acme/shop').filter((p) => p.state === 'open'), [], 'a clean back-merge opens no pull request');
});

test('bugfix/* changing only shop-web\'s configuration: nothing is built, staging gets the configuration, the release is merged back into dev', async () => {
  const { world } = org;
  await world.branch('acme/shop', 'bugfix/web-title', 'release/2.0');
  const fix = await world.commit('acme/shop', 'bugfix/web-title', { 'services/shop-web/config/app.yaml': 'title: shop (2.0.2)\n' }, 'Fix the shop title');
  const person = createGitHubClient(world.credentials).octokit;
  const pr = await person.rest.pulls.create({ owner: 'acme', repo: 'shop', head: 'bugfix/web-title', base: 'release/2.0', title: 'Fix the shop title' });
  const mergeCommit = (await person.rest.pulls.merge({ owner: 'acme', repo: 'shop', pull_number: pr.data.number })).data.sha;
  const shopBefore = await world.snapshot('acme/shop');
  const tags = { api: await org.tags('staging', 'shop/shop-api'), web: await org.tags('staging', 'shop/shop-web') };
  const overlays = { api: await org.overlayImage('shop-api', 'staging'), web: await org.overlayImage('shop-web', 'staging') };
  const apiConfig = await org.gitopsFile('apps/shop-api/overlays/staging/config/app.yaml');

  const run = await org.run({
    type: 'pull_request',
    body: org.pullRequestMergedDelivery({ number: pr.data.number, head: 'bugfix/web-title', base: 'release/2.0', mergeCommit, headSha: fix }),
    pipeline: 'staging-bugfix',
  });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.is(run.output('detect-changes', 'kind'), 'config');
  assert.equal(JSON.parse(run.output('detect-changes', 'configServices') ?? ''), ['shop-web']);
  assert.is([...run.nodes.values()].filter((n) => n.templateName === 'buildkit-build' && n.nodeType === 'Pod').length, 0, 'nothing built');
  assert.equal({ api: await org.tags('staging', 'shop/shop-api'), web: await org.tags('staging', 'shop/shop-web') }, tags, 'nothing pushed');
  assert.equal({ api: await org.overlayImage('shop-api', 'staging'), web: await org.overlayImage('shop-web', 'staging') }, overlays, 'no image moved');
  assert.is(await org.gitopsFile('apps/shop-web/overlays/staging/config/app.yaml'), 'title: shop (2.0.2)\n', 'the configuration copied to staging');
  assert.is(await org.gitopsFile('apps/shop-api/overlays/staging/config/app.yaml'), apiConfig, 'the unchanged service is left');
  assert.ok(await isAncestor(mergeCommit, (await world.tip('acme/shop', 'dev')) ?? ''), 'dev holds the bugfix');
  await world.assertNothingLost('acme/shop', shopBefore);
  await org.assertArgoCdNeverWentBack();
});

test.run();
