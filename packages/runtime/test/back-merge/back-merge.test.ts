import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { backMerge, createGitHubClient } from '../../src/index.js';
import type { BackMergeOptions, GitHubClient } from '../../src/index.js';
import { createWorld, git } from '../github/world.js';
import type { World } from '../github/world.js';

const REPO = 'acme/shop';

/** master → release/1.4 (a fix) and dev (a feature): the usual shape before a back-merge. */
async function shop(world: World, options: { conflicting?: boolean } = {}): Promise<{ url: string; release: string; dev: string }> {
  const { url } = await world.createRepo(REPO);
  const base = await world.commit(REPO, 'master', { 'app/version.txt': '1.3\n', 'app/main.ts': 'export const x = 1;\n' });
  await world.branch(REPO, 'release/1.4', base);
  await world.branch(REPO, 'dev', base);
  const release = await world.commit(REPO, 'release/1.4', { 'app/version.txt': '1.4\n' }, 'fix: version 1.4');
  const dev = await world.commit(REPO, 'dev', options.conflicting ? { 'app/version.txt': '1.5-dev\n' } : { 'app/feature.ts': 'export const f = 2;\n' }, 'feat: next');
  return { url, release, dev };
}

function options(world: World, github: GitHubClient, url: string, extra: Partial<BackMergeOptions> = {}): BackMergeOptions {
  return { repository: REPO, cloneUrl: url, source: 'release/1.4', target: 'dev', octokit: github.octokit, auth: github.gitAuth, ...extra };
}

test('given a clean merge, the release is merged into dev with a merge commit, and a re-run does nothing', async () => {
  const world = await createWorld();
  try {
    const { url, release, dev } = await shop(world);
    const before = await world.snapshot(REPO);
    const github = createGitHubClient(world.credentials);
    const result = await backMerge(options(world, github, url));
    assert.is(result.result, 'merged');
    assert.is(result.sourceCommit, release);
    assert.is(await world.tip(REPO, 'dev'), result.commit);
    const bare = world.gitServer.repoPath(`${REPO}.git`);
    assert.is((await git(world.scratch, '--git-dir', bare, 'log', '-1', '--format=%P', 'dev')).trim(), `${dev} ${release}`, 'a true merge: first parent dev, second the release');
    assert.is((await git(world.scratch, '--git-dir', bare, 'log', '-1', '--format=%s', 'dev')).trim(), "Merge branch 'release/1.4' into dev");
    await world.assertNothingLost(REPO, before);

    const again = await backMerge(options(world, github, url));
    assert.is(again.result, 'up-to-date');
    assert.is(again.commit, result.commit, 'no second merge commit');
    assert.equal(world.api.pulls(REPO), []);
  } finally {
    await world.close();
  }
});

test('given a conflict, the release is proposed as a pull request listing the conflicting files; re-runs update it', async () => {
  const world = await createWorld();
  try {
    const { url, release, dev } = await shop(world, { conflicting: true });
    const before = await world.snapshot(REPO);
    const github = createGitHubClient(world.credentials);
    const result = await backMerge(options(world, github, url, { labels: ['back-merge', 'team-shop'], reviewers: ['dev-leads'] }));
    assert.is(result.result, 'pull-request');
    assert.is(result.reason, 'conflict');
    assert.equal(result.conflicts, ['app/version.txt']);
    assert.is(await world.tip(REPO, 'dev'), dev, 'dev untouched');
    const branch = `backmerge/release/1.4-into-dev-${release.slice(0, 7)}`;
    assert.is(result.pullRequest?.branch, branch);
    assert.is(await world.tip(REPO, branch), release, 'the branch sits at the source commit');
    const [pr, ...more] = world.api.pulls(REPO);
    assert.equal(more, []);
    assert.is(pr?.base.ref, 'dev');
    assert.is(pr?.head.ref, branch);
    assert.is(pr?.title, 'Back-merge release/1.4 into dev');
    assert.match(pr?.body ?? '', /- `app\/version.txt`/);
    assert.equal(pr?.labels.map((l) => l.name), ['back-merge', 'team-shop', 'merge-conflict']);
    assert.equal(pr?.requested_reviewers, [{ login: 'dev-leads' }]);
    await world.assertNothingLost(REPO, before);

    // The step is retried: the same pull request, no second one.
    const again = await backMerge(options(world, github, url));
    assert.is(again.pullRequest?.number, pr?.number);
    assert.is(again.pullRequest?.created, false);
    assert.is(world.api.pulls(REPO).length, 1);

    // Another bugfix lands on the release: the open pull request's branch moves forward (never a second PR).
    const fixed = await world.commit(REPO, 'release/1.4', { 'app/bug.ts': 'fixed\n' }, 'fix: bug');
    const before2 = await world.snapshot(REPO);
    const third = await backMerge(options(world, github, url));
    assert.is(third.pullRequest?.number, pr?.number);
    assert.is(third.pullRequest?.branch, branch);
    assert.is(await world.tip(REPO, branch), fixed, 'fast-forwarded, not forced');
    assert.is(world.api.pulls(REPO).length, 1);
    await world.assertNothingLost(REPO, before2);
  } finally {
    await world.close();
  }
});

test('given a target that requires pull requests, even a clean back-merge is proposed as a pull request', async () => {
  const world = await createWorld();
  try {
    const { url, dev } = await shop(world);
    world.api.protectBranch(REPO, 'dev', { requirePullRequest: true });
    const before = await world.snapshot(REPO);
    const github = createGitHubClient(world.credentials);
    const result = await backMerge(options(world, github, url));
    assert.is(result.result, 'pull-request');
    assert.is(result.reason, 'protected');
    assert.equal(result.conflicts, []);
    assert.is(await world.tip(REPO, 'dev'), dev);
    assert.match(world.api.pulls(REPO)[0]?.body ?? '', /requires pull requests[\s\S]*The merge is clean/);
    assert.equal(world.api.pulls(REPO)[0]?.labels.map((l) => l.name), ['back-merge']);
    await world.assertNothingLost(REPO, before);
  } finally {
    await world.close();
  }
});

test('given a ruleset that requires pull requests on the target, the back-merge is proposed as one', async () => {
  const world = await createWorld();
  try {
    const { url, dev } = await shop(world);
    world.api.protectBranch(REPO, 'dev', { requirePullRequest: true, viaRuleset: true });
    const before = await world.snapshot(REPO);
    const github = createGitHubClient(world.credentials);
    const result = await backMerge(options(world, github, url));
    assert.is(result.result, 'pull-request');
    assert.is(result.reason, 'protected');
    assert.is(await world.tip(REPO, 'dev'), dev);
    await world.assertNothingLost(REPO, before);
  } finally {
    await world.close();
  }
});

test('given a protected target that does not require reviews, the merge is pushed directly', async () => {
  const world = await createWorld();
  try {
    const { url } = await shop(world);
    world.api.protectBranch(REPO, 'dev', { requirePullRequest: false });
    const before = await world.snapshot(REPO);
    const github = createGitHubClient(world.credentials);
    assert.is((await backMerge(options(world, github, url))).result, 'merged');
    await world.assertNothingLost(REPO, before);
  } finally {
    await world.close();
  }
});

test('given the server refuses the push as a protected branch (not visible in the API), a pull request is opened', async () => {
  const world = await createWorld();
  try {
    const { url, dev } = await shop(world);
    // A real server-side refusal, worded as GitHub words it.
    const hook = join(world.gitServer.repoPath(`${REPO}.git`), 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\nwhile read old new ref; do\n  if [ "$ref" = refs/heads/dev ]; then echo "error: GH006: Protected branch update failed for refs/heads/dev." >&2; exit 1; fi\ndone\n');
    await chmod(hook, 0o755);
    const before = await world.snapshot(REPO);
    const github = createGitHubClient(world.credentials);
    const result = await backMerge(options(world, github, url));
    assert.is(result.result, 'pull-request');
    assert.is(result.reason, 'protected');
    assert.is(await world.tip(REPO, 'dev'), dev);
    assert.is(world.api.pulls(REPO).length, 1);
    await world.assertNothingLost(REPO, before);
  } finally {
    await world.close();
  }
});

test('given someone pushes to dev during the back-merge, the merge is redone on the new tip and pushed', async () => {
  let racer: (() => Promise<void>) | undefined;
  const world = await createWorld({
    beforePush: async () => {
      const move = racer;
      racer = undefined; // once
      await move?.();
    },
  });
  try {
    const { url, release } = await shop(world);
    const before = await world.snapshot(REPO);
    let concurrent = '';
    racer = async () => {
      concurrent = await world.commit(REPO, 'dev', { 'app/other.ts': 'someone else\n' }, 'feat: pushed meanwhile');
    };
    const github = createGitHubClient(world.credentials);
    const lines: string[] = [];
    const result = await backMerge(options(world, github, url, { log: (m) => lines.push(m) }));
    assert.is(result.result, 'merged');
    assert.is(result.attempts, 2);
    assert.match(lines.join('\n'), /rejected \(the branch moved\)/);
    const bare = world.gitServer.repoPath(`${REPO}.git`);
    assert.is((await git(world.scratch, '--git-dir', bare, 'log', '-1', '--format=%P', 'dev')).trim(), `${concurrent} ${release}`, 'merged on top of the concurrent commit');
    await world.assertNothingLost(REPO, before);
  } finally {
    await world.close();
  }
});

test('given a source or target that does not exist, the error names it', async () => {
  const world = await createWorld();
  try {
    const { url } = await shop(world);
    const before = await world.snapshot(REPO);
    const github = createGitHubClient(world.credentials);
    const error = await backMerge(options(world, github, url, { source: 'release/9.9' })).then(() => undefined, (e: unknown) => e as Error);
    assert.match(String(error?.message), /source branch "release\/9\.9" not found in acme\/shop/);
    for (const hostile of ['--upload-pack=touch /tmp/pwned', 'release/1.4..dev', 'a b']) {
      const refused = await backMerge(options(world, github, url, { source: hostile })).then(() => undefined, (e: unknown) => e as Error);
      assert.match(String(refused?.message), /source expected a branch name, received/);
    }
    await world.assertNothingLost(REPO, before);
    assert.equal([...(await world.snapshot(REPO)).tips.keys()].sort(), [...before.tips.keys()].sort(), 'no branch created either');
  } finally {
    await world.close();
  }
});

test.run();
