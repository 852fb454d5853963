import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResources } from '../../src/validate/index.js';
import { codes, echo, lines, workflowTemplate, type Json } from './_support/objects.js';

const say: Json = {
  name: 'say',
  inputs: { parameters: [{ name: 'msg' }] },
  outputs: { parameters: [{ name: 'out', valueFrom: { path: '/tmp/out' } }] },
  container: { image: 'alpine:3.20', args: ['{{inputs.parameters.msg}}'] },
};
const steps = (groups: Json[][], extra: Json = {}): Json =>
  workflowTemplate({ entrypoint: 'main', arguments: { parameters: [{ name: 'p', value: 'x' }] }, templates: [{ name: 'main', steps: groups, ...extra }, say, echo()] });
const arg = (value: string): Json => ({ arguments: { parameters: [{ name: 'msg', value }] } });

test('given steps that pass outputs of earlier groups, globals and items, then there are no diagnostics', () => {
  const d = validateResources([steps([
    [{ name: 'a', template: 'say', ...arg('{{workflow.parameters.p}} {{workflow.name}}') }],
    [{ name: 'b', template: 'say', ...arg('{{steps.a.outputs.parameters.out}} {{steps.a.status}}'), withItems: [{ k: 1 }], when: '{{item.k}} > 0' }],
    [{ name: 'c', template: 'say', ...arg('{{item}}'), withParam: '{{steps.b.outputs.parameters}}' }],
  ])]);
  assert.equal(lines(d), []);
});

test('given a step that reads a step of its own or a later group, then ARG072', () => {
  const d = validateResources([steps([
    [{ name: 'a', template: 'say', ...arg('{{steps.b.outputs.result}}') }, { name: 'b', template: 'say', ...arg('x') }],
  ])]);
  assert.equal(lines(d), [
    'ARG072 spec.templates[0].steps[0][0].arguments.parameters[0].value: template "main": "{{steps.b.outputs.result}}" cannot be resolved: step "b" is in this or a later step group',
  ]);
});

test('given duplicate step names across groups, more than one loop, count with end, then ARG015, ARG070, ARG071', () => {
  const d = validateResources([steps([
    [{ name: 'a', template: 'echo' }],
    [{ name: 'a', template: 'echo', withItems: [1], withParam: '[1]' }, { name: 'c', template: 'echo', withSequence: { count: '2', end: '3' } }],
  ])]);
  assert.equal(codes(d), ['ARG015', 'ARG070', 'ARG071']);
});

test('given an undeclared workflow parameter, an unknown input, item outside a loop, then ARG090 each', () => {
  const d = validateResources([steps([[{ name: 'a', template: 'say', ...arg('{{workflow.parameters.nope}} {{inputs.parameters.x}} {{item}}') }]])]);
  assert.equal(lines(d), [
    'ARG090 spec.templates[0].steps[0][0].arguments.parameters[0].value: template "main": "{{workflow.parameters.nope}}" cannot be resolved: workflow parameter "nope" is not declared in spec.arguments.parameters',
    'ARG090 spec.templates[0].steps[0][0].arguments.parameters[0].value: template "main": "{{inputs.parameters.x}}" cannot be resolved: "inputs.parameters.x" is not an input of this template',
    'ARG090 spec.templates[0].steps[0][0].arguments.parameters[0].value: template "main": "{{item}}" cannot be resolved: "item" is only set inside a loop',
  ]);
});

test('given an output parameter the called template does not declare, then ARG090 lists the declared ones', () => {
  const d = validateResources([steps([[{ name: 'a', template: 'say', ...arg('x') }], [{ name: 'b', template: 'say', ...arg('{{steps.a.outputs.parameters.digest}}') }]])]);
  assert.equal(d[0]?.message, 'template "main": "{{steps.a.outputs.parameters.digest}}" cannot be resolved: step "a" has no output parameter "digest"');
  assert.equal(d[0]?.hint, 'declared: "out"');
});

test('given withItems of maps, then item.<key> must be a key of the items', () => {
  const d = validateResources([steps([[{ name: 'a', template: 'say', ...arg('{{item.image}} {{item.tag}}'), withItems: [{ image: 'debian' }] }]])]);
  assert.equal(lines(d), ['ARG090 spec.templates[0].steps[0][0].arguments.parameters[0].value: template "main": "{{item.tag}}" cannot be resolved: withItems entries have no key "tag"']);
});

test('given {{retries}} without a retryStrategy, then ARG090; with one it resolves', () => {
  const tmpl = (retry: boolean): Json => workflowTemplate({ templates: [{ name: 'r', ...(retry ? { retryStrategy: { limit: 2 } } : {}), container: { image: 'a', args: ['{{retries}}'] } }] });
  assert.equal(codes(validateResources([tmpl(false)])), ['ARG090']);
  assert.equal(codes(validateResources([tmpl(true)])), []);
});

test('given {{= }} expressions, then they must parse and read only variables in scope (beyond Argo)', () => {
  const d = validateResources([workflowTemplate({ templates: [{
    name: 'e', inputs: { parameters: [{ name: 'n' }] },
    container: { image: 'a', args: ["{{=asInt(inputs.parameters.n) + 1}}", "{{=inputs.parameters['m']}}", '{{=sprig.upper(inputs.parameters.n}}'] },
  }] })]);
  assert.equal(lines(d), [
    'ARG092 spec.templates[0].container.args[1]: template "e": expression "{{=inputs.parameters[\'m\']}}" reads "inputs.parameters.m", which is not in scope: "inputs.parameters.m" is not an input of this template',
    'ARG092 spec.templates[0].container.args[2]: template "e": expression "{{=sprig.upper(inputs.parameters.n}}" does not parse: expected ")" before the end of the expression',
  ]);
});

test('given a DAG, then tasks.X anywhere (mid-string, when, expressions) must be upstream: ARG089', () => {
  const d = validateResources([workflowTemplate({ templates: [{ name: 'main', dag: { tasks: [
    { name: 'a', template: 'say', arguments: { parameters: [{ name: 'msg', value: 'x' }] } },
    { name: 'b', template: 'say', arguments: { parameters: [{ name: 'msg', value: 'see {{tasks.a.outputs.parameters.out}}' }] } },
    { name: 'c', template: 'say', depends: 'a', when: "{{=tasks['b'].status == 'Succeeded'}}", arguments: { parameters: [{ name: 'msg', value: '{{tasks.a.outputs.parameters.out}}' }] } },
  ] } }, say] })]);
  assert.equal(lines(d), [
    'ARG089 spec.templates[0].dag.tasks[1].arguments.parameters[0].value: template "main": "{{tasks.a.outputs.parameters.out}}" cannot be resolved: task "a" is not upstream of this task',
    'ARG089 spec.templates[0].dag.tasks[2].when: template "main": expression "{{=tasks[\'b\'].status == \'Succeeded\'}}" reads "tasks.b.status", which is not in scope: task "b" is not upstream of this task',
  ]);
});

test('given a dag template output, then every task of the dag is in scope there', () => {
  const d = validateResources([workflowTemplate({ templates: [{
    name: 'main',
    dag: { tasks: [{ name: 'a', template: 'say', arguments: { parameters: [{ name: 'msg', value: 'x' }] } }] },
    outputs: { parameters: [{ name: 'o', valueFrom: { parameter: '{{tasks.a.outputs.parameters.out}}' } }] },
  }, say] })]);
  assert.equal(lines(d), []);
});

test('given workflow.failures outside any exit handler, then ARG090; with an onExit it resolves', () => {
  const wt = (onExit: boolean): Json => workflowTemplate({ entrypoint: 'x', ...(onExit ? { onExit: 'x' } : {}), templates: [{ name: 'x', container: { image: 'a', args: ['{{workflow.failures}}'] } }] });
  assert.equal(codes(validateResources([wt(false)])), ['ARG090']);
  assert.equal(codes(validateResources([wt(true)])), []);
});

test('given lifecycle hook expressions, then they must parse and name steps that exist (beyond Argo)', () => {
  const d = validateResources([steps([[{
    name: 'a', template: 'echo',
    hooks: {
      running: { template: 'echo', expression: 'steps["a"].status == "Running"' },
      typo: { template: 'echo', expression: 'steps["b"].status == "Running"' },
      broken: { template: 'echo', expression: 'steps.a.status == ("Running"' },
    },
  }]])]);
  assert.equal(lines(d), [
    'ARG092 spec.templates[0].steps[0][0].hooks.typo.expression: step "a": hook "typo" expression reads "steps.b.status", which is not in scope: no step "b" exists in this template',
    'ARG092 spec.templates[0].steps[0][0].hooks.broken.expression: step "a": hook "broken" expression "steps.a.status == ("Running"" does not parse: expected ")" before the end of the expression',
  ]);
});

test.run();
