/** The hotfix flow as one `argots-runtime hotfix` step (a process, argv from the contract), with two open releases. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hotfix as hotfixCommand, toArgv } from '@argots/contract';
import { appEnvironment, createWorld, git } from '../github/world.js';
import { image } from './gitops.js';
import { APP, IMAGE_110, contains, twoReleases } from './two-releases.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages/runtime/src/bin.ts');

test('argots-runtime hotfix runs the flow as one step: argv from the contract, App credentials from the environment, outputs written', async () => {
  const world = await createWorld();
  const out = await mkdtemp(join(tmpdir(), 'argots-out-'));
  try {
    const { appUrl, gitopsUrl, hotfix } = await twoReleases(world);
    const argv = [...toArgv(hotfixCommand, { repo: APP, gitUrl: appUrl, gitopsUrl, service: 'shop-api', image: image('f', '1.8.1'), sourceCommit: hotfix }), '--output-dir', out];
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...argv], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...appEnvironment(world) } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
    assert.is(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { ok: boolean; outputs: Record<string, string> };
    assert.ok(result.ok);
    assert.is(result.outputs['releases'], 'release/1.9,release/1.10');
    assert.is(result.outputs['stagingImage'], IMAGE_110);
    assert.is(result.outputs['pullRequests'], '');
    assert.is(await readFile(join(out, 'commit'), 'utf8'), (await git(world.scratch, '--git-dir', world.gitServer.repoPath('acme/gitops.git'), 'rev-parse', 'main')).trim());
    for (const branch of ['release/1.9', 'release/1.10', 'dev']) assert.ok(await contains(world, hotfix, branch), `${branch} holds the hotfix`);
    assert.not.match(run.stderr + run.stdout, /ghs_|PRIVATE KEY/, 'no credentials in the output');
  } finally {
    await rm(out, { recursive: true, force: true });
    await world.close();
  }
});

test.run();
