// `argots-runtime checkout` through the real CLI, against git over smart HTTP that accepts only installation
// tokens covering the repository: a branch with a slash by name (what `git checkout --detach release/1.4`
// refuses), a tag, a commit; a retried step into its own checkout; and the refusals (another folder, an
// unknown or hostile revision) — each a clear error, nothing deleted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkout, toArgv } from '@argots/contract';
import { appEnvironment, createWorld, git, type World } from '../github/world.js';
import { createGitHubClient } from '../../src/github/github-client.js';
import { tryGit } from '../../src/git/run-git.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages/runtime/src/bin.ts');

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string; readonly outputs: Record<string, string> }

let world: World;
let scratch: string;
let url: string;
let tip: string;
let tagged: string;

function runtime(inputs: Record<string, string>, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...toArgv(checkout, inputs)], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: scratch, ...env } }, (error, stdout, stderr) => {
      const line = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { outputs?: Record<string, string> };
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, outputs: line.outputs ?? {} });
    });
  });
}

test.before(async () => {
  world = await createWorld();
  scratch = await mkdtemp(join(tmpdir(), 'argots-checkout-'));
  ({ url } = await world.createRepo('acme/shop'));
  tagged = await world.commit('acme/shop', 'master', { 'a.txt': '1\n' });
  await git(world.scratch, '--git-dir', world.gitServer.repoPath('acme/shop.git'), 'tag', 'v1.0.0', tagged);
  await world.branch('acme/shop', 'release/1.4', tagged);
  tip = await world.commit('acme/shop', 'release/1.4', { 'a.txt': 'rc\n' }, 'release candidate');
});

test.after(async () => {
  await world.close();
  await rm(scratch, { recursive: true, force: true });
});

test('given release/1.4 by name, then it is checked out detached at its tip', async () => {
  const dir = join(scratch, 'by-branch');
  const r = await runtime({ url, revision: 'release/1.4', dir }, appEnvironment(world));
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.outputs, { commit: tip, ref: 'branch' });
  assert.is((await git(dir, 'rev-parse', 'HEAD')).trim(), tip);
  assert.is(await readFile(join(dir, 'a.txt'), 'utf8'), 'rc\n');
  assert.equal(world.api.grants.at(-1), { repositories: ['shop'], permissions: { contents: 'read' } }, 'a read-only token for acme/shop only');
  // The retried step: the same folder again is fetched, not refused.
  const again = await runtime({ url, revision: 'release/1.4', dir }, appEnvironment(world));
  assert.is(again.code, 0, again.stderr);
  assert.is(again.outputs['commit'], tip);
});

test('given a tag and a commit, then each is checked out and named as such', async () => {
  const t = await runtime({ url, revision: 'v1.0.0', dir: join(scratch, 'by-tag') }, appEnvironment(world));
  assert.equal([t.code, t.outputs], [0, { commit: tagged, ref: 'tag' }], t.stderr);
  const c = await runtime({ url, revision: tagged, dir: join(scratch, 'by-commit') }, appEnvironment(world));
  assert.equal([c.code, c.outputs], [0, { commit: tagged, ref: 'commit' }], c.stderr);
});

test('given no credentials, then the private repository cannot be cloned (the server wants an installation token)', async () => {
  const r = await runtime({ url, revision: 'release/1.4', dir: join(scratch, 'anonymous') }, {});
  assert.is(r.code, 1);
  assert.match(r.stderr, 'RUN200');
});

test('given a folder that is not this checkout, an unknown branch or a revision starting with "-", then a clear refusal and nothing deleted', async () => {
  const other = join(scratch, 'other');
  await mkdir(other);
  await writeFile(join(other, 'keep.txt'), 'mine\n');
  const busy = await runtime({ url, revision: 'release/1.4', dir: other }, appEnvironment(world));
  assert.is(busy.code, 1);
  assert.match(busy.stderr, 'RUN241');
  assert.ok(existsSync(join(other, 'keep.txt')), 'nothing was deleted');
  const unknown = await runtime({ url, revision: 'release/9.9', dir: join(scratch, 'unknown') }, appEnvironment(world));
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, 'RUN242');
  const hostile = await runtime({ url, revision: '--upload-pack=touch /tmp/pwned', dir: join(scratch, 'hostile') }, appEnvironment(world));
  assert.is(hostile.code, 1);
  assert.match(hostile.stderr, 'RUN240');
});

test('given a token narrowed to acme/shop read-only, then git refuses a push to it and any read of acme/gitops', async () => {
  await world.createRepo('acme/gitops', 'main');
  await world.commit('acme/gitops', 'main', { 'argots.yaml': 'services: {}\n' });
  const client = createGitHubClient(world.credentials, { scope: { repositories: ['acme/shop'], permissions: { contents: 'read' } } });
  const dir = join(scratch, 'by-branch');
  await git(dir, 'commit', '--allow-empty', '-qm', 'not allowed');
  const push = await tryGit(['push', 'origin', 'HEAD:refs/heads/sneaky'], { cwd: dir, auth: client.gitAuth });
  assert.is.not(push.exitCode, 0, 'a read-only token cannot push');
  const other = await tryGit(['ls-remote', world.gitServer.baseUrl + '/acme/gitops.git'], { cwd: dir, auth: client.gitAuth });
  assert.is.not(other.exitCode, 0, 'a token for acme/shop does not reach acme/gitops');
  const full = createGitHubClient(world.credentials);
  const allowed = await tryGit(['ls-remote', world.gitServer.baseUrl + '/acme/gitops.git'], { cwd: dir, auth: full.gitAuth });
  assert.is(allowed.exitCode, 0, 'the installation itself may: the refusal was the narrowing');
});

test.run();
