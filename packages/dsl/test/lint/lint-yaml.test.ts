import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { lintYaml } from '../../src/lint/index.js';
import { validateResources } from '../../src/validate/index.js';

const lib = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lib
spec:
  templates:
    - name: greet
      inputs:
        parameters:
          - name: who
      container:
        image: alpine:3.20
        args: ["hello {{inputs.parameters.who}}"]
`;

const caller = `# a comment first
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: a
            templateRef: {name: lib, template: greet}
            arguments:
              parameters: [{name: who, value: world}]
          - name: b
            depends: "a && c"
            templateRef: {name: lib, template: greet}
            arguments:
              parameters: [{name: who, value: "{{tasks.a.outputs.result}}"}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-argo
---
apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: on-push
`;

test('given two files, then templateRefs resolve across them and diagnostics point at file:line:column of the node', () => {
  const { diagnostics } = lintYaml([{ path: 'lib.yaml', content: lib }, { path: 'flow.yaml', content: caller }], { eventResources: false });
  assert.equal(diagnostics.map((d) => `${d.code} ${d.source?.file}:${d.source?.line}:${d.source?.column} ${d.path}`), [
    'ARG083 flow.yaml:17:13 spec.templates[0].dag.tasks[1].depends',
  ]);
});

test('given the caller alone, then its templateRefs fail (as in Argo) or only warn on request', () => {
  const alone = lintYaml([{ path: 'flow.yaml', content: caller }], { eventResources: false });
  assert.equal(alone.diagnostics.filter((d) => d.code === 'ARG063').map((d) => d.severity), ['error', 'error']);
  const warned = lintYaml([{ path: 'flow.yaml', content: caller }], { externalTemplates: 'warn', eventResources: false });
  assert.equal(warned.diagnostics.filter((d) => d.code === 'ARG063').map((d) => `${d.severity} ${d.source?.line}:${d.source?.column}`), ['warning 13:27', 'warning 18:27']);
});

test('given non-Argo documents, and Sensors with event validation turned off, then they are passed over and reported in skipped', () => {
  const { skipped } = lintYaml([{ path: 'flow.yaml', content: caller }], { externalTemplates: 'warn', eventResources: false });
  assert.equal(skipped, [
    { file: 'flow.yaml', document: 1, kind: 'v1/ConfigMap' },
    { file: 'flow.yaml', document: 2, kind: 'argoproj.io/v1alpha1/Sensor' },
  ]);
});

test('by default, Sensor documents are validated by the events validator, not skipped', () => {
  const { skipped } = lintYaml([{ path: 'flow.yaml', content: caller }], { externalTemplates: 'warn' });
  assert.equal(skipped.map((s) => s.kind), ['v1/ConfigMap']);
});

test('given an event validator plugged in, then Sensor documents go to it with a locate into the YAML', () => {
  const seen: string[] = [];
  const { diagnostics, skipped } = lintYaml([{ path: 'flow.yaml', content: caller }], {
    externalTemplates: 'warn',
    eventResources: (objects, { locate }) => {
      for (const o of objects) seen.push(String(o['kind']));
      const at = locate(0, ['metadata', 'name']);
      return at ? [{ code: 'ARG900', severity: 'error', message: 'sensor checked', path: 'metadata.name', source: at, hint: 'none' }] : [];
    },
  });
  assert.equal(seen, ['Sensor', 'Workflow'], 'the Sensors, then the workflows linted with them (for cross-checks)');
  assert.equal(skipped.map((s) => s.kind), ['v1/ConfigMap']);
  const sensor = diagnostics.find((d) => d.code === 'ARG900');
  assert.equal(sensor?.source, { file: 'flow.yaml', line: 30, column: 3 });
});

const injected = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: build
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: revision
  templates:
    - name: main
      container:
        image: alpine/git:2.45.2
        command: [sh, -c, "git checkout {{workflow.parameters.revision}}"]
    - name: apply
      inputs:
        parameters:
          - name: branch
      resource:
        action: create
        manifest: |
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: deploy-{{inputs.parameters.branch}}
    - name: dag
      dag:
        tasks:
          - name: apply
            template: apply
            arguments:
              parameters:
                - name: branch
                  value: "{{workflow.parameters.revision}}"
---
apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: build
spec:
  dependencies:
    - name: push
      eventSourceName: github
      eventName: acme
  triggers:
    - template:
        name: build
        argoWorkflow:
          operation: submit
          source:
            resource:
              apiVersion: argoproj.io/v1alpha1
              kind: Workflow
              metadata:
                generateName: build-
              spec:
                workflowTemplateRef:
                  name: build
                arguments:
                  parameters:
                    - name: revision
                    - name: extra
          parameters:
            - src:
                dependencyName: push
                dataKey: body.after
              dest: spec.arguments.parameters.0.value
            - src:
                dependencyName: push
                dataKey: body.ref
              dest: spec.arguments.parameters.1.value
`;

test('given a hand-written Sensor and the WorkflowTemplate it submits, then lint runs the agreement (ARG331) and injection (ARG350) checks, and warns on a dependency without filters (ARG336)', () => {
  const { diagnostics } = lintYaml([{ path: 'ci.yaml', content: injected }]);
  const codes = diagnostics.map((d) => `${d.code} ${d.severity} ${d.source?.line ?? 0}`);
  assert.ok(codes.includes('ARG350 error 12'), codes.join('\n'));
  assert.ok(diagnostics.some((d) => d.code === 'ARG350' && d.path.endsWith('resource.manifest') && d.source?.line === 21), 'the event value in a resource manifest');
  assert.ok(diagnostics.some((d) => d.code === 'ARG331' && d.message.includes('"extra"')), codes.join('\n'));
  assert.ok(diagnostics.some((d) => d.code === 'ARG336' && d.severity === 'warning' && d.source?.line === 42), codes.join('\n'));
  const missing = lintYaml([{ path: 'sensor.yaml', content: injected.split('---\n')[1]! }, { path: 'other.yaml', content: lib }]);
  assert.ok(missing.diagnostics.some((d) => d.code === 'ARG334'), 'a Sensor submitting a template that is not among the files');
});

test('given a data filter on a header without .0, then ARG337: an error when the value is anchored (it can never match)', () => {
  const sensor = injected.split('---\n')[1]!.replace('      eventName: acme\n', '      eventName: acme\n      filters:\n        data:\n          - path: headers.X-Github-Event\n            type: string\n            value: ["^push$"]\n');
  const { diagnostics } = lintYaml([{ path: 'sensor.yaml', content: sensor }]);
  const d = diagnostics.find((x) => x.code === 'ARG337');
  assert.is(d?.severity, 'error', diagnostics.map((x) => x.code).join(', '));
  assert.match(d?.hint ?? '', /headers\.X-Github-Event\.0/);
  assert.equal(d?.source, { file: 'sensor.yaml', line: 12, column: 13 });
  const fixed = lintYaml([{ path: 'sensor.yaml', content: sensor.replace('headers.X-Github-Event', 'headers.X-Github-Event.0') }]);
  assert.not.ok(fixed.diagnostics.some((x) => x.code === 'ARG337' || x.code === 'ARG336'));
});

test('given a YAML syntax error, then ARG005 at its position, and the other documents are still linted', () => {
  const broken = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: x
spec:
  entrypoint: main
  templates: [
---
${lib}`;
  const { diagnostics } = lintYaml([{ path: 'broken.yaml', content: broken }]);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]?.code, 'ARG005');
  assert.equal(diagnostics[0]?.source?.file, 'broken.yaml');
  assert.ok(diagnostics[0]?.message.startsWith('document 1: expected valid YAML, received a syntax error: '));
});

test('given a step reading the status of a step in its own group, then lint warns (Argo accepts it) and compile fails', () => {
  const flow = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: same-group
spec:
  templates:
    - name: main
      steps:
        - - name: a
            template: run
          - name: b
            template: run
            when: "{{steps.a.status}} == Succeeded"
    - name: run
      container:
        image: alpine:3.20
`;
  const { diagnostics } = lintYaml([{ path: 'same.yaml', content: flow }]);
  assert.equal(diagnostics.map((d) => `${d.code} ${d.severity} ${d.source?.line}`), ['ARG072 warning 13']);
  assert.equal(validateResources([parse(flow) as Record<string, unknown>]).map((d) => `${d.code} ${d.severity}`), ['ARG072 error']);
});

test('given an alias to an anchor that does not exist, then ARG005 rather than a crash', () => {
  const { diagnostics } = lintYaml([{ path: 'alias.yaml', content: 'a: 1\n---\nkind: Workflow\nspec: *missing\n' }]);
  assert.equal(diagnostics.map((d) => d.code), ['ARG005']);
  assert.ok(diagnostics[0]?.message.startsWith('document 2: expected valid YAML'), diagnostics[0]?.message);
  assert.ok(diagnostics[0]?.message.includes('missing'), diagnostics[0]?.message);
});

test('given empty documents and comments only, then nothing is reported or skipped', () => {
  assert.equal(lintYaml([{ path: 'e.yaml', content: '# nothing\n---\n' }]), { diagnostics: [], skipped: [] });
});

test('given a diagnostic for a missing field, then it points at the nearest existing node', () => {
  const noImage = lib.replace('        image: alpine:3.20\n', '');
  const { diagnostics } = lintYaml([{ path: 'lib.yaml', content: noImage }]);
  assert.equal(diagnostics.map((d) => `${d.code} ${d.source?.line}:${d.source?.column}`), ['ARG045 11:7']);
});

test('given a WorkflowTemplate reading a workflow parameter it does not declare, then lint warns (the caller may declare it) and compile would fail', () => {
  const library = lib.replace('args: ["hello {{inputs.parameters.who}}"]', 'args: ["hello {{inputs.parameters.who}} in {{workflow.parameters.env}}"]');
  const { diagnostics } = lintYaml([{ path: 'lib.yaml', content: library }]);
  assert.equal(diagnostics.map((d) => `${d.code} ${d.severity} ${d.source?.line}:${d.source?.column}`), ['ARG090 warning 13:16']);
  const compiled = validateResources([parse(library) as Record<string, unknown>]);
  assert.equal(compiled.map((d) => `${d.code} ${d.severity}`), ['ARG090 error']);
});

test.run();
