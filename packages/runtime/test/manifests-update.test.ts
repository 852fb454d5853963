import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import type { GitHttpServer } from '../../../test/support/git-http-server.js';
import { updateManifests } from '../src/manifests/update-manifests.js';
import { copyConfig } from '../src/manifests/copy-config.js';
import { findDeployment } from '../src/manifests/find-deployment.js';
import { loadLayout, resolveTarget } from '../src/manifests/layout.js';
import { commit, git, initRepo, remove, seedBare, tempDir } from './git-fixtures.js';
import { DIGEST_A, DIGEST_B, REGISTRY, gitopsFiles } from './manifests-gitops-fixture.js';
import { rejection } from './rejection.js';

const exec = promisify(execFile);
const TOKEN = 'ghs_update_manifests_token';
const auth = { token: () => TOKEN };
const SOURCE = 'c0ffee0000000000000000000000000000000001';

let server: GitHttpServer;
let url: string;
let bare: string;
let work: string;

async function remoteHead(): Promise<string> {
  return (await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim();
}
async function remoteFile(path: string): Promise<string> {
  return git(work, '--git-dir', bare, 'show', `main:${path}`);
}
async function checkout(): Promise<string> {
  const dir = tempDir('argots-gitops-view-');
  await git(dir, 'clone', '--quiet', bare, 'r');
  return join(dir, 'r');
}

test.before.each(async () => {
  server = await startGitHttpServer({ authorize: (c) => c?.username === 'x-access-token' && c.password === TOKEN });
  url = server.createRepo('acme/gitops.git');
  bare = server.repoPath('acme/gitops.git');
  await seedBare(bare, gitopsFiles(Array.from({ length: 10 }, (_, i) => `svc-${i}`), url));
  work = tempDir();
});
test.after.each(async () => {
  remove(work);
  await server.close();
});

test('given a Kustomize overlay, update-manifests pushes one commit that kubectl kustomize renders with the new digest; a re-run commits nothing', async () => {
  const image = `${REGISTRY}/shop/shop-api:1.4.2@${DIGEST_A}`;
  const before = await remoteHead();
  const r = await updateManifests({ gitopsUrl: url, auth, updates: [{ service: 'shop-api', env: 'dev', image }], sourceCommit: SOURCE });
  assert.ok(r.changed);
  assert.equal(r.files, ['apps/shop-api/overlays/dev/kustomization.yaml']);
  assert.is(await remoteHead(), r.commit);
  assert.is((await git(work, '--git-dir', bare, 'rev-parse', `${r.commit}^`)).trim(), before);
  const message = await git(work, '--git-dir', bare, 'log', '-1', '--format=%B', 'main');
  for (const part of ['shop-api', 'dev', DIGEST_A, SOURCE, image]) assert.ok(message.includes(part), `commit message names ${part}:\n${message}`);
  const overlay = await remoteFile('apps/shop-api/overlays/dev/kustomization.yaml');
  assert.is(overlay, `# shop-api in dev\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../../../base/shop-api   # base\nnamespace: dev\n\nimages:\n  - name: shop/shop-api   # as in base\n    newName: ${REGISTRY}/shop/shop-api\n    newTag: "1.4.2"\n    digest: ${DIGEST_A}\n`);
  const view = await checkout();
  const rendered = (await exec('kubectl', ['kustomize', join(view, 'apps/shop-api/overlays/dev')])).stdout;
  assert.match(rendered, `image: ${REGISTRY}/shop/shop-api:1.4.2@${DIGEST_A}`);
  const staging = (await exec('kubectl', ['kustomize', join(view, 'apps/shop-api/overlays/staging')])).stdout;
  assert.not.match(staging, DIGEST_A, 'other environments are untouched');
  const again = await updateManifests({ gitopsUrl: url, auth, updates: [{ service: 'shop-api', env: 'dev', image }], sourceCommit: SOURCE });
  assert.equal({ changed: again.changed, commit: again.commit, files: again.files }, { changed: false, commit: r.commit, files: [] });
  assert.is(await remoteHead(), r.commit);
  remove(join(view, '..'));
});

test('given Helm values, an Argo CD Application with a $values file and a plain CronJob, each is found and updated', async () => {
  const view0 = await checkout();
  const layout = loadLayout(view0);
  assert.equal(findDeployment(view0, resolveTarget(layout, 'shop-api', 'staging')), { kind: 'kustomize', files: [{ path: 'apps/shop-api/overlays/staging/kustomization.yaml', format: 'kustomize' }] });
  assert.equal(findDeployment(view0, resolveTarget(layout, 'shop-web', 'dev')), { kind: 'helm', files: [{ path: 'apps/shop-web/dev/values-dev.yaml', format: 'helm-values' }] });
  assert.equal(findDeployment(view0, resolveTarget(layout, 'shop-worker', 'dev')).kind, 'argocd-application');
  assert.equal(findDeployment(view0, resolveTarget(layout, 'shop-cron', 'dev')).kind, 'plain');
  remove(join(view0, '..'));
  const r = await updateManifests({
    gitopsUrl: url,
    auth,
    updates: [
      { service: 'shop-web', env: 'dev', image: `${REGISTRY}/shop/web:2.0.0@${DIGEST_B}` },
      { service: 'shop-worker', env: 'dev', image: `${REGISTRY}/shop/shop-worker:3.0.0@${DIGEST_A}` },
      { service: 'shop-cron', env: 'dev', image: `${REGISTRY}/shop/shop-cron:0.2.0@${DIGEST_A}` },
    ],
    sourceCommit: SOURCE,
  });
  assert.equal(r.files, ['apps/shop-web/dev/values-dev.yaml', 'plain/shop-cron/cronjob.yaml', 'values/shop-worker/dev.yaml']);
  assert.is(await remoteFile('apps/shop-web/dev/values-dev.yaml'), `# dev overrides\nimage:\n  tag: "2.0.0"  # bumped by argots\n  repository: ${REGISTRY}/shop/web\n  digest: ${DIGEST_B}\nreplicaCount: 1\n`);
  assert.is(await remoteFile('values/shop-worker/dev.yaml'), `image:\n  repository: ${REGISTRY}/shop/shop-worker\n  tag: 3.0.0\n  digest: ${DIGEST_A}\n`);
  assert.match(await remoteFile('plain/shop-cron/cronjob.yaml'), `              image: ${REGISTRY}/shop/shop-cron:0.2.0@${DIGEST_A}\n`);
  assert.is(await remoteFile('argocd/shop-worker-dev.yaml'), gitopsFiles([], url)['argocd/shop-worker-dev.yaml']);
});

test('ten updaters pushing to one GitOps repository at once all land; none is lost', async () => {
  const before = await remoteHead();
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      updateManifests({
        gitopsUrl: url,
        auth,
        baseDelayMs: 20,
        maxAttempts: 30,
        updates: [{ service: `svc-${i}`, env: i % 2 === 0 ? 'dev' : 'staging', image: `${REGISTRY}/shop/svc-${i}:1.0.${i}@sha256:${String(i).repeat(64)}` }],
        sourceCommit: SOURCE,
      }),
    ),
  );
  assert.ok(results.every((r) => r.changed));
  assert.ok(results.some((r) => r.attempts > 1), 'the pushes really raced (some were rejected and retried)');
  const log = (await git(work, '--git-dir', bare, 'log', '--format=%s', `${before}..main`)).trim().split('\n');
  assert.is(log.length, 10);
  const view = await checkout();
  for (let i = 0; i < 10; i++) {
    const env = i % 2 === 0 ? 'dev' : 'staging';
    const rendered = (await exec('kubectl', ['kustomize', join(view, `apps/svc-${i}/overlays/${env}`)])).stdout;
    assert.match(rendered, `image: ${REGISTRY}/shop/svc-${i}:1.0.${i}@sha256:${String(i).repeat(64)}`);
  }
  remove(join(view, '..'));
});

test('bad input fails clearly and leaves the GitOps repository untouched', async () => {
  const head = await remoteHead();
  const image = `${REGISTRY}/shop/shop-api:1@${DIGEST_A}`;
  const run = (service: string, env: string, img = image): Promise<unknown> => updateManifests({ gitopsUrl: url, auth, updates: [{ service, env, image: img }] });
  assert.match((await rejection(run('nope', 'dev'))).message, /service "nope" is not in the layout "argots.yaml"; expected one of: "shop-api"/);
  assert.match((await rejection(run('shop-web', 'prod'))).message, /environment "prod" of service "shop-web" is not in the layout.*expected one of: "dev"/);
  assert.match((await rejection(run('ghost', 'dev'))).message, /"apps\/ghost\/overlays\/dev" \(service "ghost", environment "dev"\) does not exist/);
  assert.match((await rejection(run('broken', 'dev'))).message, /"apps\/broken\/dev\/kustomization.yaml" is not valid YAML at line \d+, column \d+/);
  assert.match((await rejection(run('shop-api', 'dev', `${REGISTRY}/shop/shop-api:1.0`))).message, /must be an image reference with a sha256 digest/);
  assert.match((await rejection(run('shop-api', 'dev', `${REGISTRY}/shop/shop-api@sha256:1234`))).message, /sha256 digest/);
  assert.match((await rejection(run('shop-cron', 'dev', `${REGISTRY}/shop/other:1@${DIGEST_A}`))).message, /no image of service "shop-cron" found/);
  assert.is(await remoteHead(), head);
});

test('copy-config copies changed files into the mapped folder, removes deleted ones, and refuses escaping paths and symlinks', async () => {
  const app = await initRepo({
    'services/shop-api/config/app.yaml': 'level: info\n',
    'services/shop-api/config/feature/flags.env': 'A=1\n',
    'services/shop-api/src/main.ts': 'x\n',
    'other/config.yaml': 'x: 1\n',
  });
  const r = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/config/app.yaml', 'services/shop-api/config/feature/flags.env', 'other/config.yaml'], sourceCommit: app.first });
  assert.ok(r.changed);
  assert.equal(r.files, ['apps/shop-api/overlays/dev/config/app.yaml', 'apps/shop-api/overlays/dev/config/feature/flags.env']);
  assert.equal(r.skipped, ['other/config.yaml']);
  assert.is(await remoteFile('apps/shop-api/overlays/dev/config/feature/flags.env'), 'A=1\n');
  assert.match(await git(work, '--git-dir', bare, 'log', '-1', '--format=%B', 'main'), `Source-Commit: ${app.first}`);
  // deletion, and an unchanged file is not rewritten
  const second = await commit(app.dir, 'drop flags', { 'services/shop-api/config/feature/flags.env': null });
  const d = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/config/app.yaml'], deleted: ['services/shop-api/config/feature/flags.env'], sourceCommit: second });
  assert.equal(d.files, ['apps/shop-api/overlays/dev/config/feature/flags.env']);
  assert.match(await git(work, '--git-dir', bare, 'ls-tree', '-r', '--name-only', 'main', 'apps/shop-api/overlays/dev/config'), /^apps\/shop-api\/overlays\/dev\/config\/app.yaml\n$/);
  const head = await remoteHead();
  const again = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/config/app.yaml'], deleted: ['services/shop-api/config/feature/flags.env'] });
  assert.not.ok(again.changed);
  // escaping paths and symlinks
  assert.match((await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/config/../../../../etc/passwd'] }))).message, /escapes its repository/);
  assert.match((await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['/etc/passwd'] }))).message, /escapes its repository/);
  mkdirSync(join(app.dir, 'services/shop-api/config/x'), { recursive: true });
  symlinkSync('/etc/hostname', join(app.dir, 'services/shop-api/config/x/link.yaml'));
  assert.match((await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/config/x/link.yaml'] }))).message, /symbolic link/);
  assert.is(await remoteHead(), head);
  remove(app.dir);
});

/** With shop-api's config mapping in the layout replaced by `mapping`, copy-config fails as `expected` and pushes nothing. */
async function refusesConfigMapping(mapping: string, expected: RegExp): Promise<void> {
  const view = await checkout();
  const layout = readFileSync(join(view, 'argots.yaml'), 'utf8').replace('{ from: services/shop-api/config, to: config }', mapping);
  writeFileSync(join(view, 'argots.yaml'), layout);
  await git(view, 'commit', '--quiet', '-am', 'bad mapping');
  await git(view, 'push', '--quiet', 'origin', 'HEAD:main');
  const head = await remoteHead();
  const app = await initRepo({ 'services/shop-api/config/app.yaml': 'a: 1\n' });
  const e = await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/config/app.yaml'] }));
  assert.match(e.message, expected);
  assert.is(await remoteHead(), head);
  remove(app.dir);
  remove(join(view, '..'));
}

test('a config mapping in the layout that escapes the GitOps repository is refused before anything is pushed', () =>
  refusesConfigMapping('{ from: services/shop-api/config, to: ../../../../../outside }', /config mapping "to" of service "shop-api" "..\/..\/..\/..\/..\/outside" escapes its repository/));

test('a config mapping "from" outside the application repository is refused even when no changed file falls under it', () =>
  refusesConfigMapping('{ from: ../../etc, to: config }', /config mapping "from" of service "shop-api" "..\/..\/etc" escapes its repository/));

test('copy-config refuses a deleted path that escapes, and a destination that is a symbolic link in the GitOps repository', async () => {
  const app = await initRepo({ 'services/shop-api/config/app.yaml': 'a: 2\n' });
  const e = await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: [], deleted: ['../../etc/passwd'] }));
  assert.match(e.message, /configuration file "..\/..\/etc\/passwd" escapes its repository/);
  // The GitOps repository's config folder replaced by a link pointing out of it.
  const view = await checkout();
  await git(view, 'rm', '--quiet', '-r', '--ignore-unmatch', 'apps/shop-api/overlays/dev/config');
  mkdirSync(join(view, 'apps/shop-api/overlays/dev'), { recursive: true });
  symlinkSync('../../../../..', join(view, 'apps/shop-api/overlays/dev/config'));
  await git(view, 'add', '--all');
  await git(view, 'commit', '--quiet', '-m', 'config folder as a link');
  await git(view, 'push', '--quiet', 'origin', 'HEAD:main');
  const head = await remoteHead();
  const s = await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/config/app.yaml'] }));
  assert.match(s.message, /destination of "services\/shop-api\/config\/app.yaml" "apps\/shop-api\/overlays\/dev\/config\/app.yaml" goes through the symbolic link "apps\/shop-api\/overlays\/dev\/config"/);
  assert.is(await remoteHead(), head, 'nothing pushed');
  remove(app.dir);
  remove(join(view, '..'));
});

/** shop-api's config mapping in the layout replaced by `mappings` (and `extra` files added), pushed. */
async function setConfigMappings(mappings: readonly string[], extra: Record<string, string> = {}): Promise<void> {
  const view = await checkout();
  const layout = readFileSync(join(view, 'argots.yaml'), 'utf8').replace('{ from: services/shop-api/config, to: config }', mappings.join('\n      - '));
  writeFileSync(join(view, 'argots.yaml'), layout);
  for (const [path, text] of Object.entries(extra)) {
    mkdirSync(dirname(join(view, path)), { recursive: true });
    writeFileSync(join(view, path), text);
  }
  await git(view, 'add', '--all');
  await git(view, 'commit', '--quiet', '-m', 'file mappings');
  await git(view, 'push', '--quiet', 'origin', 'HEAD:main');
  remove(join(view, '..'));
}

test('copy-config maps a file onto a file (existing or not), into a folder when "to" ends with "/" or is a folder there', async () => {
  await setConfigMappings(['{ from: services/shop-api/settings.yml, to: settings.yml }', '{ from: services/shop-api/new.yml, to: fresh/new-name.yml }', '{ from: services/shop-api/into.yml, to: conf/ }', '{ from: services/shop-api/dir.yml, to: existing }'], {
    'apps/shop-api/overlays/dev/settings.yml': 'old: true\n',
    'apps/shop-api/overlays/dev/existing/keep.yml': 'k: 1\n',
  });
  const app = await initRepo({
    'services/shop-api/settings.yml': 'new: true\n',
    'services/shop-api/new.yml': 'n: 1\n',
    'services/shop-api/into.yml': 'i: 1\n',
    'services/shop-api/dir.yml': 'd: 1\n',
  });
  const r = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/settings.yml', 'services/shop-api/new.yml', 'services/shop-api/into.yml', 'services/shop-api/dir.yml'] });
  assert.equal(r.files, ['apps/shop-api/overlays/dev/conf/into.yml', 'apps/shop-api/overlays/dev/existing/dir.yml', 'apps/shop-api/overlays/dev/fresh/new-name.yml', 'apps/shop-api/overlays/dev/settings.yml']);
  assert.is(await remoteFile('apps/shop-api/overlays/dev/settings.yml'), 'new: true\n', 'an existing file is replaced, not treated as a folder');
  assert.is(await remoteFile('apps/shop-api/overlays/dev/fresh/new-name.yml'), 'n: 1\n', 'a missing file is created under its own name');
  assert.is(await remoteFile('apps/shop-api/overlays/dev/existing/keep.yml'), 'k: 1\n');
  // deleting the file removes the mapped file, not a folder of the same name
  const d = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: [], deleted: ['services/shop-api/settings.yml'] });
  assert.equal(d.files, ['apps/shop-api/overlays/dev/settings.yml']);
  remove(app.dir);
});

test('copy-config refuses to replace a folder of the GitOps repository with a file, naming both', async () => {
  await setConfigMappings(['{ from: services/shop-api/config, to: config }'], { 'apps/shop-api/overlays/dev/config/app.yaml/inner.txt': 'x\n' });
  const head = await remoteHead();
  const app = await initRepo({ 'services/shop-api/config/app.yaml': 'a: 1\n' });
  const e = await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'dev', files: ['services/shop-api/config/app.yaml'] }));
  assert.is((e as { code?: string }).code, 'RUN753');
  assert.match(e.message, /"apps\/shop-api\/overlays\/dev\/config\/app.yaml" in the GitOps repository is not a file/);
  assert.is(await remoteHead(), head, 'nothing pushed');
  remove(app.dir);
});

test('an environment running an image built from a newer commit is not set back by a run that pushes later; --allow-older does it on purpose', async () => {
  const app = await initRepo({ 'services/shop-api/src/main.ts': 'v1\n' });
  const older = app.first;
  const newer = await commit(app.dir, 'v2', { 'services/shop-api/src/main.ts': 'v2\n' });
  const newImage = `${REGISTRY}/shop/shop-api:2@${DIGEST_B}`;
  const oldImage = `${REGISTRY}/shop/shop-api:1@${DIGEST_A}`;
  // The newer build lands first …
  const first = await updateManifests({ gitopsUrl: url, auth, appRepo: app.dir, updates: [{ service: 'shop-api', env: 'dev', image: newImage }], sourceCommit: newer });
  assert.ok(first.changed);
  // … then the older one, which started earlier, tries to push: refused, nothing written.
  const head = await remoteHead();
  const e = await rejection(updateManifests({ gitopsUrl: url, auth, appRepo: app.dir, updates: [{ service: 'shop-api', env: 'dev', image: oldImage }], sourceCommit: older }));
  assert.is((e as { code?: string }).code, 'RUN744');
  assert.match(e.message, new RegExp(`runs ${newImage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, built from ${newer.slice(0, 12)}, which is newer than ${older.slice(0, 12)}`));
  assert.match((e as { hint?: string }).hint ?? '', /--allow-older/);
  assert.is(await remoteHead(), head, 'nothing pushed');
  assert.match(await remoteFile('apps/shop-api/overlays/dev/kustomization.yaml'), DIGEST_B);
  // Another environment is judged on its own record.
  const staging = await updateManifests({ gitopsUrl: url, auth, appRepo: app.dir, updates: [{ service: 'shop-api', env: 'staging', image: oldImage }], sourceCommit: older });
  assert.ok(staging.changed);
  // A descendant of the deployed commit goes through; so does the older one when asked for.
  const newest = await commit(app.dir, 'v3', { 'services/shop-api/src/main.ts': 'v3\n' });
  const third = await updateManifests({ gitopsUrl: url, auth, appRepo: app.dir, updates: [{ service: 'shop-api', env: 'dev', image: `${REGISTRY}/shop/shop-api:3@${DIGEST_A}` }], sourceCommit: newest });
  assert.ok(third.changed);
  const back = await updateManifests({ gitopsUrl: url, auth, appRepo: app.dir, allowOlder: true, updates: [{ service: 'shop-api', env: 'dev', image: newImage }], sourceCommit: newer });
  assert.ok(back.changed, 'set back on purpose');
  remove(app.dir);
});

test.run();
