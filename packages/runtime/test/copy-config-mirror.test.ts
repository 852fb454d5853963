// copy-config --all mirrors a removal in the source, and destroys nothing it was not asked to: a file argots
// itself copied (recorded in .argots/config-copies/<service>/<env>.json of the GitOps repository) is removed
// when its source is gone; a file argots never copied, or one changed in the GitOps repository since argots
// wrote it, is left and reported. Real git repositories, the GitOps one served over smart HTTP.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import type { GitHttpServer } from '../../../test/support/git-http-server.js';
import { copyConfig } from '../src/manifests/copy-config.js';
import { commit, git, initRepo, remove, seedBare, tempDir } from './git-fixtures.js';
import { gitopsFiles } from './manifests-gitops-fixture.js';
import { rejection } from './rejection.js';

const TOKEN = 'ghs_copy_config_mirror';
const auth = { token: () => TOKEN };
const CONFIG = 'apps/shop-api/overlays/staging/config';
const RECORD = '.argots/config-copies/shop-api/staging.json';

let server: GitHttpServer;
let url: string;
let bare: string;
let work: string;

const tree = async (): Promise<string[]> => (await git(work, '--git-dir', bare, 'ls-tree', '-r', '--name-only', 'main', CONFIG)).split('\n').filter(Boolean);
const remoteFile = (path: string): Promise<string> => git(work, '--git-dir', bare, 'show', `main:${path}`);
const remoteHead = async (): Promise<string> => (await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim();
/** A commit made in the GitOps repository by a person (a clone, a change, a push). */
async function byHand(files: Record<string, string | null>, message: string): Promise<void> {
  const dir = tempDir('argots-gitops-hand-');
  await git(dir, 'clone', '--quiet', bare, 'r');
  await commit(join(dir, 'r'), message, files);
  await git(join(dir, 'r'), 'push', '--quiet', 'origin', 'HEAD:main');
  remove(dir);
}

test.before.each(async () => {
  server = await startGitHttpServer({ authorize: (c) => c?.username === 'x-access-token' && c.password === TOKEN });
  url = server.createRepo('acme/gitops.git');
  bare = server.repoPath('acme/gitops.git');
  await seedBare(bare, gitopsFiles());
  work = tempDir();
});
test.after.each(async () => {
  remove(work);
  await server.close();
});

test('a file removed in the source is removed by the next --all copy, because argots recorded copying it', async () => {
  const app = await initRepo({
    'services/shop-api/config/app.yaml': 'level: info\n',
    'services/shop-api/config/feature/flags.env': 'A=1\n',
    'services/shop-api/config/old.yaml': 'x: 1\n',
  });
  const first = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: [], all: true, sourceCommit: app.first });
  assert.equal(first.files, [`${CONFIG}/app.yaml`, `${CONFIG}/feature/flags.env`, `${CONFIG}/old.yaml`]);
  assert.equal(first.left, []);
  const record = JSON.parse(await remoteFile(RECORD));
  assert.equal(Object.keys(record.files), [`${CONFIG}/app.yaml`, `${CONFIG}/feature/flags.env`, `${CONFIG}/old.yaml`]);
  assert.is(record.files[`${CONFIG}/old.yaml`].source, 'services/shop-api/config/old.yaml');
  assert.match(record.files[`${CONFIG}/old.yaml`].sha256, /^sha256:[0-9a-f]{64}$/);

  // The release drops old.yaml and the feature folder: the next promotion mirrors it.
  const second = await commit(app.dir, 'drop old config', { 'services/shop-api/config/old.yaml': null, 'services/shop-api/config/feature/flags.env': null });
  const r = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: [], all: true, sourceCommit: second });
  assert.ok(r.changed);
  assert.equal(r.files, [`${CONFIG}/feature/flags.env`, `${CONFIG}/old.yaml`]);
  assert.equal(await tree(), [`${CONFIG}/app.yaml`]);
  assert.equal(Object.keys(JSON.parse(await remoteFile(RECORD)).files), [`${CONFIG}/app.yaml`]);
  const message = await git(work, '--git-dir', bare, 'log', '-1', '--format=%B', 'main');
  assert.match(message, `- ${CONFIG}/old.yaml`);
  assert.match(message, `Source-Commit: ${second}`);

  // Again: nothing to do, nothing pushed.
  const head = await remoteHead();
  const again = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: [], all: true, sourceCommit: second });
  assert.not.ok(again.changed);
  assert.is(await remoteHead(), head);
  remove(app.dir);
});

test('files argots never copied, and copies changed by hand since, are left and reported — never removed', async () => {
  // Before argots managed staging's config: a file put there by hand (no record of it).
  await byHand({ [`${CONFIG}/hand-made.yaml`]: 'by: hand\n' }, 'a hand-made config file');
  const app = await initRepo({ 'services/shop-api/config/app.yaml': 'level: info\n', 'services/shop-api/config/tuning.yaml': 'threads: 4\n' });
  const logs: string[] = [];
  await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: [], all: true, sourceCommit: app.first });
  // Someone tunes staging by hand in the GitOps repository.
  await byHand({ [`${CONFIG}/tuning.yaml`]: 'threads: 16 # staging needs more\n' }, 'tune staging');

  // The source drops tuning.yaml; the copy leaves both files and says why.
  const second = await commit(app.dir, 'drop tuning', { 'services/shop-api/config/tuning.yaml': null });
  const r = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: [], all: true, sourceCommit: second, log: (m) => logs.push(m) });
  assert.equal(r.left, [{ path: `${CONFIG}/hand-made.yaml`, reason: 'unmanaged' }, { path: `${CONFIG}/tuning.yaml`, reason: 'changed' }]);
  assert.equal(await tree(), [`${CONFIG}/app.yaml`, `${CONFIG}/hand-made.yaml`, `${CONFIG}/tuning.yaml`]);
  assert.is(await remoteFile(`${CONFIG}/tuning.yaml`), 'threads: 16 # staging needs more\n');
  assert.ok(logs.some((l) => l.includes(`left ${CONFIG}/tuning.yaml: its source is gone, but it was changed in the GitOps repository since argots copied it`)), logs.join('\n'));
  assert.ok(logs.some((l) => l.includes(`left ${CONFIG}/hand-made.yaml: not in the source, and argots never copied it`)));
  remove(app.dir);
});

test('without --all (a dev push) nothing unlisted is removed; listed deletions still are, and leave the record', async () => {
  const app = await initRepo({ 'services/shop-api/config/app.yaml': 'a: 1\n', 'services/shop-api/config/b.yaml': 'b: 1\n' });
  await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: ['services/shop-api/config/app.yaml', 'services/shop-api/config/b.yaml'], sourceCommit: app.first });
  const second = await commit(app.dir, 'drop b', { 'services/shop-api/config/b.yaml': null });
  // A push that changed only app.yaml and does not list b.yaml's deletion: b.yaml stays.
  await commit(app.dir, 'a: 2', { 'services/shop-api/config/app.yaml': 'a: 2\n' });
  const r = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: ['services/shop-api/config/app.yaml'], sourceCommit: second });
  assert.equal(r.files, [`${CONFIG}/app.yaml`]);
  assert.equal(await tree(), [`${CONFIG}/app.yaml`, `${CONFIG}/b.yaml`]);
  const d = await copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: [], deleted: ['services/shop-api/config/b.yaml'] });
  assert.equal(d.files, [`${CONFIG}/b.yaml`]);
  assert.equal(Object.keys(JSON.parse(await remoteFile(RECORD)).files), [`${CONFIG}/app.yaml`]);
  remove(app.dir);
});

test('a record that names a path outside the repository, or is not JSON, is refused before anything is pushed', async () => {
  const app = await initRepo({ 'services/shop-api/config/app.yaml': 'a: 1\n' });
  await byHand({ [RECORD]: JSON.stringify({ files: { '../../etc/passwd': { source: 'x', sha256: `sha256:${'0'.repeat(64)}` } } }) }, 'a tampered record');
  const head = await remoteHead();
  assert.match((await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: [], all: true }))).message, /escapes its repository/);
  assert.is(await remoteHead(), head);
  await byHand({ [RECORD]: '{ not json' }, 'a broken record');
  const e = await rejection(copyConfig({ repo: app.dir, gitopsUrl: url, auth, service: 'shop-api', env: 'staging', files: [], all: true }));
  assert.is((e as { code?: string }).code, 'RUN754');
  assert.match(e.message, /\.argots\/config-copies\/shop-api\/staging\.json" in the GitOps repository is not valid JSON/);
  remove(app.dir);
});

test.run();
