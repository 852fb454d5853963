/**
 * An umbrella chart whose subchart is vendored as `helm dependency build` leaves it: a packaged `charts/*.tgz`,
 * not a folder. The subchart's values are read from the archive, so the probe render finds the value path
 * (`wordpress.image.*`, or the alias's) and update-manifests writes it, proven by the real `helm template`.
 * The archives are made by `helm package` itself; the GitOps repository is served over smart HTTP.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { startGitHttpServer, type GitHttpServer } from '../../../test/support/git-http-server.js';
import { updateManifests } from '../src/manifests/update-manifests.js';
import { git, remove, tempDir } from './git-fixtures.js';
import { rejection } from './rejection.js';

const exec = promisify(execFile);
const BLOG = fileURLToPath(new URL('./fixtures/gitops-render/charts/blog/', import.meta.url));
const DIGEST = `sha256:${'d'.repeat(64)}`;
const REG = 'registry.dev.acme.io';

let server: GitHttpServer;
let work: string;

test.before(async () => {
  server = await startGitHttpServer();
  work = tempDir('argots-tgz-subchart-');
});
test.after(async () => {
  remove(work);
  await server.close();
});

/**
 * A GitOps repository with the blog umbrella chart at charts/blog, its wordpress subchart packaged by helm into
 * charts/blog/charts/wordpress-24.1.0.tgz (the folder removed). `alias`: the dependency is renamed in Chart.yaml
 * and configured under that name.
 */
async function repository(name: string, alias?: string): Promise<{ url: string; bare: string }> {
  const src = join(work, `${name}-src`);
  cpSync(BLOG, join(src, 'charts/blog'), { recursive: true });
  const charts = join(src, 'charts/blog/charts');
  await exec('helm', ['package', join(charts, 'wordpress'), '--destination', charts]);
  rmSync(join(charts, 'wordpress'), { recursive: true });
  assert.equal(readdirSync(charts), ['wordpress-24.1.0.tgz']);
  if (alias !== undefined) {
    const chart = join(src, 'charts/blog/Chart.yaml');
    writeFileSync(chart, readFileSync(chart, 'utf8').replace('repository: oci://registry-1.docker.io/bitnamicharts', `repository: oci://registry-1.docker.io/bitnamicharts\n    alias: ${alias}`));
    const values = join(src, 'charts/blog/values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace('wordpress:', `${alias}:`));
  }
  writeFileSync(join(src, 'argots.yaml'), 'services:\n  blog:\n    environments:\n      dev: charts/blog\n');
  await git(src, 'init', '--quiet', '--initial-branch=main');
  await git(src, 'add', '--all');
  await git(src, 'commit', '--quiet', '-m', 'blog with a packaged subchart');
  const url = server.createRepo(`acme/${name}.git`);
  const bare = server.repoPath(`acme/${name}.git`);
  await git(src, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
  return { url, bare };
}

/** The images of the Deployments `helm template` renders from the pushed chart. */
async function helmImages(bare: string): Promise<string[]> {
  const dir = tempDir('argots-tgz-view-');
  try {
    await git(dir, 'clone', '--quiet', bare, 'r');
    const out = (await exec('helm', ['template', 'x', join(dir, 'r/charts/blog')])).stdout;
    return parseAllDocuments(out).flatMap((d) => {
      const o = d.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: { image: string }[]; initContainers?: { image: string }[] } } } } | null;
      if (o?.kind !== 'Deployment') return [];
      const spec = o.spec?.template?.spec;
      return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image);
    });
  } finally {
    remove(dir);
  }
}

test('an umbrella chart with its subchart packaged as charts/wordpress-24.1.0.tgz: wordpress.image.* is found in the archive and written, proven by helm template', async () => {
  const { url, bare } = await repository('blog-tgz');
  const image = `${REG}/blog/wordpress:6.8.0@${DIGEST}`;
  const r = await updateManifests({ gitopsUrl: url, updates: [{ service: 'blog', env: 'dev', image }] });
  assert.equal(r.files, ['charts/blog/values.yaml']);
  const values = await git(work, '--git-dir', bare, 'show', 'main:charts/blog/values.yaml');
  assert.is(values, `# The blog: WordPress from its chart, configured under its name.\nwordpress:\n  replicaCount: 1\n  wordpressBlogName: Acme blog\n  image:\n    registry: registry.dev.acme.io\n    repository: blog/wordpress\n    tag: 6.8.0\n    digest: ${DIGEST}\n`);
  assert.not.match(values, /^image:/m, 'no new top-level image map');
  assert.equal(await helmImages(bare), [`${REG}/blog/wordpress@${DIGEST}`, `${REG}/blog/wordpress@${DIGEST}`]);
});

test('a packaged subchart under an alias: the values go under the alias, proven by helm template', async () => {
  const { url, bare } = await repository('blog-tgz-alias', 'cms');
  const image = `${REG}/blog/wordpress:6.8.1@${DIGEST}`;
  const r = await updateManifests({ gitopsUrl: url, updates: [{ service: 'blog', env: 'dev', image }] });
  assert.equal(r.files, ['charts/blog/values.yaml']);
  assert.match(await git(work, '--git-dir', bare, 'show', 'main:charts/blog/values.yaml'), `cms:\n  replicaCount: 1\n  wordpressBlogName: Acme blog\n  image:\n    registry: registry.dev.acme.io\n    repository: blog/wordpress\n    tag: 6.8.1\n    digest: ${DIGEST}\n`);
  assert.equal(await helmImages(bare), [`${REG}/blog/wordpress@${DIGEST}`, `${REG}/blog/wordpress@${DIGEST}`]);
});

test('a charts/*.tgz that is not a gzip tar archive: refused naming the chart and the archive, nothing pushed', async () => {
  const { url, bare } = await repository('blog-tgz-broken');
  const src = join(work, 'blog-tgz-broken-src');
  writeFileSync(join(src, 'charts/blog/charts/wordpress-24.1.0.tgz'), 'not an archive\n');
  await git(src, 'commit', '--quiet', '-am', 'a broken archive');
  await git(src, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
  const before = (await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim();
  const e = await rejection(updateManifests({ gitopsUrl: url, updates: [{ service: 'blog', env: 'dev', image: `${REG}/blog/wordpress:6.8.2@${DIGEST}` }] }));
  // helm refuses it when rendering (before any probe reads it): the render error names the archive.
  assert.is(e.code, 'RUN771');
  assert.match(e.message, /chart "charts\/blog".*wordpress-24\.1\.0\.tgz/);
  assert.is((await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim(), before);
});

test.run();
