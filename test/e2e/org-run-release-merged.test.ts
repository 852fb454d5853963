// production-promotion, compiled, run end to end with `argots run` (see test/support/org-run.ts): release/2.0
// runs on staging; its pull request into master is merged in the GitHub test server and the delivery goes
// through the Sensors. No rebuild: for every service of the release, the image staging RUNS is copied to the
// prod registry by digest, and the production gate is a pull request in the GitOps repository (the default
// `gate=pull-request`) carrying the image and the release's configuration: prod does not move until a person
// approves and merges it.
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

/** A deploy commit in the GitOps repository as update-manifests writes it. */
async function deployed(service: string, env: 'staging' | 'prod', digest: string, tag: string, sourceCommit: string): Promise<void> {
  const reg = org.registries[env];
  await org.world.commit('acme/gitops', 'main', {
    [`apps/${service}/overlays/${env}/kustomization.yaml`]: `resources: []\nimages:\n  - name: shop/${service}\n    newName: ${reg.host}/shop/${service}\n    digest: ${digest}\n`,
  }, `deploy ${service} to ${env}: ${digest.slice(0, 19)} (from ${sourceCommit.slice(0, 12)})\n\nService: ${service}\nEnvironment: ${env}\nImage: ${reg.host}/shop/${service}:${tag}@${digest}\nDigest: ${digest}\nSource-Commit: ${sourceCommit}`);
}

test('release/* merged into master: staging\'s image is copied to prod by digest, and prod moves only when the GitOps pull request (image and release config) is approved and merged', async () => {
  const { world } = org;
  const push = (env: 'staging' | 'prod', content: string, tag: string, service = 'shop-api') =>
    pushImage({ url: org.registries[env].url, authorization: (s) => org.registries[env].authorization(s) }, `shop/${service}`, { layers: [{ file: 'app', content }], tag });
  // prod runs the previous release (master); release/2.0 runs on staging with its configuration.
  const master = await world.branch('acme/shop', 'master', 'dev');
  const prodImage = await push('prod', 'release 1.9', master);
  await deployed('shop-api', 'prod', prodImage.digest, master, master);
  await world.commit('acme/shop', 'dev', { 'services/shop-api/main.go': 'package main // 2.0\n', 'services/shop-api/config/app.yaml': 'greeting: two-oh\n' }, 'Merge feature/2.0 into dev');
  const release = await world.branch('acme/shop', 'release/2.0', 'dev');
  const staged = await push('staging', 'release 2.0', release);
  await deployed('shop-api', 'staging', staged.digest, release, release);
  // shop-web, the release's other service, runs on staging too (its image from an earlier build).
  const web = await push('staging', 'web 2.0', 'earlier', 'shop-web');
  await deployed('shop-web', 'staging', web.digest, 'earlier', release);

  // The release's pull request into master, merged in GitHub.
  const person = createGitHubClient(world.credentials).octokit;
  const pr = await person.rest.pulls.create({ owner: 'acme', repo: 'shop', head: 'release/2.0', base: 'master', title: 'Release 2.0' });
  const mergeCommit = (await person.rest.pulls.merge({ owner: 'acme', repo: 'shop', pull_number: pr.data.number })).data.sha;

  const shopBefore = await world.snapshot('acme/shop');
  const gitopsBefore = await org.log('acme/gitops', 'main');
  const stagingBefore = await org.overlayImage('shop-api', 'staging');
  const devBefore = await org.overlayImage('shop-api', 'dev');
  const run = await org.run({
    type: 'pull_request',
    body: org.pullRequestMergedDelivery({ number: pr.data.number, head: 'release/2.0', base: 'master', mergeCommit, headSha: release }),
    pipeline: 'production-promotion',
  });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.equal(run.workflows.length, 1, 'only production-promotion starts');
  assert.match(run.workflows[0] ?? '', /^production-promotion-/);
  const read = [...run.nodes.values()].filter((n) => n.templateName === 'staging-image' && n.nodeType === 'Pod' && n.phase === 'Succeeded').map((n) => n.outputs?.parameters?.find((p) => p.name === 'digest')?.value).sort();
  assert.equal(read, [staged.digest, web.digest].sort(), 'each service: the image staging runs, read from its manifests');

  // Registries: staging's digest is in prod now (copied, not rebuilt); dev and staging are untouched.
  assert.is(await org.digestOf('prod', 'shop/shop-api', staged.digest), staged.digest);
  assert.is(await org.digestOf('prod', 'shop/shop-web', web.digest), web.digest, 'every service of the release');
  assert.equal([...run.nodes.values()].filter((n) => /build/.test(n.templateName)), [], 'nothing is built');

  // The gate: prod has not moved; one pull request in the GitOps repository proposes the image and the config.
  assert.equal(await org.overlayImage('shop-api', 'prod'), { newName: `${org.registries.prod.host}/shop/shop-api`, digest: prodImage.digest });
  assert.is(await org.gitopsFile('apps/shop-api/overlays/prod/config/app.yaml'), undefined);
  assert.equal((await org.log('acme/gitops', 'main')), gitopsBefore, 'nothing pushed to main before the gate');
  const open = world.api.pulls('acme/gitops').filter((p) => p.state === 'open').sort((a, b) => (a.head.ref < b.head.ref ? -1 : 1));
  assert.equal(open.map((p) => [p.base.ref, p.head.ref]), [['main', `promote/shop-api-${mergeCommit.slice(0, 12)}`], ['main', `promote/shop-web-${mergeCommit.slice(0, 12)}`]], 'one pull request per service');
  const [proposal, webProposal] = open as [typeof open[number], typeof open[number]];
  assert.ok(proposal.labels.some((l) => l.name === 'env:prod'));
  assert.equal(await org.overlayImage('shop-api', 'prod', proposal.head.ref), { newName: `${org.registries.prod.host}/shop/shop-api`, digest: staged.digest });
  assert.is(await org.gitopsFile('apps/shop-api/overlays/prod/config/app.yaml', proposal.head.ref), 'greeting: two-oh\n', 'the release\'s configuration rides with the image');
  const webOnBranch = await org.overlayImage('shop-web', 'prod', webProposal.head.ref);
  assert.equal([webOnBranch.newName, webOnBranch.digest], [`${org.registries.prod.host}/shop/shop-web`, web.digest], 'by digest (a digest wins over the overlay\'s old newTag)');
  assert.is(await org.gitopsFile('apps/shop-web/overlays/prod/config/app.yaml', webProposal.head.ref), 'title: shop\n');

  // A person: merging unreviewed is refused (main requires a reviewed pull request); approved, it merges.
  world.api.protectBranch('acme/gitops', 'main', { requirePullRequest: true });
  const unapproved = await person.rest.pulls.merge({ owner: 'acme', repo: 'gitops', pull_number: proposal.number }).then(() => undefined, (e: { status?: number }) => e);
  assert.is(unapproved?.status, 405, 'not merged without an approval');
  assert.equal(await org.overlayImage('shop-api', 'prod'), { newName: `${org.registries.prod.host}/shop/shop-api`, digest: prodImage.digest });
  for (const p of [proposal, webProposal]) {
    await person.rest.pulls.createReview({ owner: 'acme', repo: 'gitops', pull_number: p.number, event: 'APPROVE' });
    await person.rest.pulls.merge({ owner: 'acme', repo: 'gitops', pull_number: p.number });
  }

  // prod runs the staging image by digest from the prod registry, with the release config; nothing else moved.
  assert.equal(await org.overlayImage('shop-api', 'prod'), { newName: `${org.registries.prod.host}/shop/shop-api`, digest: staged.digest });
  assert.is(await org.gitopsFile('apps/shop-api/overlays/prod/config/app.yaml'), 'greeting: two-oh\n');
  const webProd = await org.overlayImage('shop-web', 'prod');
  assert.equal([webProd.newName, webProd.digest], [`${org.registries.prod.host}/shop/shop-web`, web.digest]);
  assert.equal(await org.overlayImage('shop-api', 'staging'), stagingBefore);
  assert.equal(await org.overlayImage('shop-api', 'dev'), devBefore);
  const after = await org.log('acme/gitops', 'main');
  assert.equal(after.slice(after.length - gitopsBefore.length), gitopsBefore, 'the GitOps history is only added to');
  const body = await git(org.scratch, '--git-dir', world.gitServer.repoPath('acme/gitops.git'), 'log', '--format=%B', `${gitopsBefore[0]?.sha}..main`);
  assert.match(body, `Source-Commit: ${mergeCommit}`);
  await world.assertNothingLost('acme/shop', shopBefore);
  await org.assertArgoCdNeverWentBack();
});

test.run();
