import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResources } from '../../src/validate/index.js';
import { codes, echo, lines, workflowTemplate, type Json } from './_support/objects.js';

const one = (template: Json, spec: Json = {}): Json => workflowTemplate({ entrypoint: String(template['name']), templates: [template], ...spec });

test('given a template with no type or two types, then ARG040', () => {
  assert.equal(lines(validateResources([one({ name: 'x' })])), ['ARG040 spec.templates[0]: template "x": expected exactly one template type, received none']);
  assert.equal(lines(validateResources([one({ name: 'x', container: { image: 'a' }, script: { image: 'a', source: 'x' } })])), [
    'ARG040 spec.templates[0].script: template "x": expected exactly one template type, received container, script',
  ]);
});

test('given leaf-only fields on steps / dag templates, then ARG041; parallelism on a leaf, ARG042', () => {
  const d = validateResources([workflowTemplate({ entrypoint: 's', templates: [
    { name: 's', activeDeadlineSeconds: 10, timeout: '1m', steps: [[{ name: 'a', template: 'e' }]] },
    echo('e', { parallelism: 2 }),
  ] })]);
  assert.equal(lines(d), [
    'ARG041 spec.templates[0].activeDeadlineSeconds: template "s": activeDeadlineSeconds is only valid on leaf templates, received it on a steps template',
    'ARG041 spec.templates[0].timeout: template "s": timeout is only valid on leaf templates, received it on a steps template',
    'ARG042 spec.templates[1].parallelism: template "e": parallelism is only valid on steps and dag templates, received it on a container template',
  ]);
});

test('given a bare-integer timeout or a non-positive activeDeadlineSeconds, then ARG043', () => {
  const d = validateResources([one(echo('e', { timeout: '30', activeDeadlineSeconds: 0 }))]);
  assert.equal(lines(d), [
    'ARG043 spec.templates[0].timeout: template "e": timeout must be a duration such as "30s" or "1h", received "30"',
    'ARG043 spec.templates[0].activeDeadlineSeconds: template "e": activeDeadlineSeconds must be a positive integer or an Argo variable, received 0',
  ]);
  assert.equal(codes(validateResources([one(echo('e', { timeout: '1h30m', activeDeadlineSeconds: '{{inputs.parameters.t}}', inputs: { parameters: [{ name: 't' }] } }))])), []);
});

test('given an unknown retryPolicy, then ARG044 (the schema does not echo it)', () => {
  assert.equal(codes(validateResources([one(echo('e', { retryStrategy: { retryPolicy: 'Sometimes' } }))])), ['ARG044']);
});

test('given a container without image, then ARG045 unless templateDefaults gives one', () => {
  const tmpl = { name: 'c', container: { command: ['true'] } };
  assert.equal(codes(validateResources([one(tmpl)])), ['ARG045']);
  assert.equal(codes(validateResources([one(tmpl, { templateDefaults: { container: { image: 'alpine' } } })])), []);
});

test('given a mount path used twice, or an input artifact at a mounted path, then ARG046', () => {
  const d = validateResources([one({
    name: 'c',
    inputs: { artifacts: [{ name: 'src', path: '/work', git: { repo: 'https://example.com/r.git' } }] },
    container: { image: 'a', volumeMounts: [{ name: 'v1', mountPath: '/work' }, { name: 'v2', mountPath: '/work' }] },
  })]);
  assert.equal(codes(d), ['ARG046', 'ARG046']);
  assert.ok(d[1]?.message.includes('input artifact path "/work" must not collide with a volume mount'));
});

test('given a sidecar named "wait", then ARG047', () => {
  const d = validateResources([one(echo('e', { sidecars: [{ name: 'wait', image: 'nginx' }] }))]);
  assert.equal(lines(d), ['ARG047 spec.templates[0].sidecars[0].name: template "e": sidecars name must not be one of Argo\'s reserved names (main, wait, init), received "wait"']);
});

test('given input artifacts without path on a leaf, or with a path on a dag, then ARG048', () => {
  const d = validateResources([workflowTemplate({ templates: [
    echo('e', { inputs: { artifacts: [{ name: 'a', raw: { data: 'x' } }] } }),
    { name: 'd', inputs: { artifacts: [{ name: 'a', path: '/a' }] }, dag: { tasks: [{ name: 't', template: 'e', arguments: { artifacts: [{ name: 'a', from: '{{inputs.artifacts.a}}' }] } }] } },
  ] })]);
  assert.equal(codes(d), ['ARG048', 'ARG048']);
});

test('given resource templates, then action, manifest xor manifestFrom and manifest YAML are checked', () => {
  const r = (resource: Json): Json => one({ name: 'r', resource });
  assert.equal(codes(validateResources([r({ action: 'upsert', manifest: 'a: 1' })])), ['ARG050']);
  assert.equal(codes(validateResources([r({ action: 'apply' })])), ['ARG051']);
  assert.equal(codes(validateResources([r({ action: 'apply', manifest: 'a: 1', manifestFrom: { artifact: { name: 'm' } } })])), ['ARG051']);
  assert.equal(codes(validateResources([r({ action: 'delete', flags: ['job', 'x'] })])), []);
  assert.equal(codes(validateResources([r({ action: 'create', manifest: 'kind: Job\nmetadata: {name: {{=sprig.lower("X")}}}\n' })])), []);
  const bad = validateResources([r({ action: 'create', manifest: 'kind: Job\n  metadata: [\n' })]);
  assert.equal(codes(bad), ['ARG052']);
  assert.ok(bad[0]?.message.startsWith('template "r": resource.manifest must be valid YAML, received YAML that does not parse ('));
});

test('given output parameters, then value xor valueFrom, one source, the right source per type (ARG055–057)', () => {
  const d = validateResources([workflowTemplate({ templates: [
    echo('a', { outputs: { parameters: [{ name: 'x' }, { name: 'y', value: '1', valueFrom: { path: '/y' } }] } }),
    echo('b', { outputs: { parameters: [{ name: 'x', valueFrom: { path: '/x', jsonPath: '{.a}' } }] } }),
    echo('c', { outputs: { parameters: [{ name: 'x', valueFrom: { jqFilter: '.' } }] } }),
    { name: 'd', steps: [[{ name: 's', template: 'a' }]], outputs: { parameters: [{ name: 'x', valueFrom: { path: '/x' } }] } },
    { name: 'e', resource: { action: 'get', flags: ['pod'] }, outputs: { parameters: [{ name: 'x', valueFrom: { path: '/x' } }] } },
  ] })]);
  assert.equal(lines(d), [
    'ARG055 spec.templates[0].outputs.parameters[0]: template "a": output parameter "x" needs exactly one of value and valueFrom, received neither',
    'ARG055 spec.templates[0].outputs.parameters[1]: template "a": output parameter "y" needs exactly one of value and valueFrom, received both',
    'ARG056 spec.templates[1].outputs.parameters[0].valueFrom: template "b": output parameter "x" valueFrom needs exactly one source, received path, jsonPath',
    'ARG057 spec.templates[2].outputs.parameters[0].valueFrom: template "c": output parameter "x" of a container template needs valueFrom.path, received valueFrom.jqFilter',
    'ARG057 spec.templates[3].outputs.parameters[0].valueFrom: template "d": output parameter "x" of a steps template needs valueFrom.parameter or expression, received valueFrom.path',
    'ARG057 spec.templates[4].outputs.parameters[0].valueFrom: template "e": output parameter "x" of a resource template needs valueFrom.jqFilter or jsonPath, received valueFrom.path',
  ]);
});

test('given containerSets, then containers, unique names, dependencies and the main container are checked (ARG058)', () => {
  const cs = (containers: Json[], extra: Json = {}): Json => one({ name: 'cs', containerSet: { containers }, ...extra });
  assert.equal(codes(validateResources([cs([])])), ['ARG058']);
  assert.equal(codes(validateResources([cs([{ name: 'a', image: 'x' }, { name: 'a', image: 'x' }])])), ['ARG015']);
  assert.equal(codes(validateResources([cs([{ name: 'a', image: 'x', dependencies: ['b'] }])])), ['ARG058']);
  const noMain = validateResources([cs([{ name: 'a', image: 'x' }], { outputs: { parameters: [{ name: 'o', valueFrom: { path: '/o' } }] } })]);
  assert.equal(lines(noMain), ['ARG058 spec.templates[0].containerSet.containers: template "cs": a containerSet with outputs needs a container named "main", received "a"']);
});

test('given invalid and duplicate template / parameter names, then ARG012, ARG013, ARG016, ARG017', () => {
  const d = validateResources([workflowTemplate({ templates: [
    echo('Bad_Name'), echo('dup'), echo('dup', { inputs: { parameters: [{ name: 'a b' }, { name: 'p' }, { name: 'p' }] } }),
  ] })]);
  assert.equal(codes(d), ['ARG012', 'ARG013', 'ARG016', 'ARG017']);
});

test('given an enum that is empty or misses the value, then ARG024', () => {
  const d = validateResources([workflowTemplate({ arguments: { parameters: [{ name: 'env', value: 'prod', enum: ['dev', 'staging'] }, { name: 'e', enum: [] }] }, templates: [echo()] })]);
  assert.equal(lines(d), [
    'ARG024 spec.arguments.parameters[0].value: WorkflowTemplate argument "env": value must be one of the enum ["dev","staging"], received "prod"',
    'ARG024 spec.arguments.parameters[1].enum: WorkflowTemplate argument "e": enum must contain at least one value, received an empty list',
  ]);
});

test('given an inline template, then it is checked like any template, named after its step', () => {
  const d = validateResources([workflowTemplate({ entrypoint: 'main', templates: [{ name: 'main', steps: [[{ name: 'quick', inline: { container: { command: ['true'] }, parallelism: 2 } }]] }] })]);
  assert.equal(lines(d), [
    'ARG042 spec.templates[0].steps[0][0].inline.parallelism: template "quick": parallelism is only valid on steps and dag templates, received it on a container template',
    'ARG045 spec.templates[0].steps[0][0].inline.container.image: template "quick": container.image must not be empty, received nothing',
  ]);
});

test.run();
