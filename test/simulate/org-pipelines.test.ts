// The organisation's pipelines (pipelines/*.ts), compiled, against every delivery case of issue 3: real
// @octokit/webhooks-examples payloads retargeted at the application repository. Exactly the pipeline the
// event names starts; a fork, another repository or an unmerged pull request starts nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { simulate, synth, type EventSource, type Sensor, type WebhookDelivery } from '@argots/dsl';
import * as deliveries from '../../packages/dsl/test/simulate/deliveries.js';
import { upstreamErrors } from '../../packages/dsl/test/events/upstream-schema.js';

const dir = new URL('../../pipelines/', import.meta.url);
const REPO = 'acme/shop';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload surgery on real payloads
type Json = Record<string, any>;

/** The same delivery, made about acme/shop (repository, and base/head repositories of a pull request). */
function at(delivery: WebhookDelivery, change: (body: Json) => void = () => {}): WebhookDelivery {
  const body = structuredClone(delivery.body) as Json;
  body.repository.full_name = REPO;
  if (body.pull_request) {
    body.pull_request.base.repo.full_name = REPO;
    if (body.pull_request.head.repo.full_name === 'Codertocat/Hello-World') body.pull_request.head.repo.full_name = REPO;
  }
  change(body);
  return { ...delivery, body };
}

const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
const inputs = await Promise.all(files.map(async (f) => ({ value: ((await import(new URL(f, dir).href)) as { default: unknown }).default, exportName: 'default', file: `pipelines/${f}` })));
const compiled = synth(inputs);
const sensors = compiled.files.filter((f) => f.kind === 'Sensor').map((f) => f.object as unknown as Sensor);
const eventSources = compiled.files.filter((f) => f.kind === 'EventSource').map((f) => f.object as unknown as EventSource);

function started(delivery: WebhookDelivery): string[] {
  return simulate(sensors, delivery, { eventSources }).sensors
    .filter((s) => s.triggers.some((t) => t.status === 'fires'))
    .map((s) => s.sensor)
    .sort();
}

test('the org pipelines compile with their Sensors and the shared EventSource, without errors', () => {
  assert.equal(compiled.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(sensors.length >= 5, `${sensors.length} Sensors`);
  assert.equal(eventSources.map((e) => e.metadata.name), ['github']);
});

test('their Sensors and EventSource, and those of the examples, validate against the upstream Argo Events schema', async () => {
  const examplesDir = new URL('../../examples/', import.meta.url);
  const exampleInputs = await Promise.all(readdirSync(examplesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort().map(async (f) => ({ value: ((await import(new URL(f, examplesDir).href)) as { default: unknown }).default, exportName: 'default', file: `examples/${f}` })));
  const examples = synth(exampleInputs, { externalTemplates: 'warn' }).files;
  const eventFiles = [...compiled.files, ...examples].filter((f) => f.kind === 'Sensor' || f.kind === 'EventSource');
  assert.ok(eventFiles.length >= sensors.length + 2, `${eventFiles.length} event resources`);
  for (const f of eventFiles) assert.equal(upstreamErrors(f.object), [], f.path);
});

const cases: [string, WebhookDelivery, string[]][] = [
  ['a push to dev starts dev-build', at(deliveries.pushWith('dev', 'feat: checkout')), ['dev-build']],
  ['a push to another branch starts nothing', at(deliveries.pushToBranch()), []],
  ['a tag push starts nothing', at(deliveries.tagPush()), []],
  ['a release branch created starts staging-promotion', at(deliveries.branchCreated('release/1.4')), ['staging-promotion']],
  ['a tag created starts nothing', at(deliveries.tagCreated()), []],
  ['a release/* pull request merged into master starts production-promotion', at(deliveries.pullRequestClosedMerged('release/1.4')), ['production-promotion']],
  ['a hotfix/* pull request merged into master starts hotfix', at(deliveries.pullRequestClosedMerged('hotfix/login')), ['hotfix']],
  ['a bugfix/* pull request merged into a release branch starts staging-bugfix', at(deliveries.pullRequestClosedMerged('bugfix/cart'), (b) => { b.pull_request.base.ref = 'release/1.4'; }), ['staging-bugfix']],
  ['a pull request closed without merging starts nothing', at(deliveries.pullRequestClosedUnmerged(), (b) => { b.pull_request.head.ref = 'release/1.4'; }), []],
  ['a merged pull request from a fork starts nothing', at(deliveries.pullRequestFromFork('release/1.4')), []],
  ['a push to dev of another repository starts nothing', deliveries.pushWith('dev', 'x'), []],
];

for (const [name, delivery, expected] of cases) {
  test(name, () => assert.equal(started(delivery), expected));
}

test('dev-build receives exactly the values it declares, verbatim from the payload', () => {
  const delivery = at(deliveries.pushWith('dev', 'fix: $(id)'));
  const body = delivery.body as { before: string; after: string };
  const dev = simulate(sensors, delivery, { eventSources }).sensors.find((s) => s.sensor === 'dev-build')?.triggers[0];
  assert.is(dev?.status, 'fires');
  assert.equal(dev?.workflowParameters, { before: body.before, after: body.after });
});

test.run();
