// staging-bugfix, compiled, run end to end with `argots run` (see test/support/org-run.ts): release/2.0 runs on
// staging; a bugfix/* pull request is opened, merged onto the release in the GitHub test server (a real merge
// commit), and its `pull_request` `closed` delivery goes through the Sensors. A fresh image is built from the
// merge commit and pushed to the STAGING registry only (dev never sees it), staging's overlay takes it with
// the release's configuration, Argo CD is waited for, and the release is merged back into dev.
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

test('bugfix/* merged onto release/2.0: a fresh image for staging only, staging runs it with the release config, the release is merged back into dev; nothing moves backwards', async () => {
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
  }, 'Fix the cart total');
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

  // Registries: a fresh image of the merge commit in staging; dev and prod never see it.
  const fresh = await org.digestOf('staging', 'shop/shop-api', mergeCommit);
  assert.ok(fresh, 'built and pushed to staging, tagged with the merge commit');
  assert.is.not(fresh, staged.digest);
  assert.equal(await org.tags('dev', 'shop/shop-api'), devTags, 'nothing pushed to dev');
  assert.equal(await org.tags('prod', 'shop/shop-api'), []);
  assert.equal(await org.tags('staging', 'shop/shop-web'), [], 'the other service is not built');

  // GitOps: staging's overlay runs the fresh image (by digest), its configuration is the release's; dev and
  // prod are left alone; the history is only added to.
  const staging = await org.overlayImage('shop-api', 'staging');
  assert.is(staging.newName, `${org.registries.staging.host}/shop/shop-api`);
  assert.is(staging.digest, fresh, 'by digest (the tag beside it is the merge commit)');
  assert.is(await org.gitopsFile('apps/shop-api/overlays/staging/config/app.yaml'), 'greeting: release 2.0.1\n');
  assert.equal(await org.overlayImage('shop-api', 'dev'), devOverlay);
  assert.equal(await org.overlayImage('shop-api', 'prod'), { newTag: 'old' });
  const gitopsAfter = await org.log('acme/gitops', 'main');
  assert.equal(gitopsAfter.slice(gitopsAfter.length - gitopsBefore.length), gitopsBefore, 'the GitOps history is only added to');
  const deploy = gitopsAfter.find((c) => c.subject.startsWith('deploy shop-api to staging'));
  assert.ok(deploy && gitopsAfter.indexOf(deploy) < gitopsAfter.length - gitopsBefore.length, 'a new staging deploy commit');
  assert.match(await git(org.scratch, '--git-dir', org.world.gitServer.repoPath('acme/gitops.git'), 'log', '-1', '--format=%B', deploy?.sha ?? ''), `Source-Commit: ${mergeCommit}`);
  assert.ok((org.argocd.reported.get('shop-api-staging') ?? []).length > 0, 'Argo CD was waited for');
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

test.run();
