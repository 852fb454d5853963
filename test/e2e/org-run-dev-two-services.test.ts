// dev-build, compiled, run end to end with `argots run` from a push delivery (see test/support/org-run.ts and
// org-run-dev-code.test.ts): a push changing the code of two services fans out — each built once from its
// own folder, pushed to dev, set in its own dev overlay and waited for in Argo CD (defect 8 of issue 12).
// Argo CD here syncs only once both pushes have landed, so the first service's wait sees the second's later
// commit: it counts because it contains the first's (checked in the GitOps repository), as a real Argo CD
// that polls after both pushes would report it.
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

test('feature → dev, code of two services: both are built (one image each, from their own folder), both dev overlays point at their digests, both Applications are waited for', async () => {
  const before = (await org.log('acme/shop', 'dev'))[0]?.sha ?? '';
  const after = await org.world.commit('acme/shop', 'dev', { 'services/shop-api/main.go': 'package main // both\n', 'services/shop-web/index.js': 'export {}\n' }, 'Merge feature/both into dev');
  const gitopsBefore = await org.log('acme/gitops', 'main');
  // Both Applications report the revision before the run until main has both services' commits, then the tip.
  for (const service of ['shop-api', 'shop-web']) {
    org.argocd.followRepository(`${service}-dev`, 'https://github.com/acme/gitops.git', async () => {
      const now = await org.log('acme/gitops', 'main');
      return (now.length >= gitopsBefore.length + 2 ? now[0]?.sha : gitopsBefore[0]?.sha) ?? '';
    });
  }

  const run = await org.run({ type: 'push', body: org.pushDelivery('dev', before, after), pipeline: 'dev-build' });
  assert.is(run.phase, 'Succeeded', run.log);
  assert.equal(JSON.parse(run.output('detect-changes', 'codeServices') ?? ''), ['shop-api', 'shop-web']);
  const builds = [...run.nodes.values()].filter((n) => n.templateName === 'buildkit-build' && n.nodeType === 'Pod');
  assert.is(builds.length, 2, builds.map((n) => n.name).join(', '));

  const digests: string[] = [];
  for (const service of ['shop-api', 'shop-web']) {
    assert.equal(await org.tags('dev', `shop/${service}`), [after], service);
    const digest = await org.digestOf('dev', `shop/${service}`, after);
    assert.ok(digest);
    digests.push(digest ?? '');
    const overlay = await org.overlayImage(service, 'dev');
    assert.is(overlay.newName, `${org.registries.dev.host}/shop/${service}`);
    assert.is(overlay.digest, digest, `${service} runs its own image`);
    assert.equal(await org.overlayImage(service, 'staging'), { newTag: 'old' }, 'staging does not move');
  }
  assert.is.not(digests[0], digests[1], 'each service built from its own folder');
  assert.is(run.node('verify-deploy').filter((n) => n.nodeType === 'Retry' && n.phase === 'Succeeded').length, 2);
  const gitopsAfter = await org.log('acme/gitops', 'main');
  assert.is(gitopsAfter.length, gitopsBefore.length + 2, 'one commit per service (the gitops-dev mutex serialises the pushes)');
  assert.equal(gitopsAfter.slice(2), gitopsBefore);
  // Each wait ended at the tip: for the service pushed first, a later revision that contains its own commit.
  const waits = [...run.nodes.values()].filter((n) => n.templateName === 'verify-deploy' && n.nodeType === 'Pod' && n.phase === 'Succeeded');
  assert.is(waits.length, 2, waits.map((n) => n.name).join(', '));
  for (const n of waits) assert.is(n.outputs?.parameters?.find((p) => p.name === 'revision')?.value, gitopsAfter[0]?.sha, n.name);
  await org.assertArgoCdNeverWentBack();
});

test.run();
