// pipeline(): tasks, typed data flow, inferred edges, `depends`, `when`, loops, exit handlers and hooks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { and, artifact, container, not, or, output, param, pipeline, script, synth, templateRef, text, vars } from '@argots/dsl';

type Obj = Record<string, unknown>;
const make = container('make', {
  inputs: { tag: param.string({ default: 'latest' }) },
  outputs: { digest: output.path('/tmp/digest'), kind: output.path('/tmp/kind', { enum: ['code', 'config'] }), count: output.path('/tmp/n') },
  container: (i) => ({ image: 'alpine:3.20', args: [i.tag] }),
});
const use = container('use', { inputs: { value: param.string() }, container: (i) => ({ image: 'alpine:3.20', args: ['--value', i.value] }) });

function emit(value: unknown): Obj {
  const r = synth([{ value, exportName: 'default', file: 'test.ts' }]);
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), [], 'no errors');
  return r.files[0]?.object as Obj;
}
function tasks(o: Obj): Obj[] {
  const spec = o['spec'] as { templates: Obj[] };
  return ((spec.templates[0] as { dag: { tasks: Obj[] } }).dag.tasks);
}
const byName = (list: Obj[], name: string): Obj => list.find((t) => t['name'] === name) as Obj;

test('given a task reading another task\'s output, then the argument renders the reference and the edge is added', () => {
  const o = emit(pipeline('flow', (p) => {
    const a = p.task('a', make);
    p.task('b', use.call({ value: a.outputs.digest }));
    p.task('c', use.call({ value: text`image@${a.outputs.digest} (${a.result})` }));
  }));
  const b = byName(tasks(o), 'b');
  assert.equal(b['arguments'], { parameters: [{ name: 'value', value: '{{tasks.a.outputs.parameters.digest}}' }] });
  assert.is(b['depends'], 'a.Succeeded', 'a bare "a" would also fire when a is Skipped, with no outputs to read');
  assert.is((byName(tasks(o), 'c')['arguments'] as { parameters: Obj[] }).parameters[0]?.['value'], 'image@{{tasks.a.outputs.parameters.digest}} ({{tasks.a.outputs.result}})');
  assert.is(byName(tasks(o), 'a')['depends'], undefined);
});

test('given `after` only, the edge stays bare; reading outputs makes it X.Succeeded; exitCode renders tasks.X.exitCode, which the validator accepts', () => {
  const r = synth([{ value: pipeline('edges', (p) => {
    const a = p.task('a', make);
    const b = p.task('b', make, { after: [a] });
    p.task('c', use.call({ value: text`${b.exitCode}` }), { after: [a] });
  }), exportName: 'default', file: 'test.ts' }]);
  assert.equal(r.diagnostics, [], 'no diagnostics: tasks.b.exitCode is an Argo variable');
  const list = tasks(r.files[0]?.object as Obj);
  assert.is(byName(list, 'b')['depends'], 'a');
  assert.is(byName(list, 'c')['depends'], 'a && b.Succeeded');
  assert.equal(byName(list, 'c')['arguments'], { parameters: [{ name: 'value', value: '{{tasks.b.exitCode}}' }] });
});

test('given workflow parameters, then they are declared in spec.arguments and render as workflow.parameters', () => {
  const o = emit(pipeline('params', (p) => {
    const env = p.param('env', param.enum(['dev', 'prod'], { default: 'dev', description: 'Where to deploy.' }));
    p.param('sha', param.string());
    p.task('use', use.call({ value: env }));
  }));
  const spec = o['spec'] as Obj;
  assert.equal(spec['arguments'], { parameters: [{ name: 'env', value: 'dev', enum: ['dev', 'prod'], description: 'Where to deploy.' }, { name: 'sha' }] });
  assert.is((byName(tasks(o), 'use')['arguments'] as { parameters: Obj[] }).parameters[0]?.['value'], '{{workflow.parameters.env}}');
});

test('given `depends` built with and/or/not over results, then it renders Argo\'s syntax with the needed parentheses', () => {
  const o = emit(pipeline('deps', (p) => {
    const a = p.task('a', make);
    const b = p.task('b', make);
    const c = p.task('c', make);
    p.task('x', use.call({ value: 'v' }), { depends: and(or(a.succeeded, a.failed), not(b.errored), c.done) });
    p.task('y', use.call({ value: c.outputs.digest }), { depends: or(a.skipped, b.omitted) });
    const la = p.task('la', (i) => use.call({ value: i }), { withItems: ['1', '2'] });
    const lb = p.task('lb', (i) => use.call({ value: i }), { withItems: ['1', '2'] });
    p.task('z', use.call({ value: 'v' }), { depends: and(la.anySucceeded, lb.allFailed, not(or(c.daemoned, c.failed))) });
  }));
  assert.is(byName(tasks(o), 'x')['depends'], '(a.Succeeded || a.Failed) && !b.Errored && c');
  // the edge to c (read by an argument) is added to what the author wrote
  assert.is(byName(tasks(o), 'y')['depends'], '(a.Skipped || b.Omitted) && c.Succeeded');
  assert.is(byName(tasks(o), 'z')['depends'], 'la.AnySucceeded && lb.AllFailed && !(c.Daemoned || c.Failed)');
});

test('given `when` conditions from typed values, then they render as quoted comparisons and add edges', () => {
  const o = emit(pipeline('conds', (p) => {
    const a = p.task('a', make);
    const flag = p.param('go', param.boolean({ default: true }));
    const n = p.param('n', param.number({ default: 1 }));
    p.task('b', use.call({ value: 'v' }), { when: and(a.outputs.kind.eq('code'), or(flag, n.gt(2)), not(a.outputs.digest.ne(''))) });
  }));
  const b = byName(tasks(o), 'b');
  assert.is(b['when'], "'{{tasks.a.outputs.parameters.kind}}' == 'code' && ({{workflow.parameters.go}} == true || {{workflow.parameters.n}} > 2) && !('{{tasks.a.outputs.parameters.digest}}' != '')");
  assert.is(b['depends'], 'a.Succeeded', 'a bare "a" would also fire when a is Skipped, with no outputs to read');
});

test('given loops, then withItems / withParam / withSequence render with a typed item', () => {
  const o = emit(pipeline('loops', (p) => {
    const a = p.task('a', make);
    p.task('items', (item) => use.call({ value: item.get('region') }), { withItems: [{ region: 'eu' }, { region: 'us' }] });
    p.task('plain', (item) => use.call({ value: item }), { withItems: ['x', 'y'] });
    p.task('param', (item) => use.call({ value: item }), { withParam: a.outputs.digest as never });
    p.task('seq', (item) => use.call({ value: item }), { withSequence: { count: 3 } });
  }));
  const t = tasks(o);
  assert.equal(byName(t, 'items')['withItems'], [{ region: 'eu' }, { region: 'us' }]);
  assert.is((byName(t, 'items')['arguments'] as { parameters: Obj[] }).parameters[0]?.['value'], '{{item.region}}');
  assert.is((byName(t, 'plain')['arguments'] as { parameters: Obj[] }).parameters[0]?.['value'], '{{item}}');
  assert.is(byName(t, 'param')['withParam'], '{{tasks.a.outputs.parameters.digest}}');
  assert.is(byName(t, 'param')['depends'], 'a.Succeeded');
  assert.equal(byName(t, 'seq')['withSequence'], { count: 3 });
});

test('given continueOn on a task with edges, then it uses `dependencies` (Argo rejects continueOn with depends)', () => {
  const o = emit(pipeline('cont', (p) => {
    const a = p.task('a', make);
    p.task('b', use.call({ value: a.outputs.digest }), { continueOn: { failed: true } });
  }));
  const b = byName(tasks(o), 'b');
  assert.equal(b['dependencies'], ['a']);
  assert.equal(b['continueOn'], { failed: true });
  assert.is(b['depends'], undefined);
});

test('given continueOn on one task, then every inferred edge of that DAG is written as dependencies (Argo forbids continueOn in a DAG that uses depends)', () => {
  const o = emit(pipeline('cont-all', (p) => {
    const a = p.task('a', make, { continueOn: { failed: true } });
    p.task('b', use.call({ value: a.outputs.digest }));
  }));
  const b = byName(tasks(o), 'b');
  assert.equal(b['dependencies'], ['a']);
  assert.is(b['depends'], undefined);
});

test('given exit handlers and hooks, then templates are emitted once and referenced by name', () => {
  const notify = container('notify', { container: { image: 'curlimages/curl:8.10.1' } });
  const o = emit(pipeline('exits', (p) => {
    const a = p.task('a', make, {
      onExit: notify,
      hooks: { running: { template: notify, expression: 'node.status == "Running"' } },
    });
    p.task('b', use.call({ value: 'x' }), { hooks: { exit: { template: use.call({ value: a.outputs.digest }) } } });
    p.onExit(notify);
  }));
  const spec = o['spec'] as { onExit: string; templates: Obj[] };
  assert.is(spec.onExit, 'notify');
  assert.is(spec.templates.filter((t) => t['name'] === 'notify').length, 1);
  const a = byName(tasks(o), 'a');
  assert.is(a['onExit'], 'notify');
  assert.equal(a['hooks'], { running: { template: 'notify', expression: 'node.status == "Running"' } });
  const b = byName(tasks(o), 'b');
  assert.equal(b['hooks'], { exit: { template: 'use', arguments: { parameters: [{ name: 'value', value: '{{tasks.a.outputs.parameters.digest}}' }] } } });
  assert.is(b['depends'], 'a.Succeeded', 'a bare "a" would also fire when a is Skipped, with no outputs to read');
});

test('given a templateRef, then the task calls it with templateRef and it is not emitted', () => {
  const scan = templateRef({ name: 'security', template: 'trivy', clusterScope: true, inputs: { image: param.string() }, outputs: { report: output.path('/tmp/r') } });
  const r = synth([{ value: pipeline('refs', (p) => { p.task('scan', scan.call({ image: 'x' })); }), exportName: 'default', file: 't.ts' }], { externalTemplates: 'warn' });
  const o = r.files[0]?.object as Obj;
  const t = tasks(o)[0] as Obj;
  assert.equal(t['templateRef'], { name: 'security', template: 'trivy', clusterScope: true });
  assert.is((o['spec'] as { templates: Obj[] }).templates.length, 1);
});

test('given artifacts, then outputs and inputs are declared and passed with from', () => {
  const producer = container('produce', { outputs: { report: artifact({ path: '/tmp/report.json', archive: { none: {} } }) }, container: { image: 'alpine:3.20' } });
  const consumer = container('consume', {
    inputs: { report: artifact({ path: '/in/report.json' }), src: artifact({ path: '/src', git: { repo: 'https://github.com/acme/shop.git', revision: 'main' } }) },
    container: { image: 'alpine:3.20' },
  });
  const o = emit(pipeline('arts', (p) => {
    const a = p.task('a', producer);
    p.task('b', consumer.call({ report: a.outputs.report }));
  }));
  const b = byName(tasks(o), 'b');
  assert.equal(b['arguments'], { artifacts: [{ name: 'report', from: '{{tasks.a.outputs.artifacts.report}}' }] });
  assert.is(b['depends'], 'a.Succeeded', 'a bare "a" would also fire when a is Skipped, with no outputs to read');
  const templates = (o['spec'] as { templates: Obj[] }).templates;
  assert.equal(byName(templates, 'produce')['outputs'], { artifacts: [{ name: 'report', path: '/tmp/report.json', archive: { none: {} } }] });
  assert.equal((byName(templates, 'consume')['inputs'] as { artifacts: Obj[] }).artifacts[1], { name: 'src', path: '/src', git: { repo: 'https://github.com/acme/shop.git', revision: 'main' } });
});

test('given pipeline options, then WorkflowSpec fields and metadata are emitted, and with() returns a new frozen pipeline', () => {
  const base = pipeline('opts', { serviceAccountName: 'ci', labels: { team: 'shop' }, podGC: { strategy: 'OnPodSuccess' }, ttlStrategy: { secondsAfterCompletion: 600 }, parallelism: 3, priority: 5, archiveLogs: true, failFast: false }, (p) => {
    p.task('a', make);
  });
  const more = base.with({ synchronization: { mutexes: [{ name: 'deploy' }] }, annotations: { owner: 'platform' } });
  assert.ok(Object.isFrozen(base) && Object.isFrozen(more) && base !== more);
  const o1 = emit(base);
  const o2 = emit(more);
  const s1 = o1['spec'] as Obj;
  assert.is(s1['serviceAccountName'], 'ci');
  assert.equal(s1['podGC'], { strategy: 'OnPodSuccess' });
  assert.is(s1['synchronization'], undefined);
  assert.equal((o2['spec'] as Obj)['synchronization'], { mutexes: [{ name: 'deploy' }] });
  assert.equal(o2['metadata'], { name: 'opts', labels: { team: 'shop' }, annotations: { owner: 'platform' } });
  assert.equal(((s1['templates'] as Obj[])[0] as { dag: Obj }).dag['failFast'], false);
});

test('given a script template, then its source is emitted and result is usable', () => {
  const roll = script('roll', { script: { image: 'python:3.12-alpine', command: ['python'], source: 'import random\nprint(random.randint(1, 6))\n' } });
  const o = emit(pipeline('dice', (p) => {
    const r = p.task('roll', roll);
    p.task('show', use.call({ value: r.result }));
  }));
  const tpl = ((o['spec'] as { templates: Obj[] }).templates[1]) as { script: Obj };
  assert.is(tpl.script['source'], 'import random\nprint(random.randint(1, 6))\n');
  assert.is((byName(tasks(o), 'show')['arguments'] as { parameters: Obj[] }).parameters[0]?.['value'], '{{tasks.roll.outputs.result}}');
});

test('given workflow hooks and global variables, then hooks render with expressions and variables as {{workflow.…}}', () => {
  const o = emit(pipeline('hooks', (p) => {
    const a = p.task('a', make);
    p.hook('failed', { template: use.call({ value: text`${vars.workflowName} failed: ${vars.workflowFailures}` }), expression: vars.workflowStatus.eq('Failed') });
    p.onExit(use.call({ value: vars.workflowStatus }));
    void a;
  }));
  const spec = o['spec'] as Obj;
  assert.equal(spec['hooks'], {
    exit: { template: 'use', arguments: { parameters: [{ name: 'value', value: '{{workflow.status}}' }] } },
    failed: {
      template: 'use',
      arguments: { parameters: [{ name: 'value', value: '{{workflow.name}} failed: {{workflow.failures}}' }] },
      expression: 'workflow.status == "Failed"',
    },
  });
});

test('given hook conditions over task outputs and numbers, then they render in expr-lang', () => {
  const o = emit(pipeline('hook-expr', (p) => {
    const a = p.task('count-1', make);
    p.task('b', use.call({ value: 'x' }), { hooks: { many: { template: use.call({ value: 'many' }), expression: and(a.outputs.kind.eq('code'), not(vars.workflowDuration.gt(60))) } } });
  }));
  const b = byName(tasks(o), 'b') as { hooks: { many: Obj } };
  assert.is(b.hooks.many['expression'], 'tasks["count-1"].outputs.parameters.kind == "code" && !(asFloat(workflow.duration) > 60)');
});

test.run();
