// Builders are immutable (every call returns a new frozen object), lower to frozen IR with a `kind`, and
// record where the author called them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { container, output, param, pipeline, stepsTemplate, suspend, workflowTemplate } from '@argots/dsl';

const line = (): number => Number(/:(\d+):\d+\)?$/.exec(new Error().stack?.split('\n')[2] ?? '')?.[1]);

function deepFrozen(value: unknown, path = '$', seen = new Set<unknown>()): string[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return [];
  seen.add(value);
  const out = Object.isFrozen(value) ? [] : [path];
  for (const [k, v] of Object.entries(value)) {
    if (k === 'source') continue; // source references resolve lazily
    out.push(...deepFrozen(v, `${path}.${k}`, seen));
  }
  return out;
}

test('given a template, when with() and named() are called, then new frozen templates are returned and the original is unchanged', () => {
  const a = container('a', { inputs: { x: param.string() }, outputs: { y: output.path('/tmp/y') }, container: (i) => ({ image: 'alpine:3.20', args: [i.x] }) });
  const b = a.with({ retryStrategy: { limit: 1 } });
  const c = b.named('c');
  assert.ok(a !== b && b !== c);
  assert.equal(a.ir.fields, {});
  assert.equal(b.ir.fields, { retryStrategy: { limit: 1 } });
  assert.is(c.name, 'c');
  assert.is(a.ir.kind, 'template');
  assert.equal(deepFrozen(c.ir), []);
  assert.ok(Object.isFrozen(a) && Object.isFrozen(b) && Object.isFrozen(c));
  assert.throws(() => {
    (a.ir.fields as Record<string, unknown>)['x'] = 1;
  });
});

test('given a pipeline, then its IR is deeply frozen plain data with kinds', () => {
  const p = pipeline('frozen', (q) => {
    const gate = q.task('gate', suspend('gate'));
    q.task('after', container('after', { container: { image: 'alpine:3.20' } }), { depends: gate.succeeded });
  });
  assert.is(p.ir.kind, 'workflow-resource');
  assert.is(p.ir.spec.kind, 'workflow-spec');
  assert.is(p.ir.spec.entrypoint?.kind, 'template');
  assert.equal(deepFrozen(p.ir), []);
  const q = p.with({ serviceAccountName: 'ci' });
  assert.ok(q !== p && Object.isFrozen(q));
  assert.equal(p.ir.spec.fields, {});
});

test('given builder calls, then each records the author\'s file and line', () => {
  const expectedTemplate = line() + 1;
  const t = container('where', { container: { image: 'alpine:3.20' } });
  assert.is(t.ir.source.resolve()?.line, expectedTemplate);
  assert.ok(t.ir.source.resolve()?.file.endsWith('builders-immutable.test.ts'));
  let taskLine = 0;
  const expectedSteps = line() + 1;
  const s = stepsTemplate('steps', {}, (st) => {
    taskLine = line() + 1;
    st.step('one', t);
  });
  assert.is(s.ir.source.resolve()?.line, expectedSteps);
  const body = s.ir.body;
  assert.ok(body.kind === 'steps');
  if (body.kind === 'steps') assert.is(body.groups[0]?.[0]?.source.resolve()?.line, taskLine);
  const expectedWorkflow = line() + 1;
  const w = workflowTemplate('where', { entrypoint: s });
  assert.is(w.ir.source.resolve()?.line, expectedWorkflow);
});

test('given a task option that is not a template, then the error names the task', () => {
  const p = pipeline('not-a-template', (q) => {
    q.task('bad', { nope: true } as never);
  });
  assert.is(p.problems[0]?.code, 'ARG209');
  assert.match(p.problems[0]?.message ?? '', /"bad": expected a template or a template call/);
});

test.run();
