import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { cleanupStaging, createGitHubClient, newestOpenRelease, releaseVersion, runBugfixFlow, runHotfixFlow, updateManifests } from '../../src/index.js';
import { createWorld, git } from '../github/world.js';
import type { World } from '../github/world.js';
import { createGitops, image } from './gitops.js';

const APP = 'acme/shop';
const OVERLAY = (env: string): string => `apps/shop-api/overlays/${env}/kustomization.yaml`;

async function show(world: World, repo: string, branch: string, file: string): Promise<string> {
  return git(world.scratch, '--git-dir', world.gitServer.repoPath(`${repo}.git`), 'show', `${branch}:${file}`);
}

test('release versions are read from branch names and ordered as versions, not as text', async () => {
  assert.is(releaseVersion('release/1.4'), '1.4.0');
  assert.is(releaseVersion('release/v2.0.0-rc.1'), '2.0.0-rc.1');
  assert.is(releaseVersion('release/1.10'), '1.10.0');
  assert.is(releaseVersion('release/next'), undefined);
  const world = await createWorld();
  try {
    const { url } = await world.createRepo(APP);
    const base = await world.commit(APP, 'master', { 'a.txt': '1\n' });
    for (const b of ['release/1.2', 'release/1.9', 'release/next']) await world.branch(APP, b, base);
    await world.commit(APP, 'release/1.9', { 'b.txt': '9\n' });
    await world.branch(APP, 'release/1.10', base);
    await world.commit(APP, 'release/1.10', { 'c.txt': '10\n' });
    // release/2.0 shipped: merged into master, so it is not open any more.
    await world.branch(APP, 'release/2.0', base);
    const shipped = await world.commit(APP, 'release/2.0', { 'd.txt': '2\n' });
    await world.branch(APP, 'tmp', shipped);
    await world.commit(APP, 'tmp', { 'e.txt': 'x\n' });
    await git(world.scratch, '--git-dir', world.gitServer.repoPath(`${APP}.git`), 'update-ref', 'refs/heads/master', shipped);
    const github = createGitHubClient(world.credentials);
    const newest = await newestOpenRelease(join(world.scratch, 'probe'), url, { auth: github.gitAuth });
    assert.is(newest?.branch, 'release/1.10', '1.10 > 1.9 > 1.2; 2.0 has shipped; "next" has no version');
    assert.is(newest?.version, '1.10.0');
  } finally {
    await world.close();
  }
});

/**
 * The shop: master runs 1.3 in prod; release/1.4 (cut from dev) runs in staging; dev moved on. Then a hotfix
 * is merged into master.
 */
async function shopWithHotfix(world: World): Promise<{ appUrl: string; gitopsUrl: string; release: string; hotfix: string }> {
  const { url: appUrl } = await world.createRepo(APP);
  const gitopsUrl = await createGitops(world);
  const v13 = await world.commit(APP, 'master', { 'app/version.txt': '1.3\n', 'app/login.ts': 'login v1\n' }, 'release 1.3');
  await world.branch(APP, 'dev', v13);
  await world.commit(APP, 'dev', { 'app/feature.ts': 'feature 1.4\n' }, 'feat: 1.4 feature');
  await world.branch(APP, 'release/1.3', v13);
  await world.branch(APP, 'release/1.4', (await world.tip(APP, 'dev')) ?? '');
  const release = await world.commit(APP, 'release/1.4', { 'app/version.txt': '1.4\n' }, 'release 1.4');
  await world.commit(APP, 'dev', { 'app/next.ts': 'next\n' }, 'feat: next');
  return { appUrl, gitopsUrl, release, hotfix: await world.commit(APP, 'master', { 'app/login.ts': 'login v1 fixed\n' }, "Merge pull request #9 from acme/hotfix/login") };
}

test('the full hotfix flow: staging gets the hotfix, master is back-merged into the newest release and dev, staging is restored', async () => {
  let slowPush = false;
  let mintedWhenPushDone = -1;
  const world = await createWorld({
    // Tokens live 6 s and are replaced 3 s before expiry (GitHub: 1 h and 5 min).
    tokenLifetimeSeconds: 6,
    // The flow's first push takes a while: the token in use when the flow started expires during the flow.
    beforePush: async () => {
      if (!slowPush) return;
      slowPush = false;
      await new Promise((r) => setTimeout(r, 3200));
      mintedWhenPushDone = world.api.stats.tokensMinted;
    },
  });
  try {
    const { appUrl, gitopsUrl, release, hotfix } = await shopWithHotfix(world);
    const github = createGitHubClient(world.credentials, { refreshMarginMs: 3000 });
    // Staging runs the release candidate, deployed by the staging promotion.
    const releaseImage = image('4', '1.4.0');
    await updateManifests({ gitopsUrl, updates: [{ service: 'shop-api', env: 'staging', image: releaseImage }], sourceCommit: release, auth: github.gitAuth });
    const beforeApp = await world.snapshot(APP);
    const beforeGitops = await world.snapshot('acme/gitops');
    const mintedBefore = world.api.stats.tokensMinted;

    const hotfixImage = image('f', '1.3.1');
    const lines: string[] = [];
    slowPush = true;
    const result = await runHotfixFlow({
      repository: APP,
      appUrl,
      gitopsUrl,
      service: 'shop-api',
      image: hotfixImage,
      sourceCommit: hotfix,
      octokit: github.octokit,
      auth: github.gitAuth,
      log: (m) => lines.push(m),
    });

    assert.ok(result.deploy.changed, 'the hotfix was deployed to staging');
    assert.equal(result.deploy.files, [OVERLAY('staging')]);
    assert.is(result.release?.branch, 'release/1.4', 'release/1.3 is contained in master, so 1.4 is the newest open release');
    assert.is(result.intoRelease?.result, 'merged');
    assert.is(result.intoDev.result, 'merged');
    const bare = world.gitServer.repoPath(`${APP}.git`);
    for (const branch of ['release/1.4', 'dev']) {
      const contains = await git(world.scratch, '--git-dir', bare, 'merge-base', '--is-ancestor', hotfix, branch).then(() => true, () => false);
      assert.ok(contains, `${branch} contains the hotfix`);
    }
    assert.is(result.cleanup.release?.branch, 'release/1.4');
    assert.is(result.cleanup.image, releaseImage);
    assert.ok(result.cleanup.changed);
    const staging = await show(world, 'acme/gitops', 'main', OVERLAY('staging'));
    assert.match(staging, /newTag: "1\.4\.0"/);
    assert.match(staging, new RegExp(`digest: ${'4'.repeat(64)}|sha256:${'4'.repeat(64)}`));
    assert.match(await show(world, 'acme/gitops', 'main', OVERLAY('prod')), /newTag: "1\.3\.0"/, 'prod untouched');
    const history = await git(world.scratch, '--git-dir', world.gitServer.repoPath('acme/gitops.git'), 'log', '--format=%s', 'main');
    assert.is(history.trim().split('\n').length, 4, 'initial, staging promotion, hotfix deploy, clean-up');

    assert.ok(mintedWhenPushDone >= mintedBefore, 'the slow push happened during the flow');
    assert.ok(world.api.stats.tokensMinted > mintedWhenPushDone, 'the token that expired mid-flow was replaced');
    assert.is(world.api.stats.unauthorized, 0, 'replaced before it expired, not after a refusal');
    await world.assertNothingLost(APP, beforeApp);
    await world.assertNothingLost('acme/gitops', beforeGitops);

    // Clean-up retried: nothing to do.
    const again = await cleanupStaging({ appUrl, gitopsUrl, service: 'shop-api', auth: github.gitAuth });
    assert.is(again.changed, false);
    assert.match(again.reason, /already runs the image of "release\/1\.4"/);
  } finally {
    await world.close();
  }
});

test('a hotfix that conflicts with dev becomes a pull request into dev; the rest of the flow goes on', async () => {
  const world = await createWorld();
  try {
    const { appUrl, gitopsUrl, release, hotfix } = await shopWithHotfix(world);
    await world.commit(APP, 'dev', { 'app/login.ts': 'login v2 (rewritten on dev)\n' }, 'feat: new login');
    const github = createGitHubClient(world.credentials);
    await updateManifests({ gitopsUrl, updates: [{ service: 'shop-api', env: 'staging', image: image('4', '1.4.0') }], sourceCommit: release, auth: github.gitAuth });
    const before = await world.snapshot(APP);
    const beforeGitops = await world.snapshot('acme/gitops');
    const options = { repository: APP, appUrl, gitopsUrl, service: 'shop-api', image: image('f', '1.3.1'), sourceCommit: hotfix, octokit: github.octokit, auth: github.gitAuth };
    const result = await runHotfixFlow(options);
    assert.is(result.intoRelease?.result, 'merged');
    assert.is(result.intoDev.result, 'pull-request');
    assert.equal(result.intoDev.conflicts, ['app/login.ts']);
    assert.is(world.api.pulls(APP)[0]?.head.ref, `backmerge/master-into-dev-${hotfix.slice(0, 7)}`);
    assert.ok(result.cleanup.changed, 'staging restored anyway');
    await world.assertNothingLost(APP, before);
    // The whole flow retried (an Argo retry): no second merge, no second pull request.
    const releaseTip = await world.tip(APP, 'release/1.4');
    const again = await runHotfixFlow(options);
    assert.is(again.intoRelease?.result, 'up-to-date');
    assert.is(await world.tip(APP, 'release/1.4'), releaseTip);
    assert.is(again.intoDev.pullRequest?.created, false);
    assert.is(world.api.pulls(APP).length, 1);
    await world.assertNothingLost(APP, before);
    await world.assertNothingLost('acme/gitops', beforeGitops);
  } finally {
    await world.close();
  }
});

test('clean-up refuses to guess when the open release was never deployed to staging', async () => {
  const world = await createWorld();
  try {
    const { appUrl, gitopsUrl } = await shopWithHotfix(world);
    const before = await world.snapshot('acme/gitops');
    const github = createGitHubClient(world.credentials);
    const error = await cleanupStaging({ appUrl, gitopsUrl, service: 'shop-api', auth: github.gitAuth }).then(() => undefined, (e: unknown) => e as Error);
    assert.match(String(error?.message), /no deployment of service "shop-api" to "staging" built from "release\/1\.4"/);
    assert.equal(await world.snapshot('acme/gitops'), before, 'nothing pushed');
  } finally {
    await world.close();
  }
});

test('the bugfix flow back-merges the release into dev', async () => {
  const world = await createWorld();
  try {
    const { appUrl } = await shopWithHotfix(world);
    const fix = await world.commit(APP, 'release/1.4', { 'app/bug.ts': 'fixed\n' }, 'Merge pull request #10 from acme/bugfix/bug');
    const before = await world.snapshot(APP);
    const github = createGitHubClient(world.credentials);
    const result = await runBugfixFlow({ repository: APP, cloneUrl: appUrl, release: 'release/1.4', octokit: github.octokit, auth: github.gitAuth });
    assert.is(result.result, 'merged');
    assert.is(result.sourceCommit, fix);
    await world.assertNothingLost(APP, before);
  } finally {
    await world.close();
  }
});

test.run();
