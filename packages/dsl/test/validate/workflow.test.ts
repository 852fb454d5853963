import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResources } from '../../src/validate/index.js';
import { upstreamErrors } from './_support/upstream-schema.js';
import { codes, cronWorkflow, echo, lines, workflow, workflowTemplate } from './_support/objects.js';

test('given objects that are not Argo Workflows resources, then they are ignored', () => {
  assert.equal(validateResources([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor' }]), []);
});

test('given names over the limit (63, or 52 for a CronWorkflow), then ARG010', () => {
  const long = 'a'.repeat(64);
  assert.equal(lines(validateResources([workflowTemplate({ templates: [echo()] }, long)])), [
    `ARG010 metadata.name: WorkflowTemplate "${long}": metadata.name must be at most 63 characters, received 64`,
  ]);
  const cron = cronWorkflow({ schedules: ['0 * * * *'], workflowSpec: { entrypoint: 'echo', templates: [echo()] } }, 'c'.repeat(53));
  assert.equal(codes(validateResources([cron])), ['ARG010']);
});

test('given a WorkflowTemplate without a name, then ARG011 is an error; an unnamed Workflow only warns', () => {
  const d = validateResources([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: {}, spec: { templates: [echo()] } }]);
  assert.equal(d.map((x) => `${x.code} ${x.severity}`), ['ARG011 error']);
  const w = validateResources([workflow({ entrypoint: 'echo', templates: [echo()] }, {})]);
  assert.equal(w.map((x) => `${x.code} ${x.severity}`), ['ARG011 warning']);
});

test('given an entrypoint that names no template, or a Workflow without one, then ARG020', () => {
  assert.equal(lines(validateResources([workflowTemplate({ entrypoint: 'mian', templates: [echo('main')] })])), [
    'ARG020 spec.entrypoint: entrypoint "mian": expected the name of a template, received a name no template has',
  ]);
  assert.equal(codes(validateResources([workflow({ templates: [echo()] })])), ['ARG020']);
  assert.equal(codes(validateResources([workflowTemplate({ templates: [echo()] })])), []);
});

test('given a Workflow whose entrypoint needs an input its arguments do not give, then ARG065; a WorkflowTemplate is exempt', () => {
  const spec = { entrypoint: 'say', templates: [{ name: 'say', inputs: { parameters: [{ name: 'msg' }, { name: 'who', default: 'me' }] }, container: { image: 'a' } }] };
  assert.equal(lines(validateResources([workflow(spec)])), [
    'ARG065 spec.arguments: Workflow: inputs.parameters.msg was not supplied: entrypoint "say" requires parameter "msg", received no workflow argument for it',
  ]);
  assert.equal(codes(validateResources([workflow({ ...spec, arguments: { parameters: [{ name: 'msg', value: 'hi' }] } })])), []);
  assert.equal(codes(validateResources([workflowTemplate(spec)])), []);
});

test('given workflowTemplateRef with templates, then ARG021; an unknown target is ARG063 (error, or warning on request)', () => {
  const w = workflow({ workflowTemplateRef: { name: 'elsewhere' }, templates: [echo()] });
  assert.equal(codes(validateResources([w])), ['ARG021', 'ARG063']);
  assert.equal(validateResources([w], { externalTemplates: 'warn' }).map((d) => d.severity), ['error', 'warning']);
  const ok = workflow({ workflowTemplateRef: { name: 'wt' } });
  assert.equal(codes(validateResources([ok, workflowTemplate({ entrypoint: 'echo', templates: [echo()] })])), []);
});

test('given Workflow arguments without a value, or a valueFrom source only outputs may use, then ARG022 / ARG023', () => {
  const d = validateResources([workflow({ entrypoint: 'echo', arguments: { parameters: [{ name: 'a' }, { name: 'b', valueFrom: { path: '/x' } }] }, templates: [echo()] })]);
  assert.equal(lines(d), [
    'ARG022 spec.arguments.parameters[0]: Workflow argument "a": expected a value, received none',
    'ARG023 spec.arguments.parameters[1].valueFrom.path: Workflow argument "b": valueFrom must use one of configMapKeyRef, event, supplied, default, received "path"',
  ]);
  assert.equal(codes(validateResources([workflowTemplate({ arguments: { parameters: [{ name: 'a' }] }, templates: [echo()] })])), []);
});

test('given argument artifacts without a source, or with from and fromExpression, then ARG025', () => {
  const d = validateResources([workflowTemplate({ arguments: { artifacts: [{ name: 'a' }, { name: 'b', from: 'x', fromExpression: 'y' }] }, templates: [echo()] })]);
  assert.equal(codes(d), ['ARG025', 'ARG025']);
});

test('given onExit naming no template and a hook without expression, then ARG026 / ARG027', () => {
  const d = validateResources([workflowTemplate({ entrypoint: 'echo', onExit: 'cleanup', hooks: { exit: { template: 'echo' }, running: { template: 'echo' } }, templates: [echo()] })]);
  assert.equal(lines(d), [
    'ARG026 spec.onExit: onExit "cleanup": expected the name of a template, received a name no template has',
    'ARG027 spec.hooks.running: hook "running": expected an expression (only the "exit" hook runs without one), received none',
  ]);
});

test('given CronWorkflows, then schedules, timezone, policy, deadline and removed fields are checked (ARG030–035)', () => {
  const spec = { workflowSpec: { entrypoint: 'echo', templates: [echo()] } };
  assert.equal(codes(validateResources([cronWorkflow({ ...spec })])), ['ARG030']);
  assert.equal(lines(validateResources([cronWorkflow({ ...spec, schedules: ['0 25 * * *', '*/5 * * *', '@every 5m', '0 9 * * MON-FRI'] })])), [
    'ARG031 spec.schedules[0]: schedule "0 25 * * *": expected a standard cron expression, hour "25" is outside 0-23',
    'ARG031 spec.schedules[1]: schedule "*/5 * * *": expected a standard cron expression, expected 5 fields (minute hour day-of-month month day-of-week), received 4',
    'ARG031 spec.schedules[3]: schedule "0 9 * * MON-FRI": expected a standard cron expression, day of week "MON-FRI" uses names; Argo v4 accepts only digits and * , / ? -',
  ]);
  assert.equal(lines(validateResources([cronWorkflow({ ...spec, schedules: ['@daily'], timezone: 'Mars/Olympus', concurrencyPolicy: 'Sometimes', startingDeadlineSeconds: -1 })])), [
    'ARG032 spec.timezone: timezone "Mars/Olympus": expected an IANA time zone, received an unknown zone',
    'ARG033 spec.concurrencyPolicy: concurrencyPolicy "Sometimes": expected Allow, Forbid or Replace, received "Sometimes"',
    'ARG034 spec.startingDeadlineSeconds: CronWorkflow: startingDeadlineSeconds must be 0 or more, received -1',
  ]);
  assert.equal(codes(validateResources([cronWorkflow({ ...spec, schedule: '* * * * *' })])), ['ARG035', 'ARG030']);
  assert.equal(codes(validateResources([cronWorkflow({ ...spec, schedules: ['0 0 1 1,7 ?', '*/15 9-17 * * 1-5'], timezone: 'Europe/Berlin' })])), []);
  // Canonical names, and aliases Go's tzdata also resolves (not in Intl.supportedValuesOf's canonical list).
  for (const timezone of ['UTC', 'Etc/UTC', 'US/Eastern', 'Asia/Calcutta']) assert.equal(codes(validateResources([cronWorkflow({ ...spec, schedules: ['@daily'], timezone })])), [], timezone);
});

test('given v4-removed synchronization.mutex, then ARG035', () => {
  const d = validateResources([workflowTemplate({ synchronization: { mutex: { name: 'm' } }, templates: [echo()] })]);
  assert.equal(lines(d), ['ARG035 spec.synchronization.mutex: WorkflowTemplate: expected synchronization.mutexes (a list), received synchronization.mutex, which Argo v4 removed']);
});

test('given references, then template/templateRef exclusivity, targets and inputs are checked (ARG060–066)', () => {
  const lib = workflowTemplate({ templates: [{ name: 'greet', inputs: { parameters: [{ name: 'who' }, { name: 'greeting', default: 'hi' }] }, container: { image: 'a' } }] }, 'lib');
  const caller = workflowTemplate({ entrypoint: 'main', templates: [{ name: 'main', steps: [[
    { name: 'both', template: 'x', templateRef: { name: 'lib', template: 'greet' } },
    { name: 'neither' },
    { name: 'missing', template: 'nope' },
    { name: 'half', templateRef: { name: 'lib' } },
    { name: 'far', templateRef: { name: 'other-lib', template: 'x' } },
    { name: 'wrong', templateRef: { name: 'lib', template: 'gret' } },
    { name: 'unsupplied', templateRef: { name: 'lib', template: 'greet' } },
    { name: 'extra', templateRef: { name: 'lib', template: 'greet' }, arguments: { parameters: [{ name: 'who', value: 'me' }, { name: 'whom', value: 'you' }] } },
  ]] }] }, 'caller');
  assert.equal(lines(validateResources([lib, caller])), [
    'ARG060 spec.templates[0].steps[0][0]: step "both": expected exactly one of template and templateRef, received both',
    'ARG060 spec.templates[0].steps[0][1]: step "neither": expected exactly one of template and templateRef, received neither',
    'ARG061 spec.templates[0].steps[0][2].template: step "missing": template "nope" is not defined, expected one of "main"',
    'ARG062 spec.templates[0].steps[0][3].templateRef: step "half": templateRef needs name and template, received no template',
    'ARG063 spec.templates[0].steps[0][4].templateRef.name: step "far": template reference "other-lib/x" not found: no WorkflowTemplate named "other-lib" among the resources given',
    'ARG064 spec.templates[0].steps[0][5].templateRef.template: step "wrong": template reference "lib/gret" not found: WorkflowTemplate "lib" has no template "gret"',
    'ARG065 spec.templates[0].steps[0][6].arguments: step "unsupplied": inputs.parameters.who was not supplied: template "lib/greet" requires parameter "who", received no argument for it',
    'ARG066 spec.templates[0].steps[0][7].arguments.parameters[1].name: step "extra": argument "whom" is not declared by template "lib/greet", which takes "who", "greeting"',
  ]);
});

test('given schema violations, then one readable diagnostic each, at the path the upstream schema reports too', () => {
  const bad = workflowTemplate({ templates: [
    { name: 'a', container: { image: 'x', ports: [{ containerPort: 'http' }] }, retryStrategy: { limit: 2 } },
    { name: 'b', dag: { tasks: [{ name: 't', template: 'a', depends: 3 }] } },
    { name: 'c', container: { image: 'x', env: [{ value: 'v' }] } },
  ] });
  const d = validateResources([bad]).filter((x) => ['ARG001', 'ARG002', 'ARG003', 'ARG004'].includes(x.code));
  assert.equal(lines(d), [
    'ARG001 spec.templates[0].container.ports[0].containerPort: "spec.templates[0].container.ports[0].containerPort": expected integer, received string "http"',
    'ARG001 spec.templates[1].dag.tasks[0].depends: "spec.templates[1].dag.tasks[0].depends": expected string, received number 3',
    'ARG002 spec.templates[2].container.env[0].name: "spec.templates[2].container.env[0]": expected the required field "name", received none',
  ]);
  const upstream = upstreamErrors(bad).map((e) => e.instancePath);
  for (const p of ['/spec/templates/0/container/ports/0/containerPort', '/spec/templates/1/dag/tasks/0/depends', '/spec/templates/2/container/env/0']) {
    assert.ok(upstream.includes(p), `upstream schema also reports ${p}: ${upstream.join(', ')}`);
  }
});

test.run();
