/** runGit / tryGit: stdout piece by piece while git runs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tryGit } from '../src/git/run-git.js';
import { initRepo, remove, tempDir } from './git-fixtures.js';

test('given onStdout, the pieces git writes make up its stdout, which is still returned whole', async () => {
  const files = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`dir-${i % 7}/file-${i}.txt`, `${i}\n`]));
  const { dir } = await initRepo(files);
  try {
    const pieces: string[] = [];
    const r = await tryGit(['ls-files', '-z'], { cwd: dir, onStdout: (p) => pieces.push(p) });
    assert.is(r.exitCode, 0);
    assert.ok(pieces.length > 0);
    assert.is(pieces.join(''), r.stdout);
    assert.is(r.stdout.split('\0').length - 1, 3000);
  } finally {
    remove(dir);
  }
});

test('git exiting before it reads its input (no repository here) is an exit code, not a crash on the broken pipe', async () => {
  const dir = tempDir();
  try {
    const input = `${'a'.repeat(40)}\n`.repeat(200_000); // 8 MB: far more than a pipe holds
    const r = await tryGit(['cat-file', '--batch-check'], { cwd: dir, input, env: { GIT_CEILING_DIRECTORIES: dir } });
    assert.is(r.exitCode, 128);
    assert.match(r.stderr, /not a git repository/);
  } finally {
    remove(dir);
  }
});

test('an onStdout that throws rejects the run with its error, once git has exited', async () => {
  const { dir } = await initRepo({ 'a.txt': 'a\n' });
  try {
    let calls = 0;
    const run = tryGit(['ls-files'], {
      cwd: dir,
      onStdout: () => {
        calls++;
        throw new Error('cannot read that');
      },
    });
    await run.then(
      () => assert.unreachable('should reject'),
      (e: unknown) => assert.match(String(e), /cannot read that/),
    );
    assert.is(calls, 1);
  } finally {
    remove(dir);
  }
});

test.run();
