/**
 * Argo CD ApplicationSets with a list generator: the Application generated for the service's environment is
 * found (its element), the files it deploys from are edited (never the shared template) and it is rendered as
 * an Application is — `kubectl kustomize` for an overlay path, `helm template` with the generated value files —
 * over smart HTTP, with the real tools; what is pushed is rendered again here. Other generators are refused
 * (RUN774) naming what is unsupported.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { startGitHttpServer, type GitHttpServer } from '../../../test/support/git-http-server.js';
import { updateManifests } from '../src/manifests/update-manifests.js';
import { readImage } from '../src/manifests/read-image.js';
import { loadLayout, resolveTarget } from '../src/manifests/layout.js';
import { git, remove, seedBare, tempDir } from './git-fixtures.js';
import { rejection } from './rejection.js';

const exec = promisify(execFile);
const WEB = fileURLToPath(new URL('./fixtures/gitops-render/charts/web/', import.meta.url));
const DIGEST = `sha256:${'e'.repeat(64)}`;
const REG = 'registry.dev.acme.io';

let server: GitHttpServer;
let url: string;
let bare: string;
let work: string;

function chartFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name !== 'values-dev.yaml') files[`charts/web/${relative(WEB, full)}`] = readFileSync(full, 'utf8');
    }
  };
  walk(WEB);
  return files;
}

const overlay = (env: string): string =>
  `resources:\n  - ../../base\nnamespace: ${env}\nimages:\n  - name: shop/shop\n    newName: ${REG}/shop/shop\n    newTag: "0.9.0"\n`;

function appSet(name: string, generators: string, template: string, goTemplate = false): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: ${name}\nspec:\n${goTemplate ? '  goTemplate: true\n' : ''}  generators:\n${generators}  template:\n${template}`;
}

test.before(async () => {
  server = await startGitHttpServer();
  url = server.createRepo('acme/gitops.git');
  bare = server.repoPath('acme/gitops.git');
  work = tempDir('argots-appset-');
  await seedBare(bare, {
    'argots.yaml': 'services:\n  shop:\n    environments:\n      dev: argocd/shop.yaml\n      staging: argocd/shop.yaml\n  web:\n    environments:\n      dev: argocd/web.yaml\n  dirs:\n    environments:\n      dev: argocd/dirs.yaml\n  nobody:\n    environments:\n      prod: argocd/shop.yaml\n',
    'apps/shop/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'apps/shop/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  selector:\n    matchLabels: {app: shop}\n  template:\n    metadata:\n      labels: {app: shop}\n    spec:\n      containers:\n        - name: shop\n          image: shop/shop:latest\n',
    'apps/shop/overlays/dev/kustomization.yaml': overlay('dev'),
    'apps/shop/overlays/staging/kustomization.yaml': overlay('staging'),
    // fasttemplate parameters, the environment in `env`, a nested field in the name.
    'argocd/shop.yaml': appSet('shop',
      '    - list:\n        elements:\n          - env: dev\n            cluster: {name: in-cluster}\n          - env: staging\n            cluster: {name: in-cluster}\n',
      `    metadata:\n      name: 'shop-{{env}}'\n    spec:\n      project: default\n      source:\n        repoURL: ${url}\n        targetRevision: main\n        path: 'apps/shop/overlays/{{env}}'\n      destination:\n        name: '{{cluster.name}}'\n        namespace: '{{env}}'\n`),
    ...chartFiles(),
    'charts/web/values-dev.yaml': `# web in dev\nimage:\n  repository: ${REG}/shop/web\n  tag: "1.0.0"\n`,
    'charts/web/values-staging.yaml': `# web in staging\nimage:\n  repository: ${REG}/shop/web\n  tag: "0.9.0"\n`,
    // goTemplate parameters, the environment in `environment`.
    'argocd/web.yaml': appSet('web',
      '    - list:\n        elements:\n          - environment: dev\n          - environment: staging\n',
      `    metadata:\n      name: 'web-{{.environment}}'\n    spec:\n      project: default\n      source:\n        repoURL: ${url}\n        targetRevision: main\n        path: charts/web\n        helm:\n          releaseName: web\n          valueFiles:\n            - 'values-{{.environment}}.yaml'\n      destination:\n        server: https://kubernetes.default.svc\n        namespace: '{{.environment}}'\n`, true),
    'argocd/dirs.yaml': appSet('dirs',
      `    - git:\n        repoURL: ${url}\n        revision: main\n        directories:\n          - path: apps/*\n`,
      `    metadata:\n      name: '{{path.basename}}'\n    spec:\n      project: default\n      source:\n        repoURL: ${url}\n        path: '{{path}}'\n      destination:\n        server: https://kubernetes.default.svc\n`),
  });
});
test.after(async () => {
  remove(work);
  await server.close();
});

const head = async (): Promise<string> => (await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim();
const show = (path: string): Promise<string> => git(work, '--git-dir', bare, 'show', `main:${path}`);

/** Deployment images rendered from the pushed repository by `tool` (kubectl kustomize / helm template). */
async function renderedImages(args: (root: string) => string[], tool: 'kubectl' | 'helm'): Promise<string[]> {
  const dir = tempDir('argots-appset-view-');
  try {
    await git(dir, 'clone', '--quiet', bare, 'r');
    const out = (await exec(tool, args(join(dir, 'r')))).stdout;
    return parseAllDocuments(out).flatMap((d) => {
      const o = d.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: { image: string }[] } } } } | null;
      return o?.kind === 'Deployment' ? (o.spec?.template?.spec?.containers ?? []).map((c) => c.image) : [];
    });
  } finally {
    remove(dir);
  }
}

test('a list-generated Application over a Kustomize overlay: the environment\'s overlay is edited (not the template, not another environment), proven by kubectl kustomize', async () => {
  const appSetBefore = await show('argocd/shop.yaml');
  const image = `${REG}/shop/shop:1.2.0@${DIGEST}`;
  const r = await updateManifests({ gitopsUrl: url, updates: [{ service: 'shop', env: 'dev', image }] });
  assert.equal(r.files, ['apps/shop/overlays/dev/kustomization.yaml']);
  assert.is(await show('argocd/shop.yaml'), appSetBefore, 'the shared template is left alone');
  assert.is(await show('apps/shop/overlays/staging/kustomization.yaml'), overlay('staging'));
  assert.equal(await renderedImages((root) => ['kustomize', join(root, 'apps/shop/overlays/dev')], 'kubectl'), [image]);
  // current-image reads it back through the ApplicationSet (as staging promotion reads what dev runs).
  const view = tempDir('argots-appset-read-');
  try {
    await git(view, 'clone', '--quiet', bare, 'r');
    const root = join(view, 'r');
    assert.is(readImage(root, resolveTarget(loadLayout(root), 'shop', 'dev')), image);
  } finally {
    remove(view);
  }
});

test('a goTemplate list-generated Application over a Helm chart: the generated value file gets tag@digest (the chart renders repository:tag), proven by helm template', async () => {
  const image = `${REG}/shop/web:1.1.0@${DIGEST}`;
  const r = await updateManifests({ gitopsUrl: url, updates: [{ service: 'web', env: 'dev', image }] });
  assert.equal(r.files, ['charts/web/values-dev.yaml']);
  assert.is(await show('charts/web/values-dev.yaml'), `# web in dev\nimage:\n  repository: ${REG}/shop/web\n  tag: "1.1.0@${DIGEST}"\n`);
  assert.match(await show('charts/web/values-staging.yaml'), 'tag: "0.9.0"');
  assert.equal(await renderedImages((root) => ['template', 'web', join(root, 'charts/web'), '-f', join(root, 'charts/web/values-dev.yaml')], 'helm'), [image]);
});

test('a git generator, or no element for the environment: refused (RUN774) naming what is unsupported, nothing pushed', async () => {
  const before = await head();
  const git = await rejection(updateManifests({ gitopsUrl: url, updates: [{ service: 'dirs', env: 'dev', image: `${REG}/shop/dirs:1@${DIGEST}` }] }));
  assert.is(git.code, 'RUN774');
  assert.match(git.message, 'the ApplicationSet in "argocd/dirs.yaml" cannot be rendered here: a "git" generator');
  assert.match(git.message, 'supported: list generators');
  assert.match(git.hint, 'render: false');
  const none = await rejection(updateManifests({ gitopsUrl: url, updates: [{ service: 'nobody', env: 'prod', image: `${REG}/shop/shop:1@${DIGEST}` }] }));
  assert.is(none.code, 'RUN774');
  assert.match(none.message, 'no element of its list generators has a field equal to the environment "prod"');
  assert.is(await head(), before);
});

test.run();
