// The organisation's dev-build, compiled (manifests/), run end to end with `argots run` from a push delivery
// through its Sensor, in the bubblewrap sandbox on the real runtime image, against real git over smart HTTP,
// the GitHub API test server, docker-registry instances and the Argo CD API test server (see
// test/support/org-run.ts). This file: a feature/* merged into dev changing the code of one service.
// org-run-dev-two-services.test.ts: the code of two services (fan-out); org-run-dev-config.test.ts:
// config-only and mixed pushes; org-run-dev-bake.test.ts: a bake file with two targets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startOrgRun, type OrgRun } from '../support/org-run.js';

let org: OrgRun;

test.before(async () => {
  org = await startOrgRun();
});
test.after(async () => {
  await org?.close();
});

const overlayImage = (service: string, env: string) => org.overlayImage(service, env);

test('feature → dev, code of one service: only shop-api is built (once, tagged with the commit), pushed to dev, set in the dev overlay by digest, and Argo CD is waited for; nothing else moves', async () => {
  const before = (await org.log('acme/shop', 'dev'))[0]?.sha ?? '';
  const after = await org.world.commit('acme/shop', 'dev', { 'services/shop-api/main.go': 'package main // v2\n' }, 'Merge feature/greeting into dev');
  const gitopsBefore = await org.log('acme/gitops', 'main');
  const webBefore = await overlayImage('shop-web', 'dev');

  const run = await org.run({ type: 'push', body: org.pushDelivery('dev', before, after), pipeline: 'dev-build' });
  assert.is(run.code, 0, run.log);
  assert.is(run.phase, 'Succeeded', run.log);
  assert.equal(run.workflows.length, 1, 'exactly one Sensor trigger fires: dev-build');
  assert.match(run.workflows[0] ?? '', /^dev-build-/);

  // Registries: one image in dev, tagged with the commit, nothing in staging or prod.
  assert.equal(await org.tags('dev', 'shop/shop-api'), [after]);
  assert.equal(await org.tags('dev', 'shop/shop-web'), [], 'the unchanged service is not built');
  assert.equal(await org.tags('staging', 'shop/shop-api'), []);
  const digest = await org.digestOf('dev', 'shop/shop-api', after);
  assert.ok(digest);

  // GitOps: one new commit, on top of the previous head (nothing rewritten), setting dev's shop-api by digest.
  const gitopsAfter = await org.log('acme/gitops', 'main');
  assert.is(gitopsAfter.length, gitopsBefore.length + 1, gitopsAfter.map((c) => c.subject).join('\n'));
  assert.equal(gitopsAfter.slice(1), gitopsBefore, 'the previous history is kept as it was');
  const api = await overlayImage('shop-api', 'dev');
  assert.is(api.newName, `${org.registries.dev.host}/shop/shop-api`);
  assert.is(api.digest, digest);
  assert.equal(await overlayImage('shop-web', 'dev'), webBefore, 'shop-web in dev is left alone');
  assert.equal(await overlayImage('shop-api', 'staging'), { newTag: 'old' }, 'staging does not move');

  // Argo CD was asked about the pushed commit, and the run waited for it.
  const verify = run.node('verify-deploy');
  assert.is(verify.length, 1, [...run.nodes.keys()].join('\n'));
  assert.is(verify[0]?.phase, 'Succeeded');
  assert.ok((org.argocd.reported.get('shop-api-dev') ?? []).includes(gitopsAfter[0]?.sha ?? ''));
  // No config changed: copy-config's loop is empty (Skipped), nothing was copied.
  await org.assertArgoCdNeverWentBack();
  assert.ok(run.node('copy-config').every((n) => n.phase === 'Skipped' || n.phase === 'Omitted'), JSON.stringify(run.node('copy-config')));
});

test.run();
