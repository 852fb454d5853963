// github.pullRequest: the usual CI trigger (opened / synchronize / reopened), compiled to Sensor filters and
// evaluated by `simulate` (Argo Events' filter semantics) against real deliveries from @octokit/webhooks-examples.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import { container, DiagnosticError, github, param, pipeline, simulate, synth, type Sensor } from '@argots/dsl';
import type { WebhookDelivery } from '../../src/simulate/argo-event.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload surgery on real payloads
type Json = Record<string, any>;
const examples = (require('@octokit/webhooks-examples') as { name: string; examples: Json[] }[]).find((d) => d.name === 'pull_request')!.examples;

/** The real `pull_request` delivery with this action (Codertocat/Hello-World, changes → master, label "bug" unless opened). */
function delivery(action: string, change: (body: Json) => void = () => {}): WebhookDelivery {
  const found = examples.find((e) => e.action === action && e.pull_request.draft === false) ?? examples.find((e) => e.action === action);
  if (!found) throw new Error(`no real pull_request "${action}" delivery`);
  const body = structuredClone(found);
  change(body);
  return { eventType: 'pull_request', body };
}

const repo = 'Codertocat/Hello-World';
const test_ = container('unit-test', { inputs: { sha: param.string(), number: param.string() }, container: (i) => ({ image: 'alpine:3.20', args: [i.sha, i.number] }) });

function sensorOf(trigger: ReturnType<typeof github.pullRequest>): Sensor {
  const r = synth([{
    value: pipeline('hello-pr', (p) => {
      const pr = p.trigger(trigger, (e) => ({ sha: e.pull_request.head.sha, number: e.number }));
      p.task('test', test_.call({ sha: pr.sha, number: pr.number }));
    }),
    exportName: 'default',
    file: 'pipelines/pr.ts',
  }]);
  assert.equal(r.diagnostics, []);
  return r.files.find((f) => f.kind === 'Sensor')!.object as unknown as Sensor;
}

const fires = (sensor: Sensor, d: WebhookDelivery) => simulate([sensor], d).sensors[0]!.triggers[0]!;

test('by default opened, synchronize and reopened start the pipeline with the head sha and number; other actions do not', () => {
  const sensor = sensorOf(github.pullRequest({ repo }));
  for (const action of ['opened', 'synchronize', 'reopened']) {
    const d = delivery(action);
    const t = fires(sensor, d);
    assert.is(t.status, 'fires', `${action}: ${JSON.stringify(t)}`);
    const body = d.body as Json;
    assert.equal(t.workflowParameters, { sha: body.pull_request.head.sha, number: String(body.number) });
  }
  for (const action of ['closed', 'labeled', 'assigned', 'ready_for_review', 'converted_to_draft']) {
    assert.is.not(fires(sensor, delivery(action)).status, 'fires', action);
  }
  const dep = sensor.spec.dependencies[0]!;
  assert.equal(dep.filters?.data?.map((f) => f.path), [
    'headers.X-Github-Event.0', 'body.repository.full_name', 'body.action', 'body.pull_request.base.repo.full_name',
    'body.pull_request.head.repo.full_name', 'body.pull_request.base.ref', 'body.pull_request.head.ref',
  ]);
});

test('a push delivery (another event) and another repository do not start it', () => {
  const sensor = sensorOf(github.pullRequest({ repo }));
  const asPush: WebhookDelivery = { ...delivery('opened'), eventType: 'push' };
  assert.is.not(fires(sensor, asPush).status, 'fires');
  assert.is.not(fires(sensor, delivery('opened', (b) => { b.repository.full_name = 'octo-org/Hello-World'; b.pull_request.base.repo.full_name = 'octo-org/Hello-World'; })).status, 'fires');
});

test('base and head globs are anchored and ORed: "master" does not match "master-old", release/* matches release/1.4', () => {
  const sensor = sensorOf(github.pullRequest({ repo, base: ['main', 'master'], head: ['release/*', 'changes'] }));
  assert.is(fires(sensor, delivery('opened')).status, 'fires');
  assert.is(fires(sensor, delivery('opened', (b) => { b.pull_request.head.ref = 'release/1.4'; })).status, 'fires');
  assert.is.not(fires(sensor, delivery('opened', (b) => { b.pull_request.head.ref = 'release/1.4/x'; })).status, 'fires');
  assert.is.not(fires(sensor, delivery('opened', (b) => { b.pull_request.base.ref = 'master-old'; })).status, 'fires');
});

test('a pull request from a fork does not start it unless allowForks', () => {
  const fromFork = (b: Json) => { b.pull_request.head.repo.full_name = 'evil-fork/Hello-World'; b.pull_request.head.repo.fork = true; };
  assert.is.not(fires(sensorOf(github.pullRequest({ repo })), delivery('synchronize', fromFork)).status, 'fires');
  assert.is(fires(sensorOf(github.pullRequest({ repo, allowForks: true })), delivery('synchronize', fromFork)).status, 'fires');
});

test('labels: any of the names, exactly (a label "bugfix" is not "bug"), read from labels.#.name', () => {
  const sensor = sensorOf(github.pullRequest({ repo, labels: ['ci', 'bug'] }));
  // The real synchronize delivery carries the label "bug".
  assert.equal((delivery('synchronize').body as Json).pull_request.labels.map((l: Json) => l.name), ['bug']);
  assert.is(fires(sensor, delivery('synchronize')).status, 'fires');
  const relabel = (names: string[]) => (b: Json) => { b.pull_request.labels = names.map((name, i) => ({ ...b.pull_request.labels[0], id: i, name })); };
  assert.is(fires(sensor, delivery('synchronize', relabel(['docs', 'ci']))).status, 'fires');
  assert.is.not(fires(sensor, delivery('synchronize', relabel(['bugfix', 'no-ci']))).status, 'fires');
  assert.is.not(fires(sensor, delivery('synchronize', relabel([]))).status, 'fires');
  // Names with regex and JSON specials are matched literally.
  const odd = sensorOf(github.pullRequest({ repo, labels: ['needs "review" (a+b)'] }));
  assert.is(fires(odd, delivery('synchronize', relabel(['needs "review" (a+b)']))).status, 'fires');
  assert.is.not(fires(odd, delivery('synchronize', relabel(['needs "review" (aab)']))).status, 'fires');
});

test('includeDrafts: false ignores draft pull requests; by default drafts start it too', () => {
  const draft = (b: Json) => { b.pull_request.draft = true; };
  assert.is(fires(sensorOf(github.pullRequest({ repo })), delivery('opened', draft)).status, 'fires');
  assert.is.not(fires(sensorOf(github.pullRequest({ repo, includeDrafts: false })), delivery('opened', draft)).status, 'fires');
  assert.is(fires(sensorOf(github.pullRequest({ repo, includeDrafts: false })), delivery('opened')).status, 'fires');
});

test('actions choose the payload type; an unknown action, an empty list or an empty label is ARG338 at the call', () => {
  const labeled = github.pullRequest({ repo, actions: ['labeled'] });
  labeled.payload.label.name; // only labeled/unlabeled payloads have `label`
  // @ts-expect-error -- `label` is not on opened/synchronize/reopened payloads
  github.pullRequest({ repo }).payload.label;
  assert.is(fires(sensorOf(github.pullRequest({ repo, actions: ['labeled'] })), delivery('labeled')).status, 'fires');
  for (const [options, message] of [
    [{ repo, actions: ['merged'] }, 'action "merged" is not one GitHub sends'],
    [{ repo, actions: [] }, '"actions" is empty'],
    [{ repo, labels: [''] }, 'label "" is not a label name'],
    [{ repo, labels: [] }, '"labels" is empty'],
  ] as const) {
    try {
      github.pullRequest(options as never);
      assert.unreachable(JSON.stringify(options));
    } catch (error) {
      assert.instance(error, DiagnosticError);
      const d = (error as DiagnosticError).diagnostics[0]!;
      assert.is(d.code, 'ARG338');
      assert.match(d.message, message);
      assert.ok(d.source?.file.endsWith('pull-request-trigger.test.ts'), JSON.stringify(d.source));
      assert.ok(d.hint);
    }
  }
});

test.run();
