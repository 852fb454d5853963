import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, appendFileSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import type { GitHttpServer } from '../../../test/support/git-http-server.js';
import { cloneRepository, ensureCommit, deepenUntil, resolveCommit } from '../src/git/repository.js';
import { pushWithRetry, isRetryablePushRejection, classifyPushRejection } from '../src/git/push-with-retry.js';
import type { PushWithRetryOptions } from '../src/git/push-with-retry.js';
import { runGit } from '../src/git/run-git.js';
import { GitError } from '../src/git/git-error.js';
import { commit, git, remove, seedBare, tempDir } from './git-fixtures.js';
import { rejection } from './rejection.js';

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
  // a hook's own words never make its refusal look like a moved branch: the ref's status decides
  assert.is(classifyPushRejection("!\tHEAD:refs/heads/main\t[remote rejected] (pre-receive hook declined)\nremote: error: cannot lock ref 'refs/heads/main' during the freeze"), undefined);
  // "stale info" is what git says for --force-with-lease (never used here); classified with its server-side kin
  assert.is(classifyPushRejection(' ! [rejected]        HEAD -> main (stale info)'), 'stale-ref');
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

// ---- real rejections, conflicts and back-off, all against git http-backend ----

interface Fixture {
  readonly server: GitHttpServer;
  readonly url: string;
  readonly bare: string;
  readonly work: string;
  /** A clone that pushes to the bare repository through the filesystem (so beforePush does not see it). */
  readonly other: string;
  /** Our clone, over HTTP. */
  readonly clone: string;
  /** Pushes made over HTTP so far (each is one call of beforePush). */
  pushes(): number;
  close(): Promise<void>;
}

async function fixture(beforePush: (push: number, f: Fixture) => void | Promise<void> = () => undefined): Promise<Fixture> {
  let pushes = 0;
  let self: Fixture | undefined;
  const server = await startGitHttpServer({
    beforePush: async () => {
      pushes++;
      if (self) await beforePush(pushes, self);
    },
  });
  const work = tempDir();
  const url = server.createRepo('acme/gitops.git');
  const bare = server.repoPath('acme/gitops.git');
  // every update of a ref is recorded, so a test can prove that none was a forced one
  await git(work, '--git-dir', bare, 'config', 'core.logAllRefUpdates', 'always');
  await seedBare(bare, { 'app.yaml': 'replicas: 1\n', 'README.md': 'gitops\n' });
  await git(work, 'clone', '--quiet', bare, 'other');
  await cloneRepository({ url, dir: join(work, 'c') });
  self = {
    server,
    url,
    bare,
    work,
    other: join(work, 'other'),
    clone: join(work, 'c'),
    pushes: () => pushes,
    close: async () => {
      remove(work);
      await server.close();
    },
  };
  return self;
}

/** Someone else lands a commit on main (through the filesystem), on top of whatever main is now. */
async function landOther(f: Fixture, message: string, files: Record<string, string | null>): Promise<string> {
  await git(f.other, 'pull', '--quiet', '--ff-only', 'origin', 'main');
  const sha = await commit(f.other, message, files);
  await git(f.other, 'push', '--quiet', 'origin', 'HEAD:main');
  return sha;
}

async function serverLog(f: Fixture): Promise<string[]> {
  return (await git(f.work, '--git-dir', f.bare, 'log', '--first-parent', '--format=%s', 'main')).trim().split('\n');
}

/** Every update the server's main ever had was a fast-forward: nothing was force-pushed. */
async function assertOnlyFastForwards(f: Fixture): Promise<void> {
  const tips = (await git(f.work, '--git-dir', f.bare, 'reflog', 'show', '--format=%H', 'refs/heads/main')).trim().split('\n').reverse();
  assert.ok(tips.length >= 2, 'the reflog recorded the pushes');
  for (let i = 1; i < tips.length; i++) {
    await git(f.work, '--git-dir', f.bare, 'merge-base', '--is-ancestor', tips[i - 1]!, tips[i]!).catch(() => {
      assert.unreachable(`main went from ${tips[i - 1]} to ${tips[i]}, which is not a fast-forward`);
    });
  }
}

/** Our change: bump replicas in app.yaml (it must still say `replicas: 1`). */
function bumpReplicas(attempts: number[]): PushWithRetryOptions['apply'] {
  return async (dir, attempt) => {
    attempts.push(attempt);
    const text = readFileSync(join(dir, 'app.yaml'), 'utf8');
    writeFileSync(join(dir, 'app.yaml'), text.replace('replicas: 1', 'replicas: 3'));
    return { message: 'scale app to 3' };
  };
}

test('given the server rejects the first push for each reason a branch can be moving or busy (fetch first, stale ref, ref lock), the change is re-applied on the new tip and lands', async () => {
  // fetch first: someone lands a commit after our fetch and before our push (git refuses it client-side)
  {
    const f = await fixture();
    try {
      const lines: string[] = [];
      const attempts: number[] = [];
      const apply = bumpReplicas(attempts);
      const r = await pushWithRetry({
        dir: f.clone,
        branch: 'main',
        baseDelayMs: 1,
        log: (m) => lines.push(m),
        apply: async (dir, attempt) => {
          if (attempt === 1) await landOther(f, 'someone else', { 'other.txt': 'x\n' });
          return apply(dir, attempt);
        },
      });
      assert.equal([r.changed, r.attempts, attempts], [true, 2, [1, 2]]);
      assert.match(lines[0] ?? '', /rejected \(the branch moved\): fetch-first; attempt 2\/10/);
      assert.equal(await serverLog(f), ['scale app to 3', 'someone else', 'initial']);
      await assertOnlyFastForwards(f);
    } finally {
      await f.close();
    }
  }
  // stale ref: a server-side pre-receive hook moves main while our pack is being received, so the server's
  // ref is no longer at the value our push said it expected ("cannot lock ref …: is at X but expected Y")
  {
    const f = await fixture();
    try {
      const incoming = await commit(f.other, 'landed during our push', { 'other.txt': 'y\n' });
      await git(f.other, 'push', '--quiet', 'origin', 'HEAD:refs/heads/incoming');
      const hook = join(f.bare, 'hooks', 'pre-receive');
      writeFileSync(
        hook,
        '#!/bin/sh\ncat >/dev/null\n[ -e moved-once ] && exit 0\ntouch moved-once\n' +
          'env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/heads/main refs/heads/incoming\n',
      );
      chmodSync(hook, 0o755);
      const lines: string[] = [];
      const attempts: number[] = [];
      const r = await pushWithRetry({ dir: f.clone, branch: 'main', baseDelayMs: 1, log: (m) => lines.push(m), apply: bumpReplicas(attempts) });
      assert.equal([r.changed, r.attempts, attempts], [true, 2, [1, 2]]);
      assert.match(lines[0] ?? '', /rejected \(the branch moved\): stale-ref; attempt 2\/10/);
      assert.is((await git(f.work, '--git-dir', f.bare, 'rev-parse', 'main^')).trim(), incoming);
      assert.equal(await serverLog(f), ['scale app to 3', 'landed during our push', 'initial']);
      await assertOnlyFastForwards(f);
    } finally {
      await f.close();
    }
  }
  // ref lock: another git process on the server holds refs/heads/main.lock during our first push
  {
    const f = await fixture((push, fx) => {
      const lock = join(fx.bare, 'refs', 'heads', 'main.lock');
      if (push === 1) writeFileSync(lock, '');
      else rmSync(lock, { force: true });
    });
    try {
      const lines: string[] = [];
      const attempts: number[] = [];
      const r = await pushWithRetry({ dir: f.clone, branch: 'main', baseDelayMs: 1, log: (m) => lines.push(m), apply: bumpReplicas(attempts) });
      assert.equal([r.changed, r.attempts, attempts, f.pushes()], [true, 2, [1, 2], 2]);
      assert.match(lines[0] ?? '', /rejected \(the ref is locked on the server\): ref-locked; attempt 2\/10/);
      assert.equal(await serverLog(f), ['scale app to 3', 'initial']);
      assert.is(await git(f.work, '--git-dir', f.bare, 'show', 'main:app.yaml'), 'replicas: 3\n');
      await assertOnlyFastForwards(f);
    } finally {
      await f.close();
    }
  }
});

test('given a branch that moves before every one of our pushes, the push gives up after maxAttempts with RUN202 naming the repository, the branch and the attempts; every other commit stays', async () => {
  const others: string[] = [];
  const f = await fixture(async (push, fx) => {
    others.push(await landOther(fx, `someone else ${push}`, { [`other-${push}.txt`]: `${push}\n` }));
  });
  try {
    const attempts: number[] = [];
    const error = await rejection(pushWithRetry({ dir: f.clone, branch: 'main', maxAttempts: 3, baseDelayMs: 1, apply: bumpReplicas(attempts) }));
    assert.is(error.code, 'RUN202');
    assert.ok(error.message.startsWith(`push to "main" of ${f.url} still rejected after 3 attempts (the branch moved: stale-ref)`), error.message);
    assert.match(error.message, /last rejection: .*\[remote rejected\] \(failed to update ref\) \| error: cannot lock ref 'refs\/heads\/main': is at [0-9a-f]{40} but expected [0-9a-f]{40}/);
    assert.match(error.hint ?? '', /re-run the step, or raise maxAttempts/);
    assert.equal([attempts, f.pushes()], [[1, 2, 3], 3], 'three attempts, three pushes, no more');
    assert.equal(await serverLog(f), ['someone else 3', 'someone else 2', 'someone else 1', 'initial'], 'our change is not there; none of theirs is lost');
    assert.is((await git(f.work, '--git-dir', f.bare, 'rev-parse', 'main')).trim(), others[2]);
    await assertOnlyFastForwards(f);
  } finally {
    await f.close();
  }
});

test('given a ref lock on the server that is never released, RUN202 says a lock is held and how to clear it', async () => {
  const f = await fixture((_push, fx) => writeFileSync(join(fx.bare, 'refs', 'heads', 'main.lock'), ''));
  try {
    const error = await rejection(pushWithRetry({ dir: f.clone, branch: 'main', maxAttempts: 2, baseDelayMs: 1, apply: bumpReplicas([]) }));
    assert.is(error.code, 'RUN202');
    assert.match(error.message, `push to "main" of ${f.url} still rejected after 2 attempts (the ref is locked on the server: ref-locked)`);
    assert.match(error.message, /main\.lock': File exists/);
    assert.match(error.hint ?? '', /"refs\/heads\/main\.lock" behind: have it removed, then re-run the step/);
    assert.equal(await serverLog(f), ['initial']);
  } finally {
    await f.close();
  }
});

test('given the change no longer applies on the new tip (the file it edits was deleted meanwhile), it fails at once with RUN203 naming the branch, the repository and the file; nothing is pushed', async () => {
  let deleted = '';
  const f = await fixture(async (push, fx) => {
    if (push === 1) deleted = await landOther(fx, 'remove app', { 'app.yaml': null });
  });
  try {
    const attempts: number[] = [];
    const error = await rejection(pushWithRetry({ dir: f.clone, branch: 'main', baseDelayMs: 1, apply: bumpReplicas(attempts) }));
    assert.is(error.code, 'RUN203');
    assert.match(error.message, `the change to "main" of ${f.url} does not apply to its new tip ${deleted.slice(0, 12)} (attempt 2 of 10, after the push was rejected: stale-ref; the branch moved from `);
    assert.match(error.message, /changing "app\.yaml"\): ENOENT: no such file or directory/);
    assert.match(error.hint ?? '', /conflicts with this change .* nothing was pushed\. Look at "git log [0-9a-f]{12}\.\.[0-9a-f]{12}"/);
    assert.instance(error.cause, Error, 'the original error is kept for library users');
    assert.equal([attempts, f.pushes()], [[1, 2], 1], 'no retry loop: the conflict is not pushed again');
    assert.is((await git(f.work, '--git-dir', f.bare, 'rev-parse', 'main')).trim(), deleted, 'the server holds exactly the other commit');
    await assertOnlyFastForwards(f);
  } finally {
    await f.close();
  }
});

test('a hook that refuses the push fails at once with RUN201, showing what the hook said', async () => {
  const f = await fixture();
  try {
    const hook = join(f.bare, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\ncat >/dev/null\necho "release freeze: main accepts no pushes until Monday" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const attempts: number[] = [];
    const error = await rejection(pushWithRetry({ dir: f.clone, branch: 'main', apply: bumpReplicas(attempts) }));
    assert.is(error.code, 'RUN201');
    assert.match(error.message, `to "main" of ${f.url} was refused: `);
    assert.match(error.message, /\[remote rejected\] \(pre-receive hook declined\)/);
    assert.match(error.message, 'release freeze: main accepts no pushes until Monday');
    assert.equal([attempts, f.pushes()], [[1], 1]);
  } finally {
    await f.close();
  }
});

test('the delay before each retry is half to all of the doubling step, never more than maxDelayMs', async () => {
  const f = await fixture(async (push, fx) => void (await landOther(fx, `someone else ${push}`, { [`other-${push}.txt`]: `${push}\n` })));
  try {
    const draws = [0, 0.5, 0.8];
    const delays: number[] = [];
    const error = await rejection(
      pushWithRetry({
        dir: f.clone,
        branch: 'main',
        maxAttempts: 4,
        baseDelayMs: 10,
        maxDelayMs: 25,
        random: () => {
          const draw = draws.shift();
          if (draw === undefined) throw new Error('one draw per delay');
          return draw;
        },
        sleep: async (ms) => void delays.push(ms),
        apply: bumpReplicas([]),
      }),
    );
    assert.is(error.code, 'RUN202');
    // steps 10, 20, then 25 (40 capped at maxDelayMs)
    assert.equal(delays.map((d) => Math.round(d * 1000) / 1000), [5, 15, 22.5]);
  } finally {
    await f.close();
  }
});

test('with the default random source and timer, retry delays are jittered (not all the same) and bounded', async () => {
  const f = await fixture(async (push, fx) => void (await landOther(fx, `someone else ${push}`, { [`other-${push}.txt`]: `${push}\n` })));
  try {
    const lines: string[] = [];
    const started = Date.now();
    // base = cap: without jitter every delay would be exactly 200 ms
    const error = await rejection(pushWithRetry({ dir: f.clone, branch: 'main', maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 200, log: (m) => lines.push(m), apply: bumpReplicas([]) }));
    const elapsed = Date.now() - started;
    assert.is(error.code, 'RUN202');
    const delays = lines.map((l) => Number(/ in (\d+) ms$/.exec(l)?.[1]));
    assert.is(delays.length, 4);
    for (const d of delays) assert.ok(d >= 100 && d <= 200, `delay ${d} ms is within [100, 200]`);
    assert.ok(new Set(delays).size > 1, `delays differ: ${delays.join(', ')}`);
    assert.ok(elapsed >= delays.reduce((a, b) => a + b, 0) - 10, 'the delays were really waited');
  } finally {
    await f.close();
  }
});

test('maxAttempts below 1 is refused before anything is done', async () => {
  const error = await rejection(pushWithRetry({ dir: '/nonexistent', branch: 'main', maxAttempts: 0, apply: async () => null }));
  assert.is(error.code, 'RUN204');
  assert.match(error.message, 'maxAttempts must be a whole number of at least 1, received 0');
});

test.run();
