import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createGitHubClient, openPromotionPullRequest, updateManifests } from '../../src/index.js';
import { createWorld, git } from '../github/world.js';
import { createGitops, image } from './gitops.js';

const GITOPS = 'acme/gitops';
const PROD = 'apps/shop-api/overlays/prod/kustomization.yaml';
const SOURCE = 'abcdef0123456789abcdef0123456789abcdef01';

test('the production gate: the change goes to promote/<service>-<sha> and a pull request, never to main', async () => {
  const world = await createWorld();
  try {
    const url = await createGitops(world);
    const github = createGitHubClient(world.credentials);
    const before = await world.snapshot(GITOPS);
    const mainBefore = await world.tip(GITOPS, 'main');
    const prodImage = image('9', '1.4.0');
    const options = { repository: GITOPS, cloneUrl: url, service: 'shop-api', env: 'prod', image: prodImage, sourceCommit: SOURCE, octokit: github.octokit, auth: github.gitAuth };
    const result = await openPromotionPullRequest({ ...options, autoMerge: true, reviewers: ['release-managers'] });
    assert.ok(result.changed);
    assert.is(result.branch, 'promote/shop-api-abcdef012345');
    assert.equal(result.files, [PROD]);
    assert.is(await world.tip(GITOPS, 'main'), mainBefore, 'main untouched: the pull request is the gate');
    const bare = world.gitServer.repoPath(`${GITOPS}.git`);
    const onBranch = await git(world.scratch, '--git-dir', bare, 'show', `${result.branch}:${PROD}`);
    assert.match(onBranch, /newTag: "1\.4\.0"/);
    assert.match(onBranch, /# shop-api in prod/, 'comments kept');
    const diff = await git(world.scratch, '--git-dir', bare, 'diff', '--name-only', 'main', result.branch);
    assert.is(diff.trim(), PROD, 'only the production overlay changes');
    const [pr, ...more] = world.api.pulls(GITOPS);
    assert.equal(more, []);
    assert.is(pr?.head.ref, result.branch);
    assert.is(pr?.base.ref, 'main');
    assert.match(pr?.title ?? '', /^Promote shop-api to prod: sha256:999999999999$/);
    assert.equal(pr?.labels.map((l) => l.name), ['promotion', 'env:prod']);
    assert.equal(pr?.auto_merge, { merge_method: 'merge' });
    assert.equal(pr?.requested_reviewers, [{ login: 'release-managers' }]);
    await world.assertNothingLost(GITOPS, before);

    // Retried: no new commit on the branch, the same pull request.
    const branchTip = await world.tip(GITOPS, result.branch);
    const again = await openPromotionPullRequest(options);
    assert.is(again.pullRequest?.number, pr?.number);
    assert.is(again.pullRequest?.created, false);
    assert.is(await world.tip(GITOPS, result.branch), branchTip);
    assert.is(world.api.pulls(GITOPS).length, 1);
  } finally {
    await world.close();
  }
});

test('when production already runs the image, nothing is proposed', async () => {
  const world = await createWorld();
  try {
    const url = await createGitops(world);
    const github = createGitHubClient(world.credentials);
    const prodImage = image('9', '1.4.0');
    await updateManifests({ gitopsUrl: url, updates: [{ service: 'shop-api', env: 'prod', image: prodImage }], auth: github.gitAuth });
    const before = await world.snapshot(GITOPS);
    const result = await openPromotionPullRequest({ repository: GITOPS, cloneUrl: url, service: 'shop-api', env: 'prod', image: prodImage, octokit: github.octokit, auth: github.gitAuth });
    assert.is(result.changed, false);
    assert.is(result.branch, `promote/shop-api-${'9'.repeat(12)}`, 'named after the digest without a source commit');
    assert.equal(world.api.pulls(GITOPS), []);
    assert.is(await world.tip(GITOPS, result.branch), undefined, 'no branch pushed');
    assert.equal(await world.snapshot(GITOPS), before, 'nothing pushed at all');
  } finally {
    await world.close();
  }
});

test('on GitHub Enterprise Server (/api/v3) the pull request and auto-merge (GraphQL at /api/graphql) work too', async () => {
  const world = await createWorld({ pathPrefix: '/api/v3' });
  try {
    const url = await createGitops(world);
    const github = createGitHubClient(world.credentials);
    const result = await openPromotionPullRequest({ repository: GITOPS, cloneUrl: url, service: 'shop-api', env: 'prod', image: image('9', '1.4.0'), autoMerge: true, octokit: github.octokit, auth: github.gitAuth });
    assert.ok(result.autoMerge);
    assert.equal(world.api.pulls(GITOPS)[0]?.auto_merge, { merge_method: 'merge' });
  } finally {
    await world.close();
  }
});

test.run();
