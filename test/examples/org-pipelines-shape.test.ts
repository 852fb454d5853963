// What the org pipelines' compiled YAML must say for defects that only a cluster shows (10, 11, 13, 14,
// and the hotfix's gate, 9), read from the goldens a cluster runs and, where Argo evaluates something, run
// through the same languages (@argots/expr: expr-lang as Argo's controller runs it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { argoExpressionEnv, evaluateArgoExpression } from '@argots/expr';
import { branchPatternSource, matchesBranch } from '@argots/contract';

const ROOT = new URL('../..', import.meta.url).pathname;
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- YAML documents
const load = async (path: string): Promise<Obj> => parse(await readFile(join(ROOT, 'manifests', path), 'utf8')) as Obj;
const ORG = ['dev-build', 'staging-promotion', 'production-promotion', 'staging-bugfix', 'hotfix'];
const GITOPS_WRITES = /^(update-(dev|staging|prod)-manifests|copy-config|release-config-to-staging|cleanup-staging)$/

test('defect 13: a build whose detection finds nothing yields no image and reads no skipped task\'s outputs', async () => {
  const wf = await load('workflow-template/dev-build.yaml');
  const build = wf['spec']['templates'].find((t: Obj) => t['name'] === 'build-image');
  const expression = (name: string): string => build['outputs']['parameters'].find((p: Obj) => p['name'] === name)['valueFrom']['expression'];
  // What Argo's controller gives the expression when detect-build said none: both build tasks Skipped, no outputs.
  const none = argoExpressionEnv({ 'tasks.detect-build.status': 'Succeeded', 'tasks.detect-build.outputs.parameters.kind': 'none', 'tasks.dockerfile.status': 'Skipped', 'tasks.bake.status': 'Skipped' });
  assert.is(evaluateArgoExpression(expression('imageRef'), none), '');
  assert.is(evaluateArgoExpression(expression('kind'), none), 'none');
  // The expression before the fix read bake's outputs whenever the Dockerfile build had not run.
  assert.throws(() => evaluateArgoExpression("tasks.dockerfile.status == 'Succeeded' ? tasks.dockerfile.outputs.parameters.imageRef : tasks.bake.outputs.parameters.imageRef", none));
  const bake = argoExpressionEnv({ 'tasks.detect-build.outputs.parameters.kind': 'bake', 'tasks.dockerfile.status': 'Skipped', 'tasks.bake.status': 'Succeeded', 'tasks.bake.outputs.parameters.imageRef': 'r/a:1@sha256:x' });
  assert.is(evaluateArgoExpression(expression('imageRef'), bake), 'r/a:1@sha256:x');
  // And the deployment of that service is skipped on the build's kind, never handed an empty image.
  const deploy = wf['spec']['templates'].find((t: Obj) => t['name'] === 'build-and-deploy-dev');
  for (const task of deploy['dag']['tasks'].filter((t: Obj) => t['name'] !== 'build')) {
    assert.is(task['when'], "'{{tasks.build.outputs.parameters.kind}}' != 'none'", `${task['name']} runs only when something was built`);
  }
});

test('defects 10, 11: every org workflow has a deadline, a ReadWriteMany workspace, and holds its GitOps mutex only in the write steps', async () => {
  for (const name of ORG) {
    const wf = await load(`workflow-template/${name}.yaml`);
    const spec = wf['spec'];
    assert.ok(Number(spec['activeDeadlineSeconds']) > 0, `${name}: activeDeadlineSeconds`);
    assert.is(spec['synchronization'], undefined, `${name}: no workflow-wide mutex`);
    assert.equal(spec['volumeClaimTemplates'].map((c: Obj) => c['spec']['accessModes']), [['ReadWriteMany']], `${name}: RWX workspace`);
    const holders = spec['templates'].filter((t: Obj) => t['synchronization']).map((t: Obj) => t['name']);
    assert.ok(holders.length > 0, `${name} writes GitOps somewhere`);
    for (const h of holders) assert.match(h, GITOPS_WRITES, `${name}: only GitOps writes hold a mutex`);
    for (const t of spec['templates'].filter((x: Obj) => GITOPS_WRITES.test(x['name']))) {
      assert.match(t['synchronization']['mutexes'][0]['name'], /^gitops-(dev|staging|prod)$/, `${name}/${t['name']} holds its environment's mutex`);
    }
    for (const t of spec['templates'].filter((x: Obj) => x['container']?.['command']?.[0] === 'argots-runtime')) {
      assert.ok(Number(t['activeDeadlineSeconds']) > 0, `${name}/${t['name']}: a step deadline`);
    }
  }
});

test('defect 9: the hotfix cleans staging only after a person checked it, and proposes production when they say so', async () => {
  const wf = await load('workflow-template/hotfix.yaml');
  const tasks = wf['spec']['templates'].find((t: Obj) => t['name'] === 'main')['dag']['tasks'] as Obj[];
  const task = (n: string) => tasks.find((t) => t['name'] === n) as Obj;
  const gate = wf['spec']['templates'].find((t: Obj) => t['name'] === 'approve-hotfix');
  assert.ok(gate['suspend'], 'approve-hotfix is a suspend gate');
  assert.equal(gate['outputs']['parameters'][0]['valueFrom'], { supplied: {} });
  assert.equal(gate['outputs']['parameters'][0]['enum'], ['promote', 'reject']);
  assert.match(task('approve-hotfix')['depends'], 'back-merge-release.Succeeded && back-merge-dev.Succeeded');
  // Clean-up: after the check, and after the production proposals read staging's (hotfix) image, whatever
  // became of them.
  assert.match(task('cleanup-staging')['depends'], /^approve-hotfix\.Succeeded && \(hotfix-to-prod \|\| hotfix-to-prod\.Failed \|\| hotfix-to-prod\.Errored \|\| hotfix-to-prod\.Omitted\)/, 'after the check and the proposals');
  // Production: one proposal per service built, only when the person said promote.
  assert.is(task('hotfix-to-prod')['when'], "'{{tasks.approve-hotfix.outputs.parameters.decision}}' == 'promote'");
  assert.is(task('hotfix-to-prod')['withParam'], '{{tasks.detect-changes.outputs.parameters.codeServices}}');
  const toProd = wf['spec']['templates'].find((t: Obj) => t['name'] === 'hotfix-to-prod')['dag']['tasks'] as Obj[];
  assert.is(toProd.find((t) => t['name'] === 'promote')?.['arguments']['parameters'].find((p: Obj) => p['name'] === 'to')['value'], 'prod');
  assert.ok(toProd.find((t) => t['name'] === 'open-promotion-pull-request'), 'a GitOps pull request is the production gate');
});

test('defect 14: `release/*` means the same in the Sensors and in the branch policy', async () => {
  const sensor = await load('sensor/staging-promotion.yaml');
  const filter = sensor['spec']['dependencies'][0]['filters']['data'].find((f: Obj) => f['path'] === 'body.ref');
  const pr = (await load('sensor/production-promotion.yaml'))['spec']['dependencies'][0]['filters']['data'].find((f: Obj) => f['path'] === 'body.pull_request.head.ref');
  assert.is(pr['value'][0], branchPatternSource('release/*'));
  for (const branch of ['release/1.4', 'release/2026-q1', 'release/1.4/hotfix', 'release', 'releases/1.4', 'xrelease/1']) {
    const sensorSays = new RegExp(filter['value'][0]).test(branch); // a create event's ref is the bare branch name
    assert.is(matchesBranch('release/*', branch), sensorSays, `"${branch}": policy and Sensor agree`);
    assert.is(new RegExp(pr['value'][0]).test(branch), sensorSays, `"${branch}": both Sensors agree`);
  }
});

test.run();
