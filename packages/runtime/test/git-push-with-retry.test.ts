import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import { cloneRepository, ensureCommit, deepenUntil, resolveCommit } from '../src/git/repository.js';
import { pushWithRetry, isRetryablePushRejection } from '../src/git/push-with-retry.js';
import { runGit } from '../src/git/run-git.js';
import { GitError } from '../src/git/git-error.js';
import { commit, git, remove, seedBare, tempDir } from './git-fixtures.js';

const TOKEN = 'ghs_valid_installation_token_123';
const auth = { token: () => TOKEN };

test('given a server that only accepts an installation token, clone and push use it without putting it in argv or the URL', async () => {
  const server = await startGitHttpServer({ authorize: (c) => c?.username === 'x-access-token' && c.password === TOKEN });
  const work = tempDir();
  try {
    const url = server.createRepo('acme/gitops.git');
    await seedBare(server.repoPath('acme/gitops.git'), { 'README.md': 'hi\n' });
    await cloneRepository({ url, dir: join(work, 'c'), branch: 'main', auth });
    const remoteUrl = (await git(join(work, 'c'), 'remote', 'get-url', 'origin')).trim();
    assert.is(remoteUrl, url, 'the token is not stored in the remote URL');
    assert.not.match(readFileSync(join(work, 'c', '.git', 'config'), 'utf8'), TOKEN);
    const r = await pushWithRetry({
      dir: join(work, 'c'),
      branch: 'main',
      auth,
      apply: async (dir) => {
        appendFileSync(join(dir, 'README.md'), 'more\n');
        return { message: 'update readme' };
      },
    });
    assert.ok(r.changed);
    assert.is((await git(work, '--git-dir', server.repoPath('acme/gitops.git'), 'rev-parse', 'main')).trim(), r.commit);
  } finally {
    remove(work);
    await server.close();
  }
});

test('given a wrong token, the clone fails with a GitError that does not contain the token', async () => {
  const server = await startGitHttpServer({ authorize: (c) => c?.password === TOKEN });
  const work = tempDir();
  try {
    const url = server.createRepo('acme/gitops.git');
    const secret = 'ghs_wrong_token_value_999';
    const error = await cloneRepository({ url, dir: join(work, 'c'), auth: { token: () => secret } }).then(() => undefined, (e: unknown) => e);
    assert.instance(error, GitError);
    assert.not.match(String((error as GitError).message), secret);
    assert.not.match(String((error as GitError).stderr), secret);
  } finally {
    remove(work);
    await server.close();
  }
});

test('given the branch moves before our push, pushWithRetry re-applies on the new tip and nothing is lost', async () => {
  const server = await startGitHttpServer({
    beforePush: async (repo) => {
      // Someone else lands a commit right before our first push is served.
      if (moved) return;
      moved = true;
      await commit(other, 'someone else', { 'other.txt': 'x\n' });
      await git(other, 'push', '--quiet', 'origin', 'HEAD:main');
      void repo;
    },
  });
  let moved = false;
  const work = tempDir();
  const other = join(work, 'other');
  try {
    const url = server.createRepo('g.git');
    await seedBare(server.repoPath('g.git'), { 'a.txt': '1\n' });
    await git(work, 'clone', '--quiet', server.repoPath('g.git'), 'other');
    moved = false;
    // the "other" clone pushes through the filesystem, so it does not trigger beforePush
    await cloneRepository({ url, dir: join(work, 'c') });
    const attempts: number[] = [];
    const r = await pushWithRetry({
      dir: join(work, 'c'),
      branch: 'main',
      baseDelayMs: 5,
      apply: async (dir, attempt) => {
        attempts.push(attempt);
        writeFileSync(join(dir, 'a.txt'), '2\n');
        return { message: 'set a to 2' };
      },
    });
    assert.ok(r.changed);
    assert.equal(attempts, [1, 2]);
    const log = await git(work, '--git-dir', server.repoPath('g.git'), 'log', '--format=%s', 'main');
    assert.equal(log.trim().split('\n'), ['set a to 2', 'someone else', 'initial']);
  } finally {
    remove(work);
    await server.close();
  }
});

test('given apply changes nothing, no commit is made and nothing is pushed', async () => {
  const server = await startGitHttpServer();
  const work = tempDir();
  try {
    const url = server.createRepo('g.git');
    const first = await seedBare(server.repoPath('g.git'), { 'a.txt': '1\n' });
    await cloneRepository({ url, dir: join(work, 'c') });
    const pushesBefore = server.stats.pushes;
    const r = await pushWithRetry({ dir: join(work, 'c'), branch: 'main', apply: async (dir) => (writeFileSync(join(dir, 'a.txt'), '1\n'), { message: 'noop' }) });
    assert.equal(r, { changed: false, commit: first, attempts: 1 });
    assert.is(server.stats.pushes, pushesBefore);
  } finally {
    remove(work);
    await server.close();
  }
});

test('a refused push that is not a moved branch fails at once, and the rejection classifier knows the moved-branch messages', async () => {
  assert.ok(isRetryablePushRejection(' ! [rejected]        HEAD -> main (fetch first)'));
  assert.ok(isRetryablePushRejection(' ! [rejected]        HEAD -> main (non-fast-forward)'));
  assert.ok(isRetryablePushRejection(' ! [remote rejected] HEAD -> main (failed to lock)'));
  assert.ok(isRetryablePushRejection("error: cannot lock ref 'refs/heads/main': is at abc but expected def"));
  assert.not.ok(isRetryablePushRejection(' ! [remote rejected] HEAD -> main (pre-receive hook declined)'));
  const server = await startGitHttpServer({ authorize: (_c, r) => !r.write });
  const work = tempDir();
  try {
    const url = server.createRepo('g.git');
    await seedBare(server.repoPath('g.git'), { 'a.txt': '1\n' });
    await cloneRepository({ url, dir: join(work, 'c') });
    let calls = 0;
    const error = await pushWithRetry({ dir: join(work, 'c'), branch: 'main', apply: async (dir) => (calls++, writeFileSync(join(dir, 'a.txt'), '2\n'), { message: 'x' }) }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof Error && /refused/.test(error.message), String(error));
    assert.is(calls, 1);
  } finally {
    remove(work);
    await server.close();
  }
});

test('given a shallow clone, a commit deeper in history is reached by deepening, and a commit is fetched by SHA', async () => {
  const server = await startGitHttpServer();
  const work = tempDir();
  try {
    const url = server.createRepo('g.git');
    await git(work, 'clone', '--quiet', server.repoPath('g.git'), 'src').catch(() => '');
    const src = join(work, 'src');
    const first = await commit(src, 'c0', { 'f.txt': '0\n' });
    for (let i = 1; i < 40; i++) await commit(src, `c${i}`, { 'f.txt': `${i}\n` });
    await git(src, 'push', '--quiet', 'origin', 'HEAD:main');
    await cloneRepository({ url, dir: join(work, 'shallow'), depth: 1, branch: 'main' });
    const dir = join(work, 'shallow');
    assert.is(await resolveCommit(dir, first), undefined);
    assert.ok(await deepenUntil(dir, async () => (await resolveCommit(dir, first)) !== undefined, { start: 4 }));
    // by SHA: a commit only on a side branch
    await git(src, 'checkout', '--quiet', '-b', 'side');
    const side = await commit(src, 'side', { 's.txt': 's\n' });
    await git(src, 'push', '--quiet', 'origin', 'side');
    assert.is(await resolveCommit(dir, side), undefined);
    assert.ok(await ensureCommit(dir, side));
    assert.not.ok(await ensureCommit(dir, 'f'.repeat(40)));
    assert.match(await runGit(['log', '-1', '--format=%s', side], { cwd: dir }), 'side');
  } finally {
    remove(work);
    await server.close();
  }
});

test.run();
