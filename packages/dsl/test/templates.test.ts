// Template builders: steps, dag (with returned outputs), resource, suspend, http, containerSet, and the
// workflow kinds (WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, Workflow).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import {
  clusterWorkflowTemplate, container, containerSet, cronWorkflow, dag, env, http, output, param, pipeline, resource,
  stepsTemplate, suspend, synth, workflow, workflowTemplate,
} from '@argots/dsl';

type Obj = Record<string, unknown>;
const flip = container('flip', { outputs: { side: output.path('/tmp/side', { enum: ['heads', 'tails'] }) }, container: { image: 'alpine:3.20' } });
const say = container('say', { inputs: { text: param.string() }, container: (i) => ({ image: 'alpine:3.20', command: ['echo', i.text] }) });

function emitAll(...values: unknown[]): Obj[] {
  const r = synth(values.map((value, i) => ({ value, exportName: `e${i}`, file: 'templates.ts' })));
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), [], 'no errors');
  return r.files.map((f) => f.object as Obj);
}
const templatesOf = (o: Obj): Obj[] => ((o['spec'] as Obj)['templates'] ?? ((o['spec'] as Obj)['workflowSpec'] as Obj)['templates']) as Obj[];
const named = (list: Obj[], name: string): Obj => list.find((t) => t['name'] === name) as Obj;

test('given a steps template, then each step() is a group, parallel() one group, and values render as steps.X', () => {
  const coin = stepsTemplate('coin', {}, (s) => {
    const f = s.step('flip', flip);
    s.parallel((g) => {
      g.step('heads', say.call({ text: 'heads' }), { when: f.outputs.side.eq('heads') });
      g.step('tails', say.call({ text: f.outputs.side }), { when: f.outputs.side.eq('tails') });
    });
  });
  const [o] = emitAll(workflowTemplate('coin-flip', { entrypoint: coin }));
  const steps = named(templatesOf(o as Obj), 'coin')['steps'] as Obj[][];
  assert.is(steps.length, 2);
  assert.equal(steps[0]?.map((s) => s['name']), ['flip']);
  assert.equal(steps[1]?.map((s) => s['name']), ['heads', 'tails']);
  assert.is(steps[1]?.[0]?.['when'], "'{{steps.flip.outputs.parameters.side}}' == 'heads'");
  assert.equal(steps[1]?.[1]?.['arguments'], { parameters: [{ name: 'text', value: '{{steps.flip.outputs.parameters.side}}' }] });
  assert.is(steps[1]?.[1]?.['depends'], undefined);
});

test('given a step reading a step of its own parallel group, then ARG202 points at it', () => {
  const bad = stepsTemplate('bad', {}, (s) => {
    s.parallel((g) => {
      const f = g.step('flip', flip);
      g.step('say', say.call({ text: f.outputs.side }));
    });
  });
  const r = synth([{ value: workflowTemplate('bad-steps', { entrypoint: bad }), exportName: 'default', file: 't.ts' }]);
  assert.equal(r.files, []);
  const d = r.diagnostics.find((x) => x.code === 'ARG202');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.is(d?.path, 'spec.templates[0].steps[0][1]');
  assert.ok(d?.source?.file.endsWith('templates.test.ts'));
});

test('given a reusable DAG with inputs and a returned output, then its tasks use inputs.parameters and outputs valueFrom.parameter', () => {
  const release = dag('release', { inputs: { env: param.string() }, outputs: { side: output.returned() } }, (d, inputs) => {
    const f = d.task('flip', flip);
    d.task('say', say.call({ text: inputs.env }), { depends: f.succeeded });
    return { side: f.outputs.side };
  });
  const [o] = emitAll(pipeline('uses-dag', (p) => {
    const r = p.task('release', release.call({ env: 'prod' }));
    p.task('after', say.call({ text: r.outputs.side }));
  }));
  const t = named(templatesOf(o as Obj), 'release');
  assert.equal(t['inputs'], { parameters: [{ name: 'env' }] });
  assert.equal(t['outputs'], { parameters: [{ name: 'side', valueFrom: { parameter: '{{tasks.flip.outputs.parameters.side}}' } }] });
  const tasks = (t['dag'] as { tasks: Obj[] }).tasks;
  assert.equal(tasks[1]?.['arguments'], { parameters: [{ name: 'text', value: '{{inputs.parameters.env}}' }] });
  assert.is(tasks[1]?.['depends'], 'flip.Succeeded');
});

test('given a resource template with an object manifest, then the manifest is YAML text with references rendered', () => {
  const smoke = resource('smoke', {
    inputs: { image: param.string() },
    outputs: { job: output.jsonPath('{.metadata.name}') },
    resource: (i) => ({
      action: 'create',
      setOwnerReference: true,
      successCondition: 'status.succeeded > 0',
      failureCondition: 'status.failed > 0',
      manifest: { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'smoke-' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'smoke', image: i.image }] } } } },
    }),
  });
  const [o] = emitAll(workflowTemplate('smoke-test', { entrypoint: smoke }));
  const r = named(templatesOf(o as Obj), 'smoke')['resource'] as Obj;
  assert.is(r['action'], 'create');
  assert.is(r['successCondition'], 'status.succeeded > 0');
  const manifest = parse(r['manifest'] as string) as { spec: { template: { spec: { containers: Obj[] } } } };
  assert.is(manifest.spec.template.spec.containers[0]?.['image'], '{{inputs.parameters.image}}');
});

test('given suspend, http and containerSet templates, then each emits its Argo shape', () => {
  const gate = suspend('approve', { outputs: { answer: output.supplied({ enum: ['yes', 'no'] }) } });
  const wait = suspend('wait', { duration: '30s' });
  const ping = http('ping', { http: { url: 'https://shop.acme.io/healthz', method: 'GET', successCondition: 'response.statusCode == 200', timeoutSeconds: 10 } });
  const set = containerSet('set', {
    containerSet: {
      containers: [
        { name: 'lint', image: 'node:22', command: ['npm', 'run', 'lint'], env: { CI: 'true', TOKEN: env.secret('npm', 'token') } },
        { name: 'main', image: 'node:22', command: ['npm', 'test'], dependencies: ['lint'] },
      ],
    },
  });
  const main = stepsTemplate('main', {}, (s) => {
    s.step('approve', gate);
    s.step('wait', wait);
    s.step('ping', ping);
    s.step('set', set);
  });
  const [o] = emitAll(workflowTemplate('leafs', { entrypoint: main }));
  const ts = templatesOf(o as Obj);
  assert.equal(named(ts, 'approve')['suspend'], {});
  assert.equal(named(ts, 'approve')['outputs'], { parameters: [{ name: 'answer', valueFrom: { supplied: {} }, enum: ['yes', 'no'] }] });
  assert.equal(named(ts, 'wait')['suspend'], { duration: '30s' });
  assert.is((named(ts, 'ping')['http'] as Obj)['url'], 'https://shop.acme.io/healthz');
  const cs = named(ts, 'set')['containerSet'] as { containers: Obj[] };
  assert.equal(cs.containers[0]?.['env'], [{ name: 'CI', value: 'true' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'npm', key: 'token' } } }]);
  assert.equal(cs.containers[1]?.['dependencies'], ['lint']);
});

test('given template fields, then with() sets retryStrategy, synchronization, memoize, metrics and pod fields', () => {
  const t = say.with({
    retryStrategy: { limit: 3, retryPolicy: 'OnError', backoff: { duration: '10s', factor: 2 } },
    activeDeadlineSeconds: 600,
    synchronization: { semaphores: [{ configMapKeyRef: { name: 'limits', key: 'deploy' } }] },
    memoize: { key: '{{inputs.parameters.text}}', maxAge: '1h', cache: { configMap: { name: 'say-cache' } } },
    metadata: { labels: { app: 'say' } },
    nodeSelector: { pool: 'ci' },
    tolerations: [{ key: 'ci', operator: 'Exists' }],
    podSpecPatch: '{"terminationGracePeriodSeconds": 5}',
    metrics: { prometheus: [{ name: 'say_runs', help: 'Runs of say', counter: { value: '1' } }] },
  });
  assert.is.not(t, say);
  assert.ok(Object.isFrozen(t));
  const [o] = emitAll(workflowTemplate('fields', { entrypoint: stepsTemplate('main', {}, (s) => { s.step('say', t.call({ text: 'x' })); }) }));
  const e = named(templatesOf(o as Obj), 'say');
  assert.equal(e['retryStrategy'], { limit: 3, retryPolicy: 'OnError', backoff: { duration: '10s', factor: 2 } });
  assert.equal(e['nodeSelector'], { pool: 'ci' });
  assert.is(e['activeDeadlineSeconds'], 600);
  assert.ok(e['memoize'] && e['metrics'] && e['synchronization']);
});

test('given the workflow kinds, then CronWorkflow nests workflowSpec, Workflow may reference a template, and ClusterWorkflowTemplate is emitted', () => {
  const lib = clusterWorkflowTemplate('shared-tools', { templates: [say] });
  const p = pipeline('nightly-base', (q) => {
    q.param('target', param.string({ default: 'all' }));
    q.task('say', say.call({ text: 'hi' }));
  });
  const cron = cronWorkflow('nightly', {
    schedules: ['0 3 * * *'],
    timezone: 'Europe/Paris',
    concurrencyPolicy: 'Forbid',
    startingDeadlineSeconds: 60,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 5,
    workflowTemplateRef: p,
    arguments: { target: 'web' },
  });
  const run = workflow({ generateName: 'nightly-run-' }, { workflowTemplateRef: { name: 'nightly-base' }, serviceAccountName: 'ci' });
  const objects = emitAll(lib, p, cron, run);
  const byKind = (k: string): Obj => objects.find((o) => o['kind'] === k) as Obj;
  const c = byKind('CronWorkflow')['spec'] as Obj;
  assert.equal(c['schedules'], ['0 3 * * *']);
  assert.is(c['timezone'], 'Europe/Paris');
  assert.is(c['concurrencyPolicy'], 'Forbid');
  assert.equal(c['workflowSpec'], { workflowTemplateRef: { name: 'nightly-base' }, arguments: { parameters: [{ name: 'target', value: 'web' }] } });
  assert.equal(byKind('Workflow')['metadata'], { generateName: 'nightly-run-' });
  assert.equal(templatesOf(byKind('ClusterWorkflowTemplate')).map((t) => t['name']), ['say']);
});

test('given patch(), then any emitted field can be set or removed, typed by the model, and validation still runs', () => {
  const base = workflowTemplate('patched', { entrypoint: say, serviceAccountName: 'ci' });
  const patched = base.patch({ spec: { podDisruptionBudget: { minAvailable: 1 }, serviceAccountName: null as never } }).patch({ metadata: { labels: { extra: 'yes' } } });
  assert.ok(Object.isFrozen(patched) && patched !== base);
  const [o] = emitAll(patched);
  const spec = (o as Obj)['spec'] as Obj;
  assert.equal(spec['podDisruptionBudget'], { minAvailable: 1 });
  assert.is(spec['serviceAccountName'], undefined);
  assert.equal((o as Obj)['metadata'], { name: 'patched', labels: { extra: 'yes' } });
  const bad = synth([{ value: base.patch({ spec: { entrypoint: 'nope' } }), exportName: 'bad', file: 't.ts' }]);
  assert.equal(bad.files, []);
  assert.ok(bad.diagnostics.length > 0);
});

test.run();
