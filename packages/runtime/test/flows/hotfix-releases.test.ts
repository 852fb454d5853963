/**
 * The hotfix flow with two release branches open (see `two-releases.ts`): the hotfix reaches every open
 * release, and staging is restored to 1.10's image — not to 1.9's, though 1.9's deployment is newer in the
 * GitOps history and its commit is in 1.10 too.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createGitHubClient, runHotfixFlow } from '../../src/index.js';
import { createWorld } from '../github/world.js';
import { image } from './gitops.js';
import { APP, IMAGE_110, IMAGE_19, contains, stagingOverlay, twoReleases } from './two-releases.js';

test('given two open releases, the hotfix is back-merged into both and staging is restored to the newest release\'s image', async () => {
  const world = await createWorld();
  try {
    const { appUrl, gitopsUrl, hotfix } = await twoReleases(world);
    const github = createGitHubClient(world.credentials);
    const before = await world.snapshot(APP);
    const lines: string[] = [];
    const result = await runHotfixFlow({
      repository: APP, appUrl, gitopsUrl, service: 'shop-api', image: image('f', '1.8.1'), sourceCommit: hotfix,
      octokit: github.octokit, auth: github.gitAuth, log: (m) => void lines.push(m),
    });
    assert.equal(result.intoReleases.map((m) => [m.release.branch, m.result.result]), [['release/1.9', 'merged'], ['release/1.10', 'merged']], 'every open release, oldest first');
    for (const branch of ['release/1.9', 'release/1.10', 'dev']) assert.ok(await contains(world, hotfix, branch), `${branch} holds the hotfix`);
    assert.is(result.release?.branch, 'release/1.10');
    assert.is(result.cleanup.release?.branch, 'release/1.10');
    assert.is(result.cleanup.image, IMAGE_110, 'the image of the release it reports, not 1.9\'s');
    assert.match(await stagingOverlay(world), /newTag: "1\.10\.0"/);
    assert.ok(lines.some((l) => l.includes(`skipping ${IMAGE_19}`) && l.includes('"release/1.9"')), lines.join('\n'));
    await world.assertNothingLost(APP, before);

    // The newest only, when that is the policy chosen: a second hotfix reaches release/1.10 and dev alone.
    const hotfix2 = await world.commit(APP, 'master', { 'app/login.ts': 'login v1 fixed twice\n' }, 'Merge pull request #11 from acme/hotfix/again');
    const newest = await runHotfixFlow({
      repository: APP, appUrl, gitopsUrl, service: 'shop-api', image: image('e', '1.8.2'), sourceCommit: hotfix2, releases: 'newest',
      octokit: github.octokit, auth: github.gitAuth,
    });
    assert.equal(newest.intoReleases.map((m) => m.release.branch), ['release/1.10']);
    assert.not.ok(await contains(world, hotfix2, 'release/1.9'));
  } finally {
    await world.close();
  }
});

test.run();
