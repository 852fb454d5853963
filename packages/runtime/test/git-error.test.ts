/** GitError (RUN200): every failed git command carries a hint that fits the failure, read from git's stderr. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import { cloneRepository } from '../src/git/repository.js';
import { runGit } from '../src/git/run-git.js';
import { GitError } from '../src/git/git-error.js';
import { gitFailureHint } from '../src/git/_internal/git-failure-hint.js';
import { initRepo, remove, tempDir } from './git-fixtures.js';

async function failure(run: Promise<unknown>): Promise<GitError> {
  const error = await run.then(() => undefined, (e: unknown) => e);
  assert.instance(error, GitError);
  const e = error as GitError;
  assert.is(e.code, 'RUN200');
  assert.ok(e.hint && e.hint.length > 0, 'has a hint');
  return e;
}

test('given a local repository that does not exist, the clone fails with a "repository not found" hint', async () => {
  const work = tempDir();
  try {
    const e = await failure(cloneRepository({ url: join(work, 'missing.git'), dir: join(work, 'c') }));
    assert.match(e.hint ?? '', /repository ".*missing\.git" was not found: check the owner and name/);
  } finally {
    remove(work);
  }
});

test('given a branch that does not exist, the clone fails with an "unknown branch" hint that names it', async () => {
  const { dir } = await initRepo({ 'a.txt': 'a\n' });
  const work = tempDir();
  try {
    const e = await failure(cloneRepository({ url: dir, dir: join(work, 'c'), branch: 'release/9.9' }));
    assert.match(e.hint ?? '', /branch, tag or commit "release\/9\.9" does not exist/);
  } finally {
    remove(dir);
    remove(work);
  }
});

test('given a revision that does not exist, rev-parse fails with an "unknown ref" hint', async () => {
  const { dir } = await initRepo({ 'a.txt': 'a\n' });
  try {
    const e = await failure(runGit(['log', '--oneline', 'no-such-branch'], { cwd: dir }));
    assert.match(e.hint ?? '', /"no-such-branch" does not exist here or on the remote/);
  } finally {
    remove(dir);
  }
});

test('given a folder that is not a checkout, the hint says so and names the folder', async () => {
  const work = tempDir();
  try {
    const e = await failure(runGit(['rev-parse', 'HEAD'], { cwd: work }));
    assert.match(e.hint ?? '', new RegExp(`"${work.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not a git checkout`));
  } finally {
    remove(work);
  }
});

test('given a server that refuses the token, the clone fails with an authentication hint, and the token appears nowhere', async () => {
  const server = await startGitHttpServer({ authorize: (c) => c?.password === 'ghs_the_right_token_1234' });
  const work = tempDir();
  try {
    const url = server.createRepo('acme/gitops.git');
    const secret = 'ghs_wrong_token_value_5678';
    const e = await failure(cloneRepository({ url, dir: join(work, 'c'), auth: { token: () => secret } }));
    assert.match(e.hint ?? '', /refused the credentials: check the token/);
    assert.not.match(`${e.message} ${e.hint ?? ''}`, secret);
  } finally {
    remove(work);
    await server.close();
  }
});

test('given a host nothing listens on, the clone fails with an "unreachable host" hint', async () => {
  const work = tempDir();
  try {
    const e = await failure(cloneRepository({ url: 'http://127.0.0.1:1/acme/gitops.git', dir: join(work, 'c') }));
    assert.match(e.hint ?? '', /git server "127\.0\.0\.1" could not be reached/);
  } finally {
    remove(work);
  }
});

test('given the messages of hosted git servers, each failure gets the hint that fits it', () => {
  const hint = (stderr: string): string => gitFailureHint(['fetch', 'origin', 'main'], '/tmp/gitops', stderr);
  assert.match(hint("fatal: unable to access 'https://git.acme.io/shop/gitops.git/': Could not resolve host: git.acme.io"), /"git\.acme\.io" could not be reached/);
  assert.match(hint("remote: Repository not found.\nfatal: repository 'https://github.com/acme/gitops.git/' not found"), /repository "acme\/gitops\.git" was not found/);
  assert.match(hint("remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/acme/gitops.git/'"), /refused the credentials/);
  assert.match(hint("fatal: could not read Username for 'https://github.com': terminal prompts disabled"), /refused the credentials/);
  assert.match(hint("remote: Permission to acme/gitops.git denied to bot.\nfatal: unable to access 'https://github.com/acme/gitops.git/': The requested URL returned error: 403"), /refused the credentials/);
  assert.match(hint('git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.'), /refused the credentials/);
  assert.match(hint("fatal: couldn't find remote ref main"), /"main" does not exist/);
  assert.match(hint("fatal: 'origin' does not appear to be a git repository\nfatal: Could not read from remote repository."), /"\/tmp\/gitops" has no remote named "origin"/);
  assert.match(hint("fatal: unable to access 'https://git.acme.io/x.git/': SSL certificate problem: unable to get local issuer certificate"), /TLS connection to "git\.acme\.io" failed.*GIT_SSL_CAINFO/);
  assert.match(hint("fatal: Unable to create '/tmp/gitops/.git/index.lock': File exists."), /delete the \.lock file/);
  assert.match(hint('error: unable to write file x: No space left on device'), /disk holding "\/tmp\/gitops" is full/);
  assert.match(hint('error: RPC failed; HTTP 502 curl 22 The requested URL returned error: 502\nfatal: expected flush after ref listing'), /re-run the step/);
});

test('given a message no rule knows, the hint is a general one naming the command and the folder, without secrets', () => {
  const h = gitFailureHint(['fetch', 'https://x-access-token:ghs_secret_value_0000@github.com/acme/gitops.git'], '/tmp/gitops', 'fatal: something new');
  assert.match(h, /run "git fetch https:\/\/\*\*\*@github\.com\/acme\/gitops\.git" in "\/tmp\/gitops" by hand/);
  assert.not.match(h, 'ghs_secret_value_0000');
});

test('an explicit hint is kept', () => {
  const e = new GitError(['status'], '/tmp/x', 128, 'fatal: not a git repository', 'do this instead');
  assert.is(e.hint, 'do this instead');
});

test.run();
