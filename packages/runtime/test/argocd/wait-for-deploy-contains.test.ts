// wait-for-deploy when Argo CD reports a revision other than the pushed one: the real CLI in its own process,
// the Argo CD API test server, and the GitOps repository over smart HTTP that accepts only installation tokens
// (minted by the GitHub API test server, which records how each was narrowed). A later commit of the branch
// (another service's push of the same fan-out) contains ours and counts; an older revision (a revert) or a
// commit of another branch never does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toArgv, waitForDeploy } from '@argots/contract';
import { startArgoCdServer, type ArgoCdServer } from '../../../../test/support/argocd-api-server.js';
import { appEnvironment, createWorld, type World } from '../github/world.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages/runtime/src/bin.ts');
const TOKEN = 'argocd-test-token';

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }

function runtime(argv: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...argv], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let world: World;
let argocd: ArgoCdServer;
let out: string;
let url: string;
/** base ← ours ← later on main; other on branch `other`, from base. */
const c = { base: '', ours: '', later: '', other: '' };

test.before(async () => {
  world = await createWorld();
  argocd = await startArgoCdServer({ token: TOKEN });
  out = await mkdtemp(join(tmpdir(), 'argots-wait-out-'));
  ({ url } = await world.createRepo('acme/gitops', 'main'));
  c.base = await world.commit('acme/gitops', 'main', { 'apps/shop-api/overlays/dev/kustomization.yaml': 'images: []\n' }, 'seed');
  c.ours = await world.commit('acme/gitops', 'main', { 'apps/shop-api/overlays/dev/kustomization.yaml': 'images: [shop-api]\n' }, 'shop-api: dev');
  c.later = await world.commit('acme/gitops', 'main', { 'apps/shop-web/overlays/dev/kustomization.yaml': 'images: [shop-web]\n' }, 'shop-web: dev');
  await world.branch('acme/gitops', 'other', c.base);
  c.other = await world.commit('acme/gitops', 'other', { 'x.yaml': 'x\n' }, 'elsewhere');
});
test.after(async () => {
  await argocd?.close();
  await world?.close();
  await rm(out, { recursive: true, force: true });
});

const wait = (revision: string, extra: { gitopsUrl?: string; timeoutSeconds?: number } = {}): Promise<Run> =>
  runtime([...toArgv(waitForDeploy, { server: argocd.url, application: 'shop-api-dev', revision, ...(extra.gitopsUrl === undefined ? { gitopsUrl: url } : extra.gitopsUrl === '' ? {} : { gitopsUrl: extra.gitopsUrl }), timeoutSeconds: String(extra.timeoutSeconds ?? 20), intervalSeconds: '1' }), '--output-dir', out], { ...appEnvironment(world), ARGOTS_ARGOCD_TOKEN: TOKEN });

test('given Argo CD synced a later commit of the branch, then the deployment of ours counts (checked with a read-only token narrowed to the GitOps repository)', async () => {
  argocd.setApplication('shop-api-dev', url, [
    { revision: c.base, sync: 'OutOfSync', health: 'Healthy' },
    { revision: c.later, sync: 'Synced', health: 'Healthy' },
  ]);
  const grantsBefore = world.api.grants.length;
  const r = await wait(c.ours);
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { outputs: Record<string, string> };
  assert.is(result.outputs['revision'], c.later, 'the output names the revision Argo CD runs');
  assert.is(result.outputs['health'], 'Healthy');
  assert.match(r.stderr, `which contains ${c.ours.slice(0, 12)}`);
  const grants = world.api.grants.slice(grantsBefore);
  assert.ok(grants.length >= 1, 'a token was minted to read the GitOps repository');
  for (const g of grants) assert.equal(g, { repositories: ['gitops'], permissions: { contents: 'read' } });
  assert.not.match(r.stderr + r.stdout, /ghs_|PRIVATE KEY/, 'no credentials in the output');
});

test('given Argo CD synced exactly ours, then no token is minted at all', async () => {
  argocd.setApplication('shop-api-dev', url, [{ revision: c.ours, sync: 'Synced', health: 'Healthy' }]);
  const grantsBefore = world.api.grants.length;
  const r = await wait(c.ours);
  assert.is(r.code, 0, r.stderr);
  assert.is(world.api.grants.length, grantsBefore);
});

test('given Argo CD reports an OLDER revision (a revert), then it never counts: RUN901 at the deadline', async () => {
  argocd.setApplication('shop-api-dev', url, [{ revision: c.base, sync: 'Synced', health: 'Healthy' }]);
  const r = await wait(c.ours, { timeoutSeconds: 3 });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'RUN901');
  assert.match(r.stderr, `${c.base.slice(0, 12)} does not contain our commit`);
});

test('given Argo CD reports a commit of ANOTHER branch, then it never counts', async () => {
  argocd.setApplication('shop-api-dev', url, [{ revision: c.other, sync: 'Synced', health: 'Healthy' }]);
  const r = await wait(c.ours, { timeoutSeconds: 3 });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'RUN901');
});

test('given Argo CD reports a revision the GitOps repository does not have, then it never counts', async () => {
  argocd.setApplication('shop-api-dev', url, [{ revision: 'e'.repeat(40), sync: 'Synced', health: 'Healthy' }]);
  const r = await wait(c.ours, { timeoutSeconds: 3 });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'RUN901');
  assert.match(r.stderr, 'has no commit eeeeeeeeeeee');
});

test('given a later revision that contains ours is Degraded, then the step fails (RUN907) instead of waiting out its deadline', async () => {
  argocd.setApplication('shop-api-dev', url, [{ revision: c.later, sync: 'Synced', health: 'Degraded', rollouts: [{ name: 'shop-api', health: 'Degraded', message: 'RolloutAborted' }] }]);
  const r = await wait(c.ours, { timeoutSeconds: 20 });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'RUN907');
  assert.match(r.stderr, `which contains ${c.ours.slice(0, 12)}`);
});

test('given no GitOps repository to ask, then only the exact revision counts', async () => {
  argocd.setApplication('shop-api-dev', url, [{ revision: c.later, sync: 'Synced', health: 'Healthy' }]);
  const r = await wait(c.ours, { gitopsUrl: '', timeoutSeconds: 3 });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'RUN901');
});

test.run();
