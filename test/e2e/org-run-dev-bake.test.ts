// dev-build, compiled, run end to end with `argots run` from a push delivery (see test/support/org-run.ts and
// org-run-dev-code.test.ts), for an application repository built with one root bake file of two targets:
// the changed targets are built in ONE bake run (bake-changed), each pushed to the dev registry whatever the
// bake file says (defect 7 of issue 12), then each deployed from bake's metadata.
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

const BAKE = [
  'variable "TAG" {', '  default = "latest"', '}',
  'group "default" {', '  targets = ["shop-api", "shop-web"]', '}',
  'target "shop-api" {', '  context = "services/shop-api"', '  tags = ["docker.io/acme/shop-api:${TAG}"]', '}',
  'target "shop-web" {', '  context = "services/shop-web"', '  tags = ["docker.io/acme/shop-web:${TAG}"]', '}', '',
].join('\n');

test('feature → dev with a bake file of two targets, both changed: one bake run builds both, each is pushed to dev (not where the bake file says) and set in its dev overlay', async () => {
  await org.world.commit('acme/shop', 'dev', { 'docker-bake.hcl': BAKE }, 'build with bake');
  const before = (await org.log('acme/shop', 'dev'))[0]?.sha ?? '';
  const after = await org.world.commit('acme/shop', 'dev', { 'services/shop-api/main.go': 'package main // baked\n', 'services/shop-web/index.js': 'export {} // baked\n' }, 'Merge feature/baked into dev');
  const gitopsBefore = await org.log('acme/gitops', 'main');

  const run = await org.run({ type: 'push', body: org.pushDelivery('dev', before, after), pipeline: 'dev-build' });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.is(run.output('detect-build', 'kind'), 'bake');
  const bakes = [...run.nodes.values()].filter((n) => n.templateName === 'bake-push' && n.nodeType === 'Pod');
  assert.is(bakes.length, 1, `one bake run for both targets: ${bakes.map((n) => n.name).join(', ')}`);
  assert.equal([...run.nodes.values()].filter((n) => n.templateName === 'buildkit-build' && n.nodeType === 'Pod'), [], 'no per-service build');
  const metadata = JSON.parse(run.output('bake-changed', 'metadata') ?? '{}') as Record<string, { 'image.name': string; 'containerimage.digest': string }>;
  assert.equal(Object.keys(metadata).sort(), ['shop-api', 'shop-web']);

  for (const service of ['shop-api', 'shop-web']) {
    assert.equal(await org.tags('dev', `shop/${service}`), [after], service);
    const digest = await org.digestOf('dev', `shop/${service}`, after);
    assert.is(metadata[service]?.['containerimage.digest'], digest);
    const overlay = await org.overlayImage(service, 'dev');
    assert.is(overlay.newName, `${org.registries.dev.host}/shop/${service}`);
    assert.is(overlay.digest, digest);
  }
  const gitopsAfter = await org.log('acme/gitops', 'main');
  assert.is(gitopsAfter.length, gitopsBefore.length + 2);
  assert.equal(gitopsAfter.slice(2), gitopsBefore);
  await org.assertArgoCdNeverWentBack();
});

test.run();
