// hotfix, compiled, run end to end with `argots run` (see test/support/org-run.ts): master runs in prod, two
// releases are open (release/1.10, still being stabilised, and release/2.0, which runs on staging); a hotfix/*
// pull request changing two services (shop-api and shop-web) is merged into master in the GitHub test server
// and its delivery goes through the Sensors. Both changes are detected: a fresh image of the merge commit per
// service goes to staging with master's configuration; master is merged back into both open releases and
// into dev; the approval gate is answered `promote` (`--approve`); each image is copied staging → prod by
// digest and proposed for production in its own GitOps pull request; staging is cleaned up — each service
// back on the release's image and configuration. Then a person approves and merges the GitOps pull requests:
// prod runs the hotfix.
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

const contains = (repo: 'acme/shop' | 'acme/gitops', a: string, b: string): Promise<boolean> =>
  git(org.scratch, '--git-dir', org.world.gitServer.repoPath(`${repo}.git`), 'merge-base', '--is-ancestor', a, b).then(() => true, () => false);

/** A deploy commit in the GitOps repository as update-manifests writes it (trailers cleanup-staging reads). */
async function deployed(env: 'staging' | 'prod', digest: string, tag: string, sourceCommit: string, service = 'shop-api'): Promise<void> {
  const reg = org.registries[env];
  const ref = `${reg.host}/shop/${service}:${tag}@${digest}`;
  await org.world.commit('acme/gitops', 'main', {
    [`apps/${service}/overlays/${env}/kustomization.yaml`]: `resources: []\nimages:\n  - name: shop/${service}\n    newName: ${reg.host}/shop/${service}\n    digest: ${digest}\n`,
  }, `deploy ${service} to ${env}: ${digest.slice(0, 19)} (from ${sourceCommit.slice(0, 12)})\n\nService: ${service}\nEnvironment: ${env}\nImage: ${ref}\nDigest: ${digest}\nSource-Commit: ${sourceCommit}`);
}

test('hotfix/* merged into master changing two services: staging checks both, master is merged back into every open release and dev, the gate promotes it, prod gets each through a GitOps pull request, staging goes back to the release', async () => {
  const { world } = org;
  const push = (env: 'staging' | 'prod', content: string, tag: string, service = 'shop-api') =>
    pushImage({ url: org.registries[env].url, authorization: (s) => org.registries[env].authorization(s) }, `shop/${service}`, { layers: [{ file: 'app', content }], tag });
  // master is what prod runs (release 1.9, merged earlier).
  const master = await world.branch('acme/shop', 'master', 'dev');
  const prodImage = await push('prod', 'release 1.9', master);
  await deployed('prod', prodImage.digest, master, master);
  const prodWeb = await push('prod', 'web 1.9', master, 'shop-web');
  await deployed('prod', prodWeb.digest, master, master, 'shop-web');
  // The world's release/1.4 (a fixture with a history of its own, unrelated to master) shipped long ago and
  // was deleted; the open releases are these two.
  await git(org.scratch, '--git-dir', world.gitServer.repoPath('acme/shop.git'), 'branch', '-D', 'release/1.4');
  // release/1.10 is open too (cut earlier, a fix of its own on it, not shipped): the hotfix must reach it.
  await world.branch('acme/shop', 'release/1.10', 'dev');
  const older = await world.commit('acme/shop', 'release/1.10', { 'services/shop-api/CHANGES.md': '1.10: checkout retries\n' }, 'Stabilise 1.10');
  // release/2.0 is open (cut from dev after more work), and staging runs its image and configuration.
  await world.commit('acme/shop', 'dev', { 'services/shop-api/main.go': 'package main // 2.0\n', 'services/shop-api/config/app.yaml': 'greeting: two-oh\n' }, 'Merge feature/2.0 into dev');
  const release = await world.branch('acme/shop', 'release/2.0', 'dev');
  const releaseImage = await push('staging', 'release 2.0', release);
  await deployed('staging', releaseImage.digest, release, release);
  const releaseWeb = await push('staging', 'web 2.0', release, 'shop-web');
  await deployed('staging', releaseWeb.digest, release, release, 'shop-web');
  await world.commit('acme/gitops', 'main', { 'apps/shop-api/overlays/staging/config/app.yaml': 'greeting: two-oh\n' }, 'config shop-api in staging');

  // The hotfix: a branch from master, a pull request, merged in GitHub.
  await world.branch('acme/shop', 'hotfix/payment', 'master');
  // Two services changed: shop-api and shop-web (not the old `service` default).
  const fix = await world.commit('acme/shop', 'hotfix/payment', { 'services/shop-api/payment.go': 'package main // rounding fixed\n', 'services/shop-web/payment.js': 'export const round = (x) => Math.round(x * 100) / 100;\n' }, 'Fix payment rounding (API and web)');
  const person = createGitHubClient(world.credentials).octokit;
  const pr = await person.rest.pulls.create({ owner: 'acme', repo: 'shop', head: 'hotfix/payment', base: 'master', title: 'Fix payment rounding' });
  const mergeCommit = (await person.rest.pulls.merge({ owner: 'acme', repo: 'shop', pull_number: pr.data.number })).data.sha;

  const shopBefore = await world.snapshot('acme/shop');
  const gitopsBefore = await org.log('acme/gitops', 'main');
  const devTags = await org.tags('dev', 'shop/shop-api');
  const run = await org.run({
    type: 'pull_request',
    body: org.pullRequestMergedDelivery({ number: pr.data.number, head: 'hotfix/payment', base: 'master', mergeCommit, headSha: fix }),
    pipeline: 'hotfix',
    approve: ['approve-hotfix:decision=promote'],
  });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.equal(run.workflows.length, 1, 'only hotfix starts');
  assert.match(run.workflows[0] ?? '', /^hotfix-/);
  assert.is(run.output('checkout', 'commit'), mergeCommit);

  // Registries: the hotfix image built once, into staging, then copied to prod by digest; dev never sees it.
  const hot = await org.digestOf('staging', 'shop/shop-api', mergeCommit);
  assert.ok(hot);
  assert.is.not(hot, releaseImage.digest);
  assert.is(await org.digestOf('prod', 'shop/shop-api', hot ?? ''), hot, 'the same digest in prod (no rebuild)');
  assert.equal(await org.tags('dev', 'shop/shop-api'), devTags);
  assert.equal(JSON.parse(run.output('detect-changes', 'codeServices') ?? ''), ['shop-api', 'shop-web']);
  const hotWeb = await org.digestOf('staging', 'shop/shop-web', mergeCommit);
  assert.ok(hotWeb, 'shop-web built into staging too');
  assert.is.not(hotWeb, hot);
  assert.is(await org.digestOf('prod', 'shop/shop-web', hotWeb ?? ''), hotWeb, 'and copied to prod by digest');
  assert.equal(await org.tags('dev', 'shop/shop-web'), []);

  // Staging ran the hotfix (a deploy commit of it, checked by Argo CD) before the gate, and is back on the
  // release's image and configuration after it.
  const gitops = world.gitServer.repoPath('acme/gitops.git');
  const added = (await org.log('acme/gitops', 'main')).slice(0, -gitopsBefore.length);
  const bodies = await Promise.all(added.map(async (c) => ({ ...c, body: await git(org.scratch, '--git-dir', gitops, 'log', '-1', '--format=%B', c.sha) })));
  const hotOnStaging = bodies.find((c) => c.subject.startsWith('deploy shop-api to staging') && c.body.includes(`Source-Commit: ${mergeCommit}`));
  assert.ok(hotOnStaging, bodies.map((c) => c.subject).join('\n'));
  assert.match((await org.gitopsFile('apps/shop-api/overlays/staging/kustomization.yaml', hotOnStaging?.sha)) ?? '', `digest: ${hot}`);
  assert.ok((org.argocd.reported.get('shop-api-staging') ?? []).length > 0, 'Argo CD was waited for on staging');
  const cleaned = await org.overlayImage('shop-api', 'staging');
  assert.equal([cleaned.newName, cleaned.digest], [`${org.registries.staging.host}/shop/shop-api`, releaseImage.digest], 'staging cleaned up: the release again');
  assert.is(await org.gitopsFile('apps/shop-api/overlays/staging/config/app.yaml'), 'greeting: two-oh\n', 'and the release\'s configuration');
  assert.is(run.output('cleanup-staging(0:shop-api)', 'release'), 'release/2.0');
  const cleanedWeb = await org.overlayImage('shop-web', 'staging');
  assert.equal([cleanedWeb.newName, cleanedWeb.digest], [`${org.registries.staging.host}/shop/shop-web`, releaseWeb.digest], 'shop-web cleaned up too');
  assert.ok(bodies.some((c) => c.subject.startsWith('deploy shop-web to staging') && c.body.includes(`Source-Commit: ${mergeCommit}`)), 'shop-web ran the hotfix on staging');

  // Back-merges: both open releases (oldest first) and dev hold the hotfix; master is not moved; nothing lost.
  assert.is(run.output('back-merge-release', 'targets'), 'release/1.10,release/2.0');
  assert.ok(await contains('acme/shop', mergeCommit, (await world.tip('acme/shop', 'release/1.10')) ?? ''), 'release/1.10 holds the hotfix');
  assert.ok(await contains('acme/shop', older, (await world.tip('acme/shop', 'release/1.10')) ?? ''), 'release/1.10 moved forward');
  assert.ok(await contains('acme/shop', mergeCommit, (await world.tip('acme/shop', 'release/2.0')) ?? ''), 'release/2.0 holds the hotfix');
  assert.ok(await contains('acme/shop', mergeCommit, (await world.tip('acme/shop', 'dev')) ?? ''), 'dev holds the hotfix');
  assert.ok(await contains('acme/shop', release, (await world.tip('acme/shop', 'release/2.0')) ?? ''), 'the release moved forward');
  assert.is(await world.tip('acme/shop', 'master'), mergeCommit);
  await world.assertNothingLost('acme/shop', shopBefore);

  // The gate was answered, and production is proposed — not yet moved.
  const gate = run.node('approve-hotfix');
  assert.is(gate.length, 1);
  assert.is(gate[0]?.phase, 'Succeeded');
  assert.equal(await org.overlayImage('shop-api', 'prod'), { newName: `${org.registries.prod.host}/shop/shop-api`, digest: prodImage.digest }, 'prod waits for the pull request');
  assert.equal(await org.overlayImage('shop-web', 'prod'), { newName: `${org.registries.prod.host}/shop/shop-web`, digest: prodWeb.digest });
  const proposals = world.api.pulls('acme/gitops').filter((p) => p.state === 'open');
  assert.is(proposals.length, 2, 'one per service: ' + JSON.stringify(proposals.map((p) => p.head.ref)));
  const proposal = proposals.find((p) => p.head.ref.includes('shop-api'))!;
  const webProposal = proposals.find((p) => p.head.ref.includes('shop-web'))!;
  assert.ok(proposal && webProposal, proposals.map((p) => p.head.ref).join(', '));
  for (const p of proposals) {
    assert.is(p.base.ref, 'main');
    assert.ok(p.labels.some((l) => l.name === 'hotfix'));
  }
  assert.match((await org.overlayImage('shop-api', 'prod', proposal.head.ref)).digest ?? '', hot ?? '-');
  assert.match((await org.overlayImage('shop-web', 'prod', webProposal.head.ref)).digest ?? '', hotWeb ?? '-');

  // A person approves and merges it (main requires a reviewed pull request): prod runs the hotfix.
  world.api.protectBranch('acme/gitops', 'main', { requirePullRequest: true });
  const unapproved = await person.rest.pulls.merge({ owner: 'acme', repo: 'gitops', pull_number: proposal.number }).then(() => undefined, (e: { status?: number }) => e);
  assert.is(unapproved?.status, 405, 'not merged without an approval');
  for (const p of [proposal, webProposal]) {
    await person.rest.pulls.createReview({ owner: 'acme', repo: 'gitops', pull_number: p.number, event: 'APPROVE' });
    await person.rest.pulls.merge({ owner: 'acme', repo: 'gitops', pull_number: p.number });
  }
  const prod = await org.overlayImage('shop-api', 'prod');
  assert.equal([prod.newName, prod.digest], [`${org.registries.prod.host}/shop/shop-api`, hot], 'prod runs the hotfix, by digest');
  assert.is(await org.gitopsFile('apps/shop-api/overlays/prod/config/app.yaml'), 'greeting: hello\n', 'with master\'s configuration');
  const prodWebAfter = await org.overlayImage('shop-web', 'prod');
  assert.equal([prodWebAfter.newName, prodWebAfter.digest], [`${org.registries.prod.host}/shop/shop-web`, hotWeb], 'prod runs shop-web\'s hotfix too');
  assert.equal(await org.overlayImage('shop-api', 'staging'), cleaned, 'the merges change prod only');
  assert.equal(await org.overlayImage('shop-web', 'staging'), cleanedWeb);
  const final = await org.log('acme/gitops', 'main');
  assert.equal(final.slice(final.length - gitopsBefore.length), gitopsBefore, 'the GitOps history is only added to');
  await org.assertArgoCdNeverWentBack();
});

test('a hotfix changing only shop-web\'s configuration, rejected at the gate: nothing built or proposed, staging gets the configuration, the releases and dev get the fix', async () => {
  const { world } = org;
  await world.branch('acme/shop', 'hotfix/web-title', 'master');
  const fix = await world.commit('acme/shop', 'hotfix/web-title', { 'services/shop-web/config/app.yaml': 'title: shop (hotfix)\n' }, 'Fix the shop title');
  const person = createGitHubClient(world.credentials).octokit;
  const pr = await person.rest.pulls.create({ owner: 'acme', repo: 'shop', head: 'hotfix/web-title', base: 'master', title: 'Fix the shop title' });
  const mergeCommit = (await person.rest.pulls.merge({ owner: 'acme', repo: 'shop', pull_number: pr.data.number })).data.sha;
  const shopBefore = await world.snapshot('acme/shop');
  const tags = await Promise.all((['staging', 'prod'] as const).flatMap((env) => ['shop/shop-api', 'shop/shop-web'].map((r) => org.tags(env, r))));
  const images = await Promise.all((['staging', 'prod'] as const).flatMap((env) => ['shop-api', 'shop-web'].map((s) => org.overlayImage(s, env))));
  const pulls = world.api.pulls('acme/gitops').length;
  const gitopsBefore = await org.log('acme/gitops', 'main');

  const run = await org.run({
    type: 'pull_request',
    body: org.pullRequestMergedDelivery({ number: pr.data.number, head: 'hotfix/web-title', base: 'master', mergeCommit, headSha: fix }),
    pipeline: 'hotfix',
    approve: ['approve-hotfix:decision=reject'],
  });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.is(run.output('detect-changes', 'kind'), 'config');
  assert.is([...run.nodes.values()].filter((n) => n.templateName === 'buildkit-build' && n.nodeType === 'Pod').length, 0, 'nothing built');
  assert.equal(await Promise.all((['staging', 'prod'] as const).flatMap((env) => ['shop/shop-api', 'shop/shop-web'].map((r) => org.tags(env, r)))), tags, 'nothing pushed');
  assert.equal(await Promise.all((['staging', 'prod'] as const).flatMap((env) => ['shop-api', 'shop-web'].map((s) => org.overlayImage(s, env)))), images, 'no image moved');
  assert.is(world.api.pulls('acme/gitops').length, pulls, 'rejected: nothing proposed for production');
  // Staging got master's configuration to be checked; the releases now hold the fix, so the clean-up copies
  // the same configuration back from release/2.0.
  const added = (await org.log('acme/gitops', 'main')).slice(0, -gitopsBefore.length);
  assert.ok(added.some((c) => /shop-web/.test(c.subject) && /staging/.test(c.subject)), added.map((c) => c.subject).join('\n'));
  assert.is(await org.gitopsFile('apps/shop-web/overlays/staging/config/app.yaml'), 'title: shop (hotfix)\n');
  assert.is(run.output('back-merge-release', 'targets'), 'release/1.10,release/2.0');
  for (const branch of ['release/1.10', 'release/2.0', 'dev']) {
    assert.ok(await contains('acme/shop', mergeCommit, (await world.tip('acme/shop', branch)) ?? ''), `${branch} holds the hotfix`);
  }
  await world.assertNothingLost('acme/shop', shopBefore);
  await org.assertArgoCdNeverWentBack();
});

test('a hotfix changing only shop-web\'s configuration, promoted at the gate: production keeps its image and gets master\'s configuration through a configuration-only GitOps pull request', async () => {
  const { world } = org;
  await world.branch('acme/shop', 'hotfix/web-footer', 'master');
  const fix = await world.commit('acme/shop', 'hotfix/web-footer', { 'services/shop-web/config/app.yaml': 'title: shop (hotfix)\nfooter: acme 2026\n' }, 'Fix the shop footer');
  const person = createGitHubClient(world.credentials).octokit;
  const pr = await person.rest.pulls.create({ owner: 'acme', repo: 'shop', head: 'hotfix/web-footer', base: 'master', title: 'Fix the shop footer' });
  const mergeCommit = (await person.rest.pulls.merge({ owner: 'acme', repo: 'shop', pull_number: pr.data.number })).data.sha;
  const tags = await Promise.all((['staging', 'prod'] as const).flatMap((env) => ['shop/shop-api', 'shop/shop-web'].map((r) => org.tags(env, r))));
  const prodImages = await Promise.all(['shop-api', 'shop-web'].map((s) => org.overlayImage(s, 'prod')));
  const prodConfig = await org.gitopsFile('apps/shop-web/overlays/prod/config/app.yaml');
  const pulls = world.api.pulls('acme/gitops').length;

  const run = await org.run({
    type: 'pull_request',
    body: org.pullRequestMergedDelivery({ number: pr.data.number, head: 'hotfix/web-footer', base: 'master', mergeCommit, headSha: fix }),
    pipeline: 'hotfix',
    approve: ['approve-hotfix:decision=promote'],
  });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.is(run.output('detect-changes', 'kind'), 'config');
  assert.equal(await Promise.all((['staging', 'prod'] as const).flatMap((env) => ['shop/shop-api', 'shop/shop-web'].map((r) => org.tags(env, r)))), tags, 'nothing built or pushed');
  // One proposal, for shop-web only, carrying master's configuration and not an image.
  const proposals = world.api.pulls('acme/gitops').slice(pulls);
  assert.is(proposals.length, 1, proposals.map((p) => p.title).join('\n'));
  const [proposal] = proposals;
  assert.is(proposal?.title, `Configuration of shop-web in prod from ${mergeCommit.slice(0, 12)}`);
  assert.match(proposal?.body ?? '', /This pull request carries its configuration only\./);
  assert.equal(proposal?.labels.map((l) => l.name), ['promotion', 'env:prod', 'hotfix']);
  const branch = proposal?.head.ref ?? '';
  assert.is(await org.gitopsFile('apps/shop-web/overlays/prod/config/app.yaml', branch), 'title: shop (hotfix)\nfooter: acme 2026\n');
  assert.equal(await org.overlayImage('shop-web', 'prod', branch), prodImages[1], 'the branch keeps the image production runs');
  // Nothing reaches production before a person merges the pull request.
  assert.is(await org.gitopsFile('apps/shop-web/overlays/prod/config/app.yaml'), prodConfig);
  assert.is((await org.log('acme/gitops', 'main')).find((c) => /prod/.test(c.subject) && c.subject.includes(mergeCommit.slice(0, 12))), undefined);
  assert.equal(await Promise.all(['shop-api', 'shop-web'].map((s) => org.overlayImage(s, 'prod'))), prodImages, 'no production image moved');
  await org.assertArgoCdNeverWentBack();
});

test.run();
