// Malformed input never crashes validation: it becomes diagnostics (the CLI would otherwise report a bug).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateResources } from '../../src/validate/index.js';
import { workflowTemplate, type Json } from './_support/objects.js';

const shapes: Json[] = [
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate' },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: 'x', spec: 'y' },
  workflowTemplate({ templates: 'not-a-list' }),
  workflowTemplate({ templates: [null, 1, 'x', [], { name: 3 }] }),
  workflowTemplate({ entrypoint: 5, templates: [{ name: 'a', steps: 'x' }, { name: 'b', steps: [null, 'x', [null, 2, { name: 7 }], { steps: [{}] }] }] }),
  workflowTemplate({ templates: [{ name: 'd', dag: { tasks: [null, { name: 'x', depends: 5, dependencies: 'y', withItems: 'z', arguments: 'q' }, { dependencies: [1, null] }] } }] }),
  workflowTemplate({ templates: [{ name: 'd', dag: null }, { name: 'e', dag: { tasks: 'x', target: 1 } }] }),
  workflowTemplate({ arguments: { parameters: [null, { name: 1, enum: 'x' }, { name: 'p', valueFrom: 'x' }], artifacts: 'x' }, templates: [] }),
  workflowTemplate({ templates: [{ name: 'c', container: 'x', inputs: { parameters: 'x', artifacts: [null, { name: 'a', path: 3 }] }, outputs: { parameters: [null, { valueFrom: 'x' }] } }] }),
  workflowTemplate({ templates: [{ name: 'r', resource: { action: 3, manifest: 4 } }, { name: 's', containerSet: { containers: [null, { dependencies: 'x' }] } }] }),
  workflowTemplate({ hooks: 'x', onExit: 3, templates: [{ name: 'h', steps: [[{ name: 's', template: 'h', hooks: { a: null, b: 'x' } }]] }] }),
  workflowTemplate({ templates: [{ name: 'v', container: { image: 'a', args: ['{{', '}}', '{{}}', '{{ }}', '{{=}}', '{{=(}}', '{{steps}}', '{{tasks.}}', '{{item.}}', '{{workflow}}'] } }] }),
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name: 'c' }, spec: { schedules: [1, null, ''], timezone: 5, workflowSpec: 'x' } },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: {}, spec: { workflowTemplateRef: 'x' } },
];

test('given malformed objects of every kind, then validation returns diagnostics and never throws', () => {
  for (const shape of shapes) {
    let diagnostics: ReturnType<typeof validateResources> = [];
    try {
      diagnostics = validateResources([shape]);
    } catch (error) {
      assert.unreachable(`threw on ${JSON.stringify(shape)}: ${String(error)}`);
    }
    assert.ok(diagnostics.length > 0, `expected diagnostics for ${JSON.stringify(shape)}`);
    for (const d of diagnostics) assert.ok(d.hint && d.message && d.code, JSON.stringify(d));
  }
});

test('given the same input twice, then the diagnostics are identical (deterministic)', () => {
  assert.equal(validateResources(shapes), validateResources(shapes));
});

test.run();
