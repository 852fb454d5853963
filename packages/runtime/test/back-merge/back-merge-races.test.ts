/**
 * Back-merges racing each other, on real git over smart HTTP and the GitHub API test server. The race is made
 * deterministic with the git server's `beforePush` hook: while the first run's push of its proposal branch
 * waits, a second run goes from start to finish. Whatever the interleaving: one open back-merge pull request
 * per (source, target), no error for a branch the other run pushed, nothing forced, every ref only forwards.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backMerge, createGitHubClient } from '../../src/index.js';
import type { BackMergeOptions, BackMergeResult, GitHubClient } from '../../src/index.js';
import { createWorld } from '../github/world.js';
import type { World } from '../github/world.js';

const REPO = 'acme/shop';

/** release/1.4 and dev both change app/version.txt: every back-merge conflicts and becomes a pull request. */
async function conflictingShop(world: World): Promise<{ url: string; release: string }> {
  const { url } = await world.createRepo(REPO);
  const base = await world.commit(REPO, 'master', { 'app/version.txt': '1.3\n' });
  await world.branch(REPO, 'release/1.4', base);
  await world.branch(REPO, 'dev', base);
  const release = await world.commit(REPO, 'release/1.4', { 'app/version.txt': '1.4\n' }, 'fix: version 1.4');
  await world.commit(REPO, 'dev', { 'app/version.txt': '1.5-dev\n' }, 'feat: next');
  return { url, release };
}

function options(github: GitHubClient, url: string, log: string[]): BackMergeOptions {
  return { repository: REPO, cloneUrl: url, source: 'release/1.4', target: 'dev', octokit: github.octokit, auth: github.gitAuth, log: (m) => void log.push(m) };
}

/** A world whose first push of a `backmerge/` proposal waits while `meanwhile` runs to completion. */
async function racingWorld(meanwhile: (world: World) => Promise<void>): Promise<World> {
  let raced = false;
  let world: World | undefined;
  world = await createWorld({
    beforePush: async () => {
      if (raced || !world) return;
      const w = world;
      // Only the proposal push of the first run (its merge attempt conflicts, so it pushes nothing else).
      raced = true;
      await meanwhile(w);
    },
  });
  return world;
}

test('given two runs proposing the same conflicting back-merge at once, both succeed with one pull request (no RUN354 for the branch the other pushed)', async () => {
  let second: BackMergeResult | undefined;
  let github: GitHubClient | undefined;
  let url = '';
  const log: string[] = [];
  const world = await racingWorld(async () => {
    second = await backMerge(options(github as GitHubClient, url, []));
  });
  try {
    ({ url } = await conflictingShop(world));
    github = createGitHubClient(world.credentials);
    const before = await world.snapshot(REPO);
    const first = await backMerge(options(github, url, log));
    assert.is(second?.result, 'pull-request');
    assert.is(first.result, 'pull-request');
    assert.is(first.pullRequest?.number, second?.pullRequest?.number, 'the same pull request');
    assert.is(world.api.pulls(REPO).filter((p) => p.state === 'open').length, 1);
    assert.ok(log.some((l) => /already holds .* \(another run pushed it at the same time\)/.test(l)), log.join('\n'));
    await world.assertNothingLost(REPO, before);
  } finally {
    await world.close();
  }
});

test('given two bugfixes landing close together, their racing back-merges leave one open pull request holding both, and a re-run changes nothing', async () => {
  let second: BackMergeResult | undefined;
  let github: GitHubClient | undefined;
  let url = '';
  let fix = '';
  const world = await racingWorld(async (w) => {
    fix = await w.commit(REPO, 'release/1.4', { 'app/bug.ts': 'fixed\n' }, 'fix: bug');
    second = await backMerge(options(github as GitHubClient, url, []));
  });
  try {
    const shop = await conflictingShop(world);
    url = shop.url;
    github = createGitHubClient(world.credentials);
    const before = await world.snapshot(REPO);
    const log: string[] = [];
    const first = await backMerge(options(github, url, log));
    assert.is(first.sourceCommit, shop.release, 'the first run proposed the first fix');
    assert.is(second?.sourceCommit, fix, 'the second run, the later one');
    const open = world.api.pulls(REPO).filter((p) => p.state === 'open');
    assert.is(open.length, 1, `one open back-merge pull request, received ${world.api.pulls(REPO).map((p) => `#${p.number} ${p.head.ref} ${p.state}`).join(', ')}`);
    assert.is(open[0]?.head.ref, `backmerge/release/1.4-into-dev-${fix.slice(0, 7)}`);
    assert.is(await world.tip(REPO, open[0]?.head.ref ?? ''), fix, 'it holds both fixes');
    assert.is(first.pullRequest?.number, open[0]?.number, 'the first run reports the pull request that carries its commit');
    const closed = world.api.pulls(REPO).filter((p) => p.state === 'closed');
    assert.equal(closed.map((p) => p.head.ref), [`backmerge/release/1.4-into-dev-${shop.release.slice(0, 7)}`]);
    assert.match(closed[0]?.body ?? '', new RegExp(`Superseded by #${open[0]?.number}`));
    assert.ok(log.some((l) => /closed pull request #\d+ .*superseded by/.test(l)), log.join('\n'));
    await world.assertNothingLost(REPO, before);

    const again = await backMerge(options(github, url, []));
    assert.is(again.pullRequest?.number, open[0]?.number);
    assert.is(world.api.pulls(REPO).length, 2, 'no pull request opened by the re-run');
    assert.is(world.api.pulls(REPO).filter((p) => p.state === 'open').length, 1);
  } finally {
    await world.close();
  }
});

test.run();
