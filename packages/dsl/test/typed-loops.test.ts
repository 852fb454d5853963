// Typed loop items: `withParam` over a typed JSON list (a runtime command's output with a declared shape, or
// `output.json<readonly T[]>()`) gives typed `item` fields, and `when` may be a function of the item.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { container, output, param, pipeline, steps, stepsTemplate, synth, type Item } from '@argots/dsl';
import { detectChanges, shapeProblem } from '@argots/contract';

type Obj = Record<string, unknown>;
const deploy = container('deploy', {
  inputs: { service: param.string(), region: param.enum(['eu', 'us']) },
  container: (i) => ({ image: 'alpine:3.20', args: [i.service, i.region] }),
});
const plan = container('plan', {
  outputs: { targets: output.json<readonly { service: string; region: 'eu' | 'us'; replicas: number }[]>('/tmp/targets.json') },
  container: () => ({ image: 'alpine:3.20', args: ['plan'] }),
});

function compile(value: unknown) {
  const r = synth([{ value, exportName: 'default', file: 'pipelines/loops.ts' }]);
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`), []);
  const spec = r.files.find((f) => f.kind === 'WorkflowTemplate')!.object['spec'] as { templates: Obj[] };
  return (spec.templates[0] as { dag: { tasks: Obj[] } }).dag.tasks;
}
const BEFORE = '1'.repeat(40);
const AFTER = '2'.repeat(40);
const byName = (list: Obj[], name: string): Obj => list.find((t) => t['name'] === name) as Obj;

test('detect-changes\' services are typed items: name, kind (code | config | none), files; `when` filters unchanged ones per item', () => {
  const tasks = compile(pipeline('per-service', (p) => {
    const change = p.task('detect-changes', steps.detectChanges({ repo: '/src', before: BEFORE, after: AFTER }));
    p.task('deploy', (s) => deploy.call({ service: s.get('name'), region: 'eu' }), {
      withParam: change.outputs.services,
      when: (s) => s.get('kind').ne('none'),
    });
    p.task('deploy-code', (name) => deploy.call({ service: name, region: 'eu' }), { withParam: change.outputs.codeServices });
  }));
  const d = byName(tasks, 'deploy');
  assert.is(d['withParam'], '{{tasks.detect-changes.outputs.parameters.services}}');
  assert.is(d['when'], "'{{item.kind}}' != 'none'");
  assert.equal((d['arguments'] as { parameters: Obj[] }).parameters[0], { name: 'service', value: '{{item.name}}' });
  assert.is(d['depends'], 'detect-changes.Succeeded');
  assert.equal((byName(tasks, 'deploy-code')['arguments'] as { parameters: Obj[] }).parameters[0], { name: 'service', value: '{{item}}' });
});

test('a typed output.json list: fields typed, enum fields give enum conditions and fit enum inputs; numbers compare bare', () => {
  const tasks = compile(pipeline('per-target', (p) => {
    const planned = p.task('plan', plan);
    p.task('deploy', (t) => deploy.call({ service: t.get('service'), region: t.get('region') }), {
      withParam: planned.outputs.targets,
      when: (t) => t.get('region').eq('eu'),
    });
  }));
  const d = byName(tasks, 'deploy');
  assert.is(d['when'], "'{{item.region}}' == 'eu'");
  assert.equal((d['arguments'] as { parameters: Obj[] }).parameters, [{ name: 'service', value: '{{item.service}}' }, { name: 'region', value: '{{item.region}}' }]);
});

test('withItems objects: `when` on an item field; steps loops take it too', () => {
  const tasks = compile(pipeline('items', (p) => {
    p.task('deploy', (t) => deploy.call({ service: t.get('service'), region: t.get('region') }), {
      withItems: [{ service: 'api', region: 'eu' }, { service: 'web', region: 'us' }],
      when: (t) => t.get('region').eq('us'),
    });
  }));
  assert.is(byName(tasks, 'deploy')['when'], "'{{item.region}}' == 'us'");
  const s = stepsTemplate('fan', {}, (st) => {
    st.step('each', (t) => deploy.call({ service: t.get('service'), region: 'eu' }), { withItems: [{ service: 'api' }, { service: 'web' }], when: (t) => t.get('service').ne('web') });
  });
  const r = synth([{ value: pipeline('steps-loop', (p) => { p.task('fan', s); }), exportName: 'default', file: 'x.ts' }]);
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.match(r.files[0]!.content, "when: \"'{{item.service}}' != 'web'\"", r.files[0]!.content);
});

test('type errors: a field the items do not have, a value outside an enum, and a `when` function without a loop', () => {
  pipeline('typed-errors', (p) => {
    const change = p.task('detect-changes', steps.detectChanges({ repo: '/src', before: BEFORE, after: AFTER }));
    const planned = p.task('plan', plan);
    p.task('a', (s) => deploy.call({ service: s.get('name'), region: 'eu' }), {
      withParam: change.outputs.services,
      // @ts-expect-error -- 'unchanged' is not a kind detect-changes writes ('code' | 'config' | 'none')
      when: (s) => s.get('kind').eq('unchanged'),
    });
    // @ts-expect-error -- services have no field "owner"
    p.task('b', (s) => deploy.call({ service: s.get('owner'), region: 'eu' }), { withParam: change.outputs.services });
    // @ts-expect-error -- the item's region is 'eu' | 'us', so 'asia' does not compile
    p.task('c', (t) => deploy.call({ service: t.get('service'), region: 'eu' }), { withParam: planned.outputs.targets, when: (t) => t.get('region').eq('asia') });
    const check = (item: Item<string, never>) => item;
    void check;
  });
  const noLoop = synth([{
    // @ts-expect-error -- a `when` function needs a loop
    value: pipeline('no-loop', (p) => { p.task('x', deploy.call({ service: 'a', region: 'eu' }), { when: (i: unknown) => i }); }),
    exportName: 'default',
    file: 'pipelines/no-loop.ts',
  }]);
  assert.match(noLoop.diagnostics.map((d) => d.message).join('\n'), /a `when` that is a function of the item needs withItems, withParam or withSequence/);
});

test('the runtime\'s detect-changes outputs have the shapes the contract declares (checked by shapeProblem)', () => {
  const outputs = detectChanges.outputs;
  assert.is(shapeProblem([{ name: 'api', kind: 'none', codeFiles: [], configFiles: [], deletedConfigFiles: [] }], outputs.services.shape), undefined);
  assert.is(shapeProblem([{ name: 'api', kind: 'unchanged', codeFiles: [], configFiles: [], deletedConfigFiles: [] }], outputs.services.shape), '[0].kind: expected one of "code", "config", "none", received "unchanged"');
  assert.is(shapeProblem([{ name: 'api', kind: 'code', codeFiles: [] }], outputs.services.shape), '[0].configFiles: missing');
  assert.is(shapeProblem(['api', 3], outputs.codeServices.shape), '[1]: expected a string, received 3');
});

test.run();
