import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { formatDiagnostic } from '../../src/diagnostic.js';
import { lintYaml } from '../../src/lint/index.js';
import { upstreamErrors } from '../validate/_support/upstream-schema.js';

const DIR = fileURLToPath(new URL('../../../../test/fixtures/argo-examples/', import.meta.url));
/** Argo's own examples test (examples/validator.go) skips this file: it is about a ConfigMap cache. */
const SKIPPED_AS_ARGO_DOES = ['memoize-simple.yaml'];

const names = readdirSync(DIR).filter((f) => f.endsWith('.yaml') && !SKIPPED_AS_ARGO_DOES.includes(f)).sort();
const files = names.map((name) => ({ path: name, content: readFileSync(join(DIR, name), 'utf8') }));

test('given Argo\'s own examples, there are at least 40 of them covering every template type', () => {
  assert.ok(files.length >= 40, `expected at least 40 examples, found ${files.length}`);
  const all = files.map((f) => f.content).join('\n');
  for (const marker of ['dag:', 'steps:', 'withItems:', 'withParam:', 'withSequence:', 'retryStrategy:', 'onExit:', 'hooks:',
    'artifacts:', 'kind: CronWorkflow', 'templateRef:', 'containerSet:', 'resource:', 'http:', 'suspend:', 'synchronization:',
    'kind: ClusterWorkflowTemplate', 'workflowTemplateRef:', 'script:', 'sidecars:', 'depends:', 'target:']) {
    assert.ok(all.includes(marker), `expected an example using ${marker}`);
  }
});

test('when linted together (templateRefs outside the set only warn), Argo\'s examples produce no error', () => {
  const result = lintYaml(files, { externalTemplates: 'warn' });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.map((d) => formatDiagnostic(d)), []);
  assert.equal(result.skipped, []);
});

test('when linted together, the only warnings are templateRefs outside the set and beyond-Argo checks', () => {
  const result = lintYaml(files, { externalTemplates: 'warn' });
  const codes = [...new Set(result.diagnostics.map((d) => d.code))].sort();
  assert.equal(codes, ['ARG011', 'ARG063', 'ARG066']);
});

test('given Argo\'s examples, the upstream schema (IntOrString widened) accepts every document, as ours does', () => {
  for (const file of files) {
    for (const doc of parseAllDocuments(file.content)) {
      const object = doc.toJS() as Record<string, unknown> | null;
      if (!object) continue;
      assert.equal(upstreamErrors(object), [], `${file.path}: ${String(object['kind'])}`);
    }
  }
});

test.run();
