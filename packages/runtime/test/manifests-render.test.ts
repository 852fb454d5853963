/**
 * After editing, render: update-manifests against a GitOps repository holding the chart shapes real
 * repositories use (test/fixtures/gitops-render, see its SOURCE.md), over smart HTTP with a token, with the
 * real `helm template` and `kubectl kustomize`. What is pushed is rendered again here, independently.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import type { GitHttpServer } from '../../../test/support/git-http-server.js';
import { updateManifests } from '../src/manifests/update-manifests.js';
import { setImagesVerified } from '../src/manifests/set-images-verified.js';
import { repoIdentity } from '../src/manifests/render-deployment.js';
import { loadLayout } from '../src/manifests/layout.js';
import { git, remove, seedBare, tempDir, writeFiles } from './git-fixtures.js';
import { rejection } from './rejection.js';

const exec = promisify(execFile);
const FIXTURE = fileURLToPath(new URL('./fixtures/gitops-render/', import.meta.url));
const TOKEN = 'ghs_render_token';
const auth = { token: () => TOKEN };
const DIGEST = `sha256:${'c'.repeat(64)}`;
const REG = 'registry.dev.acme.io';

let server: GitHttpServer;
let charts: Server;
let chartsDir: string;
let url: string;
let bare: string;
let work: string;

function fixtureFiles(gitopsUrl: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(FIXTURE, full)] = readFileSync(full, 'utf8').replaceAll('GITOPS_URL', gitopsUrl);
    }
  };
  walk(FIXTURE);
  return files;
}

/** A Helm chart repository on loopback (index.yaml and the packaged podinfo chart, made by helm itself). */
async function startChartRepository(): Promise<string> {
  chartsDir = tempDir('argots-charts-');
  charts = createServer((req, res) => {
    const name = (req.url ?? '/').replace(/^\/+/, '');
    if (!/^[\w.-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    try {
      res.writeHead(200).end(readFileSync(join(chartsDir, name)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => charts.listen(0, '127.0.0.1', resolve));
  const chartsUrl = `http://127.0.0.1:${(charts.address() as { port: number }).port}`;
  await exec('helm', ['package', join(FIXTURE, 'charts/podinfo'), '--destination', chartsDir]);
  await exec('helm', ['repo', 'index', chartsDir, '--url', chartsUrl]);
  return chartsUrl;
}

test.before(async () => {
  server = await startGitHttpServer({ authorize: (c) => c?.username === 'x-access-token' && c.password === TOKEN });
  url = server.createRepo('acme/gitops.git');
  bare = server.repoPath('acme/gitops.git');
  const chartsUrl = await startChartRepository();
  const files = fixtureFiles(url);
  files['argots.yaml'] += '  remote:         # podinfo from a chart repository, values in the Application\n    environments:\n      dev: argocd/remote-dev.yaml\n';
  files['argocd/remote-dev.yaml'] = (files['argocd/worker-dev.yaml'] ?? '').replace('worker-dev', 'remote-dev').replace('http://127.0.0.1:9/charts', chartsUrl).replace('chart: worker', 'chart: podinfo').replace('1.0.0', '6.7.1').replace('shop/worker', 'shop/remote');
  await seedBare(bare, files);
  work = tempDir();
});
test.after(async () => {
  remove(work);
  remove(chartsDir);
  await server.close();
  await new Promise((resolve) => charts.close(resolve));
});

const head = async (): Promise<string> => (await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim();
const remoteFile = (path: string): Promise<string> => git(work, '--git-dir', bare, 'show', `main:${path}`);

/** The images of the workload containers `helm template` renders from the pushed repository's chart, with `args`. */
async function helmImages(chart: string, args: readonly string[] = []): Promise<string[]> {
  const dir = tempDir('argots-render-view-');
  try {
    await git(dir, 'clone', '--quiet', bare, 'r');
    const root = join(dir, 'r');
    const out = (await exec('helm', ['template', 'x', join(root, chart), ...args.map((a) => a.replace('@ROOT', root))])).stdout;
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

const update = (service: string, image: string, env = 'dev'): ReturnType<typeof updateManifests> =>
  updateManifests({ gitopsUrl: url, auth, updates: [{ service, env, image }], sourceCommit: 'c0ffee0000000000000000000000000000000001' });

test('the chart of `helm create` renders repository:tag only: the tag is written as tag@digest (no unread digest value), proven by helm template', async () => {
  const image = `${REG}/shop/web:1.5.0@${DIGEST}`;
  const r = await update('web', image);
  assert.equal(r.files, ['charts/web/values-dev.yaml']);
  assert.is(await remoteFile('charts/web/values-dev.yaml'), `# web in dev\nimage:\n  repository: registry.dev.acme.io/shop/web\n  tag: 1.5.0@${DIGEST}\n`);
  assert.equal(await helmImages('charts/web', ['-f', '@ROOT/charts/web/values-dev.yaml']), [image]);
});

test('an Application with only an image.tag parameter on helm-guestbook: the repository is set too (the chart\'s is another image), proven by rendering', async () => {
  const image = `${REG}/shop/guestbook:2.0@${DIGEST}`;
  const r = await update('guestbook', image);
  assert.equal(r.files, ['argocd/guestbook-dev.yaml']);
  const app = await remoteFile('argocd/guestbook-dev.yaml');
  assert.match(app, `        - name: image.tag\n          value: "2.0@${DIGEST}"\n        - name: image.repository\n          value: "${REG}/shop/guestbook"\n`);
  assert.not.match(app, 'image.digest', 'no parameter the chart does not read');
  assert.equal(await helmImages('charts/helm-guestbook', ['--set', `image.tag=2.0@${DIGEST}`, '--set', `image.repository=${REG}/shop/guestbook`]), [image]);
});

test('an image.tag parameter on a chart whose image is someone else\'s (no layout name claims it): refused, nothing pushed', async () => {
  const before = await head();
  const e = await rejection(update('guestbook-tag-only', `${REG}/shop/guestbook:2.0@${DIGEST}`));
  assert.is(e.code, 'RUN773');
  assert.match(e.message, /no workload that renders runs the new image "registry.dev.acme.io\/shop\/guestbook:2.0@sha256:c+": its workloads run "gcr.io\/heptio-images\/ks-guestbook-demo:2.0"; nothing was written/);
  assert.match(e.hint, /services.guestbook-tag-only.images/);
  assert.is(await head(), before);
});

test('podinfo through an Application with a $values file: the tag in the values file becomes tag@digest, proven by rendering the chart with it', async () => {
  const image = `${REG}/shop/podinfo:6.7.2@${DIGEST}`;
  const r = await update('podinfo', image);
  assert.equal(r.files, ['values/podinfo/dev.yaml']);
  assert.is(await remoteFile('values/podinfo/dev.yaml'), `image:\n  repository: registry.dev.acme.io/shop/podinfo\n  tag: 6.7.2@${DIGEST}\n`);
  assert.equal(await helmImages('charts/podinfo', ['-f', '@ROOT/values/podinfo/dev.yaml']), [image]);
});

test('an umbrella chart: the values under wordpress.image that render the image are found by a probe render and written, not a new top-level image map', async () => {
  const image = `${REG}/blog/wordpress:6.8.0@${DIGEST}`;
  const r = await update('blog', image);
  assert.equal(r.files, ['charts/blog/values.yaml']);
  const values = await remoteFile('charts/blog/values.yaml');
  assert.is(values, `# The blog: WordPress from its chart, configured under its name.\nwordpress:\n  replicaCount: 1\n  wordpressBlogName: Acme blog\n  image:\n    registry: registry.dev.acme.io\n    repository: blog/wordpress\n    tag: 6.8.0\n    digest: ${DIGEST}\n`);
  // The chart shows `registry/repository@digest` (no tag) for both containers: the new repository and digest.
  assert.equal(await helmImages('charts/blog'), [`${REG}/blog/wordpress@${DIGEST}`, `${REG}/blog/wordpress@${DIGEST}`]);
});

test('a chart reading images.repository / images.tag: images.tag gets tag@digest, proven by rendering', async () => {
  const image = `${REG}/shop/catalog:2.2@${DIGEST}`;
  const r = await update('catalog', image);
  assert.equal(r.files, ['charts/catalog/values.yaml']);
  assert.match(await remoteFile('charts/catalog/values.yaml'), `images:\n  repository: registry.dev.acme.io/shop/catalog\n  tag: "2.2@${DIGEST}"\nreplicas: 2\n`);
  assert.equal(await helmImages('charts/catalog'), [image]);
});

test('an app of apps renders Applications, not the workload: refused naming the child Application, nothing pushed', async () => {
  const before = await head();
  const e = await rejection(update('storefront', `${REG}/shop/storefront:1@${DIGEST}`));
  assert.is(e.code, 'RUN773');
  assert.match(e.message, /it renders the Argo CD Applications "storefront" \(an app of apps\)/);
  assert.match(e.hint, /Application or values file of the child application/);
  assert.is(await head(), before);
});

test('a patch in a Kustomize overlay that overrides the edited image: refused naming the file and line that set it; another overlay goes through', async () => {
  const before = await head();
  const image = `${REG}/shop/shop-api:1.1.0@${DIGEST}`;
  const e = await rejection(update('shop-api', image));
  assert.is(e.code, 'RUN772');
  assert.match(e.message, /Deployment\/shop-api container "api" renders "registry.dev.acme.io\/shop\/shop-api:pinned", not "registry.dev.acme.io\/shop\/shop-api:1.1.0@sha256:c+": "registry.dev.acme.io\/shop\/shop-api:pinned" is set in kustomize\/overlays\/dev\/pin-image.yaml:11/);
  assert.match(e.hint, /pin-image.yaml:11/);
  assert.is(await head(), before, 'nothing pushed');
  const r = await update('shop-api', image, 'staging');
  assert.equal(r.files, ['kustomize/overlays/staging/kustomization.yaml']);
});

test('a chart from a chart repository that cannot be reached is refused (RUN774); render: false in the layout writes without the proof', async () => {
  const before = await head();
  const image = `${REG}/shop/worker:1.1@${DIGEST}`;
  const e = await rejection(update('worker', image));
  assert.is(e.code, 'RUN774');
  assert.match(e.message, /cannot render what argocd\/worker-dev.yaml deploys: the chart "worker" could not be fetched from http:\/\/127.0.0.1:9\/charts/);
  assert.match(e.hint, /render: false/);
  assert.is(await head(), before);
  const r = await update('worker', image, 'staging');
  assert.equal(r.files, ['argocd/worker-staging.yaml']);
});

test('a chart pulled from a chart repository, with the Application\'s valuesObject: the tag there becomes tag@digest, proven by rendering', async () => {
  const image = `${REG}/shop/remote:1.1@${DIGEST}`;
  const r = await update('remote', image);
  assert.equal(r.files, ['argocd/remote-dev.yaml']);
  assert.match(await remoteFile('argocd/remote-dev.yaml'), `      valuesObject:\n        image:\n          repository: registry.dev.acme.io/shop/remote\n          tag: "1.1@${DIGEST}"\n`);
  assert.equal(await helmImages('charts/podinfo', ['--set', `image.repository=${REG}/shop/remote`, '--set', `image.tag=1.1@${DIGEST}`]), [image]);
});

test('without helm on PATH the library refuses with RUN770 and puts every file back as it was', async () => {
  const dir = tempDir('argots-render-lib-');
  const path = process.env['PATH'];
  try {
    writeFiles(dir, fixtureFiles(url));
    const before = readFileSync(join(dir, 'charts/catalog/values.yaml'), 'utf8');
    process.env['PATH'] = join(dir, 'no-tools');
    const e = await rejection(setImagesVerified(dir, loadLayout(dir), [{ service: 'catalog', env: 'dev', image: `${REG}/shop/catalog:2.2@${DIGEST}` }]));
    process.env['PATH'] = path;
    assert.is(e.code, 'RUN770');
    assert.match(e.message, /"helm" was not found on PATH \(needed to render chart "charts\/catalog" with "charts\/catalog\/values.yaml" \(service "catalog" in "dev"\)\)/);
    assert.match(e.hint, /scripts\/setup.sh/);
    assert.is(readFileSync(join(dir, 'charts/catalog/values.yaml'), 'utf8'), before, 'the edit was undone');
  } finally {
    process.env['PATH'] = path;
    remove(dir);
  }
});

test('Application sources are this repository when their repoURL names it, whatever the form', () => {
  assert.is(repoIdentity('https://x-access-token@github.com/Acme/GitOps.git/'), 'github.com/acme/gitops');
  assert.is(repoIdentity('git@github.com:acme/gitops.git'), 'github.com/acme/gitops');
  assert.is(repoIdentity('ssh://git@github.com/acme/gitops'), 'github.com/acme/gitops');
  assert.is.not(repoIdentity('https://github.com/acme/gitops-other.git'), 'github.com/acme/gitops');
});

test.run();
