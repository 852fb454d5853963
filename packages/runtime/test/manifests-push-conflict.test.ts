/**
 * A real conflict while re-applying a deployment on a moved GitOps branch, end to end through the runtime
 * CLI: `update-manifests` is rejected because someone removed the overlay it edits, and the step fails with
 * one clear diagnostic (code, what, where, hint), exit 1, no stack trace, and nothing pushed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commands, encodeInput, toArgv } from '@argots/contract';
import { main } from '../src/cli.js';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import { commit, git, remove, seedBare, tempDir } from './git-fixtures.js';
import { DIGEST_A, REGISTRY, gitopsFiles } from './manifests-gitops-fixture.js';

test('given the overlay update-manifests edits is removed while its push is in flight, the CLI exits 1 with RUN203 naming the overlay, and the GitOps branch keeps only the removal', async () => {
  const work = tempDir();
  const other = `${work}/other`;
  let removal = '';
  let pushes = 0;
  const server = await startGitHttpServer({
    beforePush: async () => {
      // someone else removes shop-api's dev overlay just before our first push is served
      if (++pushes > 1) return;
      await git(other, 'rm', '--quiet', '-r', 'apps/shop-api/overlays/dev');
      removal = await commit(other, 'retire shop-api in dev', {});
      await git(other, 'push', '--quiet', 'origin', 'HEAD:main');
    },
  });
  try {
    const url = server.createRepo('acme/gitops.git');
    const bare = server.repoPath('acme/gitops.git');
    await seedBare(bare, gitopsFiles());
    await git(work, 'clone', '--quiet', bare, 'other');
    const command = commands['update-manifests'];
    const inputs = { gitopsUrl: url, service: 'shop-api', env: 'dev', image: `${REGISTRY}/shop/shop-api:1.4.2@${DIGEST_A}` };
    const encoded = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, encodeInput(command.inputs[k as keyof typeof inputs]!, v)]));
    let stdout = '';
    let stderr = '';
    const code = await main([...toArgv(command, encoded), '--output-dir', `${work}/out`], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
      cwd: work,
      interactive: false,
    });
    assert.is(code, 1, stderr);
    const result = JSON.parse(stdout.trim()) as Record<string, unknown>;
    assert.equal([result['ok'], result['code']], [false, 'RUN203']);
    const diagnostic = stderr.split('\n').filter((l) => l.startsWith('✖') || l.startsWith('  hint:'));
    assert.is(diagnostic.length, 2, stderr);
    assert.match(diagnostic[0]!, `✖ RUN203 the change to "main" of ${url} does not apply to its new tip ${removal.slice(0, 12)}`);
    assert.match(diagnostic[0]!, '"apps/shop-api/overlays/dev/kustomization.yaml"', 'names the file that changed upstream');
    assert.match(diagnostic[0]!, 'RUN724 "apps/shop-api/overlays/dev" (service "shop-api", environment "dev") does not exist', 'and why the change no longer applies');
    assert.match(diagnostic[1]!, /hint: someone changed "main" meanwhile .* nothing was pushed/);
    assert.not.match(stderr, /^\s+at /m, 'no stack trace');
    assert.not.match(stderr, 'internal error');
    assert.is(pushes, 1, 'not retried after the conflict');
    assert.is((await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim(), removal, 'the branch holds the removal and nothing of ours');
  } finally {
    remove(work);
    await server.close();
  }
});

test.run();
