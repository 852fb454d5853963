import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHttpServer } from './git-http-server.js';

// Async on purpose: the server runs in this process, so a synchronous git client would deadlock it.
const run = promisify(execFile);
const git = async (cwd: string, ...args: string[]): Promise<string> =>
  (await run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } })).stdout;

test('given a server that only accepts one token, a clone with it pushes and a clone without it is refused', async () => {
  const server = await startGitHttpServer({ authorize: (c) => c?.username === 'x-access-token' && c.password === 'ghs_good' });
  const work = mkdtempSync(join(tmpdir(), 'argots-git-client-'));
  try {
    const url = server.createRepo('acme/gitops.git');
    const authed = url.replace('http://', 'http://x-access-token:ghs_good@');
    await git(work, 'clone', '--quiet', authed, 'a');
    writeFileSync(join(work, 'a', 'README'), 'hello\n');
    await git(join(work, 'a'), 'add', '.');
    await git(join(work, 'a'), 'commit', '-qm', 'first');
    await git(join(work, 'a'), 'push', '--quiet', 'origin', 'HEAD:main');
    const head = (await git(work, '--git-dir', server.repoPath('acme/gitops.git'), 'rev-parse', 'main')).trim();
    assert.is(head, (await git(join(work, 'a'), 'rev-parse', 'HEAD')).trim());
    const refused = await git(work, 'clone', '--quiet', url.replace('http://', 'http://x-access-token:ghs_bad@'), 'b').then(() => false, () => true);
    assert.ok(refused, 'a clone with a bad token must be refused');
    assert.ok(server.stats.rejected >= 1);
    assert.ok(server.stats.pushes >= 1);
  } finally {
    rmSync(work, { recursive: true, force: true });
    await server.close();
  }
});

test.run();
