import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResources } from '../../src/validate/index.js';
import { codes, echo, lines, workflowTemplate, type Json } from './_support/objects.js';

const dag = (tasks: Json[], extra: Json = {}): Json =>
  workflowTemplate({ entrypoint: 'main', templates: [{ name: 'main', dag: { tasks, ...extra } }, echo()] });

test('given a valid diamond DAG, then there are no diagnostics', () => {
  const d = validateResources([dag([
    { name: 'a', template: 'echo' },
    { name: 'b', template: 'echo', depends: 'a' },
    { name: 'c', template: 'echo', depends: 'a.Succeeded || a.Failed' },
    { name: 'd', template: 'echo', depends: '(b && c) || !a.Skipped' },
  ])]);
  assert.equal(lines(d), []);
});

test('given a DAG without tasks, then ARG080', () => {
  assert.equal(lines(validateResources([dag([])])), [
    'ARG080 spec.templates[0].dag.tasks: template "main": a dag needs at least one task, received none',
  ]);
});

test('given a task with both depends and dependencies, then ARG081', () => {
  const d = validateResources([dag([{ name: 'a', template: 'echo' }, { name: 'b', template: 'echo', depends: 'a', dependencies: ['a'] }])]);
  assert.equal(lines(d), ['ARG081 spec.templates[0].dag.tasks[1].dependencies: task "b": template "main" cannot use both depends and dependencies, received dependencies']);
});

// Argo validateDAG: `usingDepends` is set when any task of the DAG has a non-empty depends; then
// "templates.main cannot use both 'depends' and 'dependencies' in the same DAG template" and
// "templates.main cannot use 'continueOn' when using 'depends'" apply to every task.
test('given depends on one task and dependencies or continueOn on another of the same DAG, then ARG081 and ARG082 (Argo judges the whole DAG)', () => {
  const d = validateResources([dag([
    { name: 'a', template: 'echo', continueOn: { failed: true } },
    { name: 'b', template: 'echo', dependencies: ['a'] },
    { name: 'c', template: 'echo', depends: 'b' },
  ])]);
  assert.equal(codes(d), ['ARG082', 'ARG081']);
  assert.match(d[0]?.message ?? '', /task "c" of this DAG uses depends/);
});

test('given dependencies and continueOn in a DAG where no task uses depends, then no diagnostic, and a task name may start with a digit', () => {
  const d = validateResources([dag([
    { name: '1a', template: 'echo', continueOn: { failed: true } },
    { name: 'b', template: 'echo', dependencies: ['1a'] },
    { name: 'c', template: 'echo', depends: '' },
  ])]);
  assert.equal(lines(d), []);
});

test('given continueOn with depends, then ARG082', () => {
  const d = validateResources([dag([{ name: 'a', template: 'echo' }, { name: 'b', template: 'echo', depends: 'a', continueOn: { failed: true } }])]);
  assert.equal(codes(d), ['ARG082']);
});

test('given a dependency on a task that does not exist (dependencies and depends), then ARG083 for each', () => {
  const d = validateResources([dag([
    { name: 'a', template: 'echo', dependencies: ['nope'] },
    { name: 'b', template: 'echo', depends: 'a && ghost.Failed' },
  ])]);
  assert.equal(lines(d), [
    'ARG081 spec.templates[0].dag.tasks[0].dependencies: task "a": template "main" cannot use both depends and dependencies, received dependencies (task "b" of this DAG uses depends, and Argo then forbids it on every task)',
    'ARG083 spec.templates[0].dag.tasks[0].dependencies[0]: task "a": dependency "nope" must name a task of template "main", received an unknown name',
    'ARG083 spec.templates[0].dag.tasks[1].depends: task "b": depends names task "ghost", which template "main" does not have',
  ]);
});

test('given an unknown result, or AnySucceeded on a task without a loop, then ARG084', () => {
  const d = validateResources([dag([
    { name: 'a', template: 'echo' },
    { name: 'b', template: 'echo', depends: 'a.Suceeded' },
    { name: 'c', template: 'echo', depends: 'a.AnySucceeded' },
    { name: 'loop', template: 'echo', withItems: [1, 2] },
    { name: 'e', template: 'echo', depends: 'loop.AllFailed' },
  ])]);
  assert.equal(lines(d), [
    'ARG084 spec.templates[0].dag.tasks[1].depends: task "b": "a.Suceeded" must use one of Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed, received "Suceeded"',
    'ARG084 spec.templates[0].dag.tasks[2].depends: task "c": "a.AnySucceeded" is only valid for a task with withItems, withParam or withSequence, received it for a task without a loop',
  ]);
});

test('given a dependency cycle, then ARG085 names the cycle', () => {
  const d = validateResources([dag([
    { name: 'a', template: 'echo', depends: 'c' },
    { name: 'b', template: 'echo', depends: 'a' },
    { name: 'c', template: 'echo', depends: 'b' },
  ])]);
  assert.equal(lines(d), ['ARG085 spec.templates[0].dag.tasks[0]: template "main": expected an acyclic graph, received the dependency cycle "a" → "c" → "b" → "a"']);
});

test('given a target naming no task, then ARG086; a templated target is not checked', () => {
  assert.equal(codes(validateResources([dag([{ name: 'a', template: 'echo' }], { target: 'a zz' })])), ['ARG086']);
  assert.equal(codes(validateResources([dag([{ name: 'a', template: 'echo' }], { target: '{{workflow.parameters.t}}' })])), ['ARG090']);
});

test('given a digit-leading task name in a DAG that uses depends, then ARG087; without depends it is fine', () => {
  assert.equal(codes(validateResources([dag([{ name: '1st', template: 'echo' }, { name: 'b', template: 'echo', depends: '1st' }])])), ['ARG087']);
  assert.equal(codes(validateResources([dag([{ name: '1st', template: 'echo' }])])), []);
});

test('given a depends expression that does not parse, then ARG088 says where', () => {
  const d = validateResources([dag([{ name: 'a', template: 'echo' }, { name: 'b', template: 'echo', depends: 'a &&' }, { name: 'c', template: 'echo', depends: '(a || b' }])]);
  assert.equal(lines(d), [
    'ARG088 spec.templates[0].dag.tasks[1].depends: task "b": depends "a &&" does not parse: expected a task name, "!" or "(", received the end of the expression',
    'ARG088 spec.templates[0].dag.tasks[2].depends: task "c": depends "(a || b" does not parse: expected ")", received the end of the expression',
  ]);
});

test('given duplicate or invalid task names, then ARG015 / ARG014', () => {
  const d = validateResources([dag([{ name: 'a', template: 'echo' }, { name: 'a', template: 'echo' }, { name: 'b_c', template: 'echo' }])]);
  assert.equal(codes(d), ['ARG015', 'ARG014']);
});

test('given a when that does not parse, then ARG091; Argo-style bare words are fine', () => {
  const ok = validateResources([dag([{ name: 'a', template: 'echo' }, { name: 'b', template: 'echo', depends: 'a', when: "{{tasks.a.outputs.result}} == heads && ('x' != y || 2 > 1)" }])]);
  assert.equal(lines(ok), []);
  const bad = validateResources([dag([{ name: 'a', template: 'echo' }, { name: 'b', template: 'echo', depends: 'a', when: '{{tasks.a.outputs.result}} == == heads' }])]);
  assert.equal(lines(bad), ['ARG091 spec.templates[0].dag.tasks[1].when: task "b": when "{{tasks.a.outputs.result}} == == heads" does not parse: expected a value but found "==" at column 31']);
});

test.run();
