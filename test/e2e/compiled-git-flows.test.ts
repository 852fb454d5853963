// The hotfix flow's git steps, as the DSL compiles them, run through the real `argots-runtime` binary:
// back-merge master into the newest open release and into dev, then propose production through a pull
// request in the GitOps repository. Real git over smart HTTP (only a valid App installation token gets in),
// and the GitHub API test server that the real Octokit client talks to.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { param, pipeline, steps, synth } from '@argots/dsl';
import { execute, type Obj } from '../support/argo-executor.js';
import { appEnvironment, createWorld, type World } from '../../packages/runtime/test/github/world.js';
import { createGitops, image } from '../../packages/runtime/test/flows/gitops.js';

const hotfixGitSteps = pipeline('e2e-hotfix-git', (p) => {
  const appGit = p.param('appGit', param.string());
  const gitopsGit = p.param('gitopsGit', param.string());
  const prodImage = p.param('prodImage', param.string());
  const sha = p.param('sha', param.string());
  const intoRelease = p.task('into-release', steps.backMerge({ repo: 'acme/shop', source: 'master', target: 'release/*', gitUrl: appGit, labels: ['back-merge'] }));
  p.task('into-dev', steps.backMerge({ repo: 'acme/shop', source: 'master', target: 'dev', gitUrl: appGit }), { after: [intoRelease] });
  p.task('production-gate', steps.openPromotionPullRequest({
    repo: 'acme/gitops', gitUrl: gitopsGit, service: 'shop-api', env: 'prod', image: prodImage, sourceCommit: sha,
  }), { after: [intoRelease] });
});

const run = promisify(execFile);

/** Whether `commit` is reachable from `tip` in the bare repository on the server. */
async function contains(world: World, commit: string, tip: string): Promise<boolean> {
  const gitDir = world.gitServer.repoPath('acme/shop.git');
  return run('git', ['--git-dir', gitDir, 'merge-base', '--is-ancestor', commit, tip]).then(() => true, () => false);
}

test('given a hotfix on master, the compiled steps merge it into the newest release and dev, and open the production pull request', async () => {
  const compiled = synth([{ value: hotfixGitSteps, exportName: 'default', file: 'test/e2e/compiled-git-flows.test.ts' }]);
  assert.equal(compiled.diagnostics.filter((d) => d.severity === 'error'), []);
  const world = await createWorld();
  const scratch = await mkdtemp(join(tmpdir(), 'argots-e2e-flows-'));
  try {
    const { url: appGit } = await world.createRepo('acme/shop');
    const base = await world.commit('acme/shop', 'master', { 'a.txt': '1\n' });
    await world.branch('acme/shop', 'dev', base);
    for (const b of ['release/1.9', 'release/1.10']) {
      await world.branch('acme/shop', b, base);
      await world.commit('acme/shop', b, { [`${b}.txt`]: 'rc\n' }, `${b} candidate`);
    }
    const hotfix = await world.commit('acme/shop', 'master', { 'a.txt': '2\n' }, 'hotfix: fix a');
    const before = await world.snapshot('acme/shop');
    const gitopsGit = await createGitops(world);

    const runs = await execute(
      compiled.files[0]?.object as Obj,
      { appGit, gitopsGit, prodImage: image('7', '1.10.1'), sha: hotfix },
      scratch,
      appEnvironment(world),
    );
    for (const [name, r] of runs) assert.is(r.code, 0, `${name}: ${r.stderr}`);
    assert.is(runs.get('into-release')?.outputs['result'], 'merged');
    assert.is(runs.get('into-release')?.outputs['target'], 'release/1.10', 'the newest release by version, not by name');
    assert.is(runs.get('into-dev')?.outputs['result'], 'merged');
    const gate = runs.get('production-gate');
    assert.match(gate?.outputs['pullRequest'] ?? '', /\/pull\/\d+$|\/pulls\/\d+$/);
    assert.match(gate?.outputs['branch'] ?? '', /^promote\/shop-api-/);
    for (const branch of ['release/1.10', 'dev']) {
      const tip = await world.tip('acme/shop', branch);
      assert.ok(tip && (await contains(world, hotfix, tip)), `the hotfix is in ${branch}`);
    }
    assert.not.match([...runs.values()].map((r) => r.stdout + r.stderr).join(''), /ghs_|PRIVATE KEY/);
    await world.assertNothingLost('acme/shop', before);
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await world.close();
  }
});

test.run();
