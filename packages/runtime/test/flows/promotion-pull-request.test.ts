import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createGitHubClient, openPromotionPullRequest, updateManifests } from '../../src/index.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createWorld, git } from '../github/world.js';
import type { World } from '../github/world.js';
import { createGitops, gitopsFiles, image } from './gitops.js';
import { remove, tempDir, writeFiles } from '../git-fixtures.js';

const exec = promisify(execFile);

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

// With configFrom: the release's configuration travels on the same branch. The prod overlay generates a
// ConfigMap from the copied file, so what Argo CD would deploy is rendered here with the real kubectl kustomize.
const CONFIG = 'apps/shop-api/overlays/prod/config/app.yaml';

async function gitopsWithConfig(world: World): Promise<string> {
  const { url } = await world.createRepo('acme/gitops', 'main');
  const files = gitopsFiles();
  files['argots.yaml'] = 'defaults:\n  path: apps/{service}/overlays/{env}\nenvironments: [dev, staging, prod]\nservices:\n  shop-api:\n    images: [shop/api]\n    config:\n      - { from: services/shop-api/config, to: config }\n';
  files[CONFIG] = 'greeting: one-nine\n';
  files['apps/shop-api/overlays/prod/kustomization.yaml'] += 'configMapGenerator:\n  - name: shop-api-config\n    files: [config/app.yaml]\n';
  await world.commit('acme/gitops', 'main', files, 'initial layout');
  return url;
}

/** Renders the prod overlay at `ref` of the GitOps repository: the Deployment's image and the ConfigMap's app.yaml. */
async function renderProd(world: World, ref: string): Promise<{ image: string; config: string }> {
  const dir = tempDir('argots-promotion-render-');
  try {
    await git(dir, 'clone', '--quiet', world.gitServer.repoPath('acme/gitops.git'), 'repo');
    await git(`${dir}/repo`, 'checkout', '--quiet', ref);
    const { stdout } = await exec('kubectl', ['kustomize', `${dir}/repo/apps/shop-api/overlays/prod`], { encoding: 'utf8' });
    return { image: /image: (\S+)/.exec(stdout)?.[1] ?? '', config: /app\.yaml: \|\n\s+(.*)/.exec(stdout)?.[1] ?? '' };
  } finally {
    remove(dir);
  }
}

function appCheckout(greeting: string): string {
  const dir = tempDir('argots-app-');
  writeFiles(dir, { 'services/shop-api/config/app.yaml': `greeting: ${greeting}\n`, 'services/shop-api/main.go': 'package main\n' });
  return dir;
}

test('with configFrom, prod already running the image: a pull request carrying the configuration only', async () => {
  const world = await createWorld();
  const app = appCheckout('two-oh');
  try {
    const url = await gitopsWithConfig(world);
    const github = createGitHubClient(world.credentials);
    const prodImage = image('9', '1.4.0');
    await updateManifests({ gitopsUrl: url, updates: [{ service: 'shop-api', env: 'prod', image: prodImage }], auth: github.gitAuth });
    const mainBefore = await world.tip(GITOPS, 'main');
    const before = await world.snapshot(GITOPS);
    const options = { repository: GITOPS, cloneUrl: url, service: 'shop-api', env: 'prod', image: prodImage, sourceCommit: SOURCE, configFrom: app, octokit: github.octokit, auth: github.gitAuth };
    const result = await openPromotionPullRequest(options);
    assert.ok(result.changed, 'a pull request: the configuration differs');
    assert.is(result.imageChanged, false);
    assert.equal(result.configFiles, ['.argots/config-copies/shop-api/prod.json', CONFIG]);
    assert.is(await world.tip(GITOPS, 'main'), mainBefore, 'main untouched');
    const [pr, ...more] = world.api.pulls(GITOPS);
    assert.equal(more, []);
    assert.is(pr?.head.ref, result.branch);
    assert.is(pr?.title, 'Configuration of shop-api in prod from abcdef012345');
    assert.match(pr?.body ?? '', /already runs\n\n {4}registry\.acme\.io\/shop\/api:1\.4\.0@sha256:9{64}\n\nThis pull request carries its configuration only\./);
    assert.match(pr?.body ?? '', /Configuration: .*`apps\/shop-api\/overlays\/prod\/config\/app\.yaml`/);
    // Main renders the old configuration, the branch the release's; the image is the same on both.
    assert.equal(await renderProd(world, 'main'), { image: prodImage, config: 'greeting: one-nine' });
    assert.equal(await renderProd(world, result.branch), { image: prodImage, config: 'greeting: two-oh' });
    await world.assertNothingLost(GITOPS, before);
    // A re-run pushes nothing and opens nothing new.
    const tip = await world.tip(GITOPS, result.branch);
    const again = await openPromotionPullRequest(options);
    assert.is(again.pullRequest?.number, pr?.number);
    assert.is(await world.tip(GITOPS, result.branch), tip);
    assert.is(world.api.pulls(GITOPS).length, 1);
  } finally {
    remove(app);
    await world.close();
  }
});

test('with configFrom, prod already running the image and the configuration: nothing is proposed, nothing pushed', async () => {
  const world = await createWorld();
  const app = appCheckout('one-nine');
  try {
    const url = await gitopsWithConfig(world);
    const github = createGitHubClient(world.credentials);
    const prodImage = image('9', '1.4.0');
    await updateManifests({ gitopsUrl: url, updates: [{ service: 'shop-api', env: 'prod', image: prodImage }], auth: github.gitAuth });
    // The configuration as copy-config left it (its record of the copy included): the same as the release's.
    const first = await openPromotionPullRequest({ repository: GITOPS, cloneUrl: url, service: 'shop-api', env: 'prod', image: prodImage, configFrom: app, octokit: github.octokit, auth: github.gitAuth });
    assert.ok(first.changed, 'the first run records the copy (argots had never copied the file)');
    assert.equal(first.configFiles, ['.argots/config-copies/shop-api/prod.json']);
    const bare = world.gitServer.repoPath('acme/gitops.git');
    await git(world.scratch, '--git-dir', bare, 'update-ref', 'refs/heads/main', first.branch);
    const before = await world.snapshot(GITOPS);
    const result = await openPromotionPullRequest({ repository: GITOPS, cloneUrl: url, service: 'shop-api', env: 'prod', image: prodImage, sourceCommit: SOURCE, configFrom: app, octokit: github.octokit, auth: github.gitAuth });
    assert.is(result.changed, false);
    assert.is(result.imageChanged, false);
    assert.is(await world.tip(GITOPS, result.branch), undefined, 'no branch pushed');
    assert.equal(await world.snapshot(GITOPS), before, 'nothing pushed at all');
    assert.is(world.api.pulls(GITOPS).length, 1, 'only the first run\'s pull request');
  } finally {
    remove(app);
    await world.close();
  }
});

test('with configFrom and a new image: one pull request, opened once both commits are on the branch', async () => {
  const world = await createWorld();
  const app = appCheckout('two-oh');
  try {
    const url = await gitopsWithConfig(world);
    const github = createGitHubClient(world.credentials);
    const prodImage = image('9', '1.4.0');
    const result = await openPromotionPullRequest({ repository: GITOPS, cloneUrl: url, service: 'shop-api', env: 'prod', image: prodImage, sourceCommit: SOURCE, configFrom: app, octokit: github.octokit, auth: github.gitAuth });
    assert.ok(result.changed);
    assert.ok(result.imageChanged);
    assert.equal(result.files, ['apps/shop-api/overlays/prod/kustomization.yaml', '.argots/config-copies/shop-api/prod.json', CONFIG]);
    const bare = world.gitServer.repoPath('acme/gitops.git');
    const log = await git(world.scratch, '--git-dir', bare, 'log', '--format=%s', `main..${result.branch}`);
    assert.equal(log.trim().split('\n'), ['config shop-api in prod: 1 file (from abcdef012345)', 'deploy shop-api to prod: sha256:999999999999 (from abcdef012345)']);
    const [pr] = world.api.pulls(GITOPS);
    assert.match(pr?.title ?? '', /^Promote shop-api to prod: sha256:999999999999$/);
    assert.match(pr?.body ?? '', /Image: `apps\/shop-api\/overlays\/prod\/kustomization\.yaml`/);
    assert.equal(await renderProd(world, result.branch), { image: prodImage, config: 'greeting: two-oh' });
  } finally {
    remove(app);
    await world.close();
  }
});

test.run();
