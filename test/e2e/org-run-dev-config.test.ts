// dev-build, compiled, run end to end with `argots run` from a push delivery (see test/support/org-run.ts and
// org-run-dev-code.test.ts): a config-only push (nothing built, the configuration copied into the dev
// overlay and Argo CD waited for) and a mixed push (the changed service built AND every changed
// configuration copied — defect 6 of issue 12).
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

const head = async (branch: string): Promise<string> => (await org.log('acme/shop', branch))[0]?.sha ?? '';

test('feature → dev, config only: nothing is built, the changed file is copied to the dev overlay of its service in one GitOps commit, and Argo CD is waited for', async () => {
  const before = await head('dev');
  const after = await org.world.commit('acme/shop', 'dev', { 'services/shop-web/config/app.yaml': 'title: shop (config only)\n' }, 'Merge feature/title into dev');
  const gitopsBefore = await org.log('acme/gitops', 'main');
  const imagesBefore = await org.overlayImage('shop-web', 'dev');

  const run = await org.run({ type: 'push', body: org.pushDelivery('dev', before, after), pipeline: 'dev-build' });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.is(run.output('detect-changes', 'kind'), 'config');
  assert.equal(await org.tags('dev', 'shop/shop-web'), [], 'no build for a config-only push');
  assert.equal(await org.tags('dev', 'shop/shop-api'), []);
  assert.ok(run.node('build-and-deploy').every((n) => n.phase !== 'Succeeded' || n.nodeType !== 'DAG'), 'no build-and-deploy ran');

  assert.is(await org.gitopsFile('apps/shop-web/overlays/dev/config/app.yaml'), 'title: shop (config only)\n');
  assert.is(await org.gitopsFile('apps/shop-web/overlays/staging/config/app.yaml'), undefined, 'staging does not get dev\'s configuration');
  assert.equal(await org.overlayImage('shop-web', 'dev'), imagesBefore, 'the image is left alone');
  const gitopsAfter = await org.log('acme/gitops', 'main');
  assert.is(gitopsAfter.length, gitopsBefore.length + 1);
  assert.equal(gitopsAfter.slice(1), gitopsBefore);
  assert.ok((org.argocd.reported.get('shop-web-dev') ?? []).includes(gitopsAfter[0]?.sha ?? ''), 'verify-deploy waited for the config commit');
  await org.assertArgoCdNeverWentBack();
});

test('feature → dev, code and config mixed: the service whose code changed is built and deployed, and the configuration of each service whose config changed is copied', async () => {
  const before = await head('dev');
  const after = await org.world.commit('acme/shop', 'dev', {
    'services/shop-api/main.go': 'package main // mixed\n',
    'services/shop-api/config/app.yaml': 'greeting: mixed\n',
    'services/shop-web/config/app.yaml': 'title: shop (mixed)\n',
  }, 'Merge feature/mixed into dev');
  const gitopsBefore = await org.log('acme/gitops', 'main');

  const run = await org.run({ type: 'push', body: org.pushDelivery('dev', before, after), pipeline: 'dev-build' });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.is(run.output('detect-changes', 'kind'), 'code');
  assert.equal(JSON.parse(run.output('detect-changes', 'codeServices') ?? ''), ['shop-api']);
  assert.equal(JSON.parse(run.output('detect-changes', 'configServices') ?? ''), ['shop-api', 'shop-web']);

  assert.equal(await org.tags('dev', 'shop/shop-api'), [after]);
  assert.equal(await org.tags('dev', 'shop/shop-web'), [], 'shop-web only had config changes');
  const digest = await org.digestOf('dev', 'shop/shop-api', after);
  assert.is((await org.overlayImage('shop-api', 'dev')).digest, digest);
  assert.is(await org.gitopsFile('apps/shop-api/overlays/dev/config/app.yaml'), 'greeting: mixed\n', 'the config of the built service is not lost');
  assert.is(await org.gitopsFile('apps/shop-web/overlays/dev/config/app.yaml'), 'title: shop (mixed)\n');
  const gitopsAfter = await org.log('acme/gitops', 'main');
  assert.ok(gitopsAfter.length >= gitopsBefore.length + 2, 'an image commit and config commits');
  assert.equal(gitopsAfter.slice(gitopsAfter.length - gitopsBefore.length), gitopsBefore, 'the previous history is kept');
  await org.assertArgoCdNeverWentBack();
});

test.run();
