// The newer-image guard (RUN744) as the org pipelines run it: every compiled GitOps image write passes the
// application checkout (`appRepo: /workspace/src`), and a run that checked out an older commit but pushes
// after a newer run is refused — even though its checkout, cloned before the newer commit existed, lacks
// that commit: the step fetches it with a second installation token, read-only on the application repository
// (the GitOps write token cannot read it). Compiled templates, real runtime, real git over smart HTTP that
// takes only installation tokens covering the repository, the GitHub API test server enforcing narrowed tokens.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../../packages/runtime/test/github/world.js';
import { runTemplate, templateOf, type StepWorld } from '../support/run-template.js';
import { orgManifest as manifest, startOrgWorld, type OrgWorld } from '../support/org-world.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- YAML documents
let o: OrgWorld;
let other: string;
test.before(async () => {
  o = await startOrgWorld();
  other = await mkdtemp(join(tmpdir(), 'argots-newer-run-'));
});
test.after(async () => {
  await o?.close();
  await rm(other, { recursive: true, force: true });
});

/** Every DAG task of a compiled WorkflowTemplate that calls `template`, with its arguments. */
function callsOf(wf: Obj, template: string): Record<string, string>[] {
  return (wf['spec']['templates'] as Obj[]).flatMap((t) => (t['dag']?.['tasks'] ?? []) as Obj[])
    .filter((task) => task['template'] === template)
    .map((task) => Object.fromEntries(((task['arguments']?.['parameters'] ?? []) as Obj[]).map((p) => [p['name'], String(p['value'])])));
}

test('every compiled image write of the org pipelines passes the checkout as appRepo, after the checkout', async () => {
  const writes: Record<string, string[]> = {
    'dev-build.yaml': ['update-dev-manifests'],
    'staging-promotion.yaml': ['update-staging-manifests'],
    'production-promotion.yaml': ['update-prod-manifests'],
    'staging-bugfix.yaml': ['update-staging-manifests'],
    'hotfix.yaml': ['update-staging-manifests'],
  };
  for (const [file, templates] of Object.entries(writes)) {
    const wf = await manifest(file);
    for (const name of templates) {
      const calls = callsOf(wf, name);
      assert.ok(calls.length > 0, `${file}: ${name} is called`);
      for (const args of calls) assert.is(args['appRepo'], '/workspace/src', `${file}: ${name} gets appRepo`);
    }
  }
  // production-promotion checks the merge commit out before anything of the services' loop (and prod's write) runs.
  const prod = (await manifest('production-promotion.yaml')) as Obj;
  const tasks = (prod['spec']['templates'] as Obj[]).flatMap((t) => (t['dag']?.['tasks'] ?? []) as Obj[]);
  assert.match(String(tasks.find((t) => t['name'] === 'list-services')?.['depends']), /checkout/);
  assert.match(String(tasks.find((t) => t['name'] === 'promote-service')?.['depends']), /list-services/);
});

test('RUN744: a run whose checkout predates a newer deployment is refused; the newer commit is fetched with a read-only token for acme/shop', async () => {
  const { world, base } = o;
  const wf = await manifest('dev-build.yaml');
  const appUrl = o.local('https://github.com/acme/shop.git');
  const gitopsUrl = o.local('https://github.com/acme/gitops.git');
  const gitopsBare = world.gitServer.repoPath('acme/gitops.git');
  const devOverlay = () => git(o.scratch, '--git-dir', gitopsBare, 'show', 'main:apps/shop-api/overlays/dev/kustomization.yaml');
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const image = (tag: string, d: string) => `${o.registries.dev.host}/shop/shop-api:${tag}@${d}`;

  // Run A: a push to dev; its checkout is made now.
  const older = await world.commit('acme/shop', 'dev', { 'services/shop-api/src/main.ts': 'v1\n' }, 'feature one');
  const a = await runTemplate(templateOf(wf, 'checkout'), { url: appUrl, revision: older, dir: '/workspace/src' }, base);
  assert.is(a.code, 0, a.stderr);

  // Run B: a later push, built and deployed first (its own pod, its own workspace).
  const newer = await world.commit('acme/shop', 'dev', { 'services/shop-api/src/main.ts': 'v2\n' }, 'feature two');
  const runB: StepWorld = { ...base, mounts: { ...base.mounts, '/workspace': other } };
  assert.is((await runTemplate(templateOf(wf, 'checkout'), { url: appUrl, revision: newer, dir: '/workspace/src' }, runB)).code, 0);
  const b = await runTemplate(templateOf(wf, 'update-dev-manifests'), {
    gitopsUrl, service: 'shop-api', env: 'dev', image: image(newer.slice(0, 12), digest('b')), sourceCommit: newer, appRepo: '/workspace/src',
  }, runB);
  assert.is(b.code, 0, b.stderr);
  const head = (await git(o.scratch, '--git-dir', gitopsBare, 'rev-parse', 'main')).trim();

  // Run A's checkout does not have `newer` …
  assert.is((await git(join(o.scratch, 'workspace/src'), 'cat-file', '-t', newer).catch(() => 'missing')).trim(), 'missing');
  // … and A now pushes its older image: refused, dev keeps B's image, nothing pushed.
  const grants = world.api.grants.length;
  const late = await runTemplate(templateOf(wf, 'update-dev-manifests'), {
    gitopsUrl, service: 'shop-api', env: 'dev', image: image(older.slice(0, 12), digest('a')), sourceCommit: older, appRepo: '/workspace/src',
  }, base);
  assert.is.not(late.code, 0, 'the older run must not set dev back');
  assert.match(late.stderr + late.stdout, /RUN744/);
  assert.match(late.stderr + late.stdout, new RegExp(`built from ${newer.slice(0, 12)}, which is newer than ${older.slice(0, 12)}`));
  assert.is((await git(o.scratch, '--git-dir', gitopsBare, 'rev-parse', 'main')).trim(), head);
  assert.match(await devOverlay(), digest('b'));
  // Two tokens, each narrowed: write on the GitOps repository, read on the application repository.
  const minted = world.api.grants.slice(grants);
  assert.ok(minted.some((g) => JSON.stringify(g) === JSON.stringify({ repositories: ['shop'], permissions: { contents: 'read' } })), JSON.stringify(minted));
  assert.ok(minted.some((g) => JSON.stringify(g) === JSON.stringify({ repositories: ['gitops'], permissions: { contents: 'write' } })), JSON.stringify(minted));
  assert.not.ok(minted.some((g) => g.repositories?.includes('shop') && g.permissions?.['contents'] === 'write'), 'no write on the application repository');
  assert.not.match(late.stdout + late.stderr, /ghs_|PRIVATE KEY/);

  // A still newer push goes through (a descendant of what runs).
  const newest = await world.commit('acme/shop', 'dev', { 'services/shop-api/src/main.ts': 'v3\n' }, 'feature three');
  await rm(join(o.scratch, 'workspace/src'), { recursive: true, force: true });
  assert.is((await runTemplate(templateOf(wf, 'checkout'), { url: appUrl, revision: newest, dir: '/workspace/src' }, base)).code, 0);
  const c = await runTemplate(templateOf(wf, 'update-dev-manifests'), {
    gitopsUrl, service: 'shop-api', env: 'dev', image: image(newest.slice(0, 12), digest('c')), sourceCommit: newest, appRepo: '/workspace/src',
  }, base);
  assert.is(c.code, 0, c.stderr);
  assert.match(await devOverlay(), digest('c'));
});

test.run();
