// Every example and org pipeline compiles through `synth` with no error, every emitted object validates
// against the upstream Argo schemas (test/schemas), and compiling twice — from the same builders and
// from freshly loaded modules — gives byte-identical YAML. The schema helpers are the DSL's test helpers
// (IntOrString widened; nested `required` of the events schema advisory), reused rather than duplicated.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnostic, isSynthesizable, synth } from '@argots/dsl';
import type { SynthInput, SynthResult } from '@argots/dsl';
import { upstreamErrors as workflowSchemaErrors } from '../../packages/dsl/test/validate/_support/upstream-schema.js';
import { upstreamErrors as eventSchemaErrors } from '../../packages/dsl/test/events/upstream-schema.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(root, dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(relative(root, full)));
    else if (/\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name)) out.push(relative(root, full));
  }
  return out;
}

const files = [...sources('examples'), ...sources('pipelines')];

/** Loads every module (a fresh instance with `fresh`) and returns its synthesizable exports as synth inputs. */
async function load(fresh = ''): Promise<SynthInput[]> {
  const inputs: SynthInput[] = [];
  for (const file of files) {
    const url = pathToFileURL(join(root, file)).href + fresh;
    const mod = (await import(url)) as Record<string, unknown>;
    for (const exportName of Object.keys(mod).sort()) {
      if (isSynthesizable(mod[exportName])) inputs.push({ value: mod[exportName], exportName, file });
    }
  }
  return inputs;
}

const inputs = await load();
const first: SynthResult = synth(inputs);

function errorsOf(result: SynthResult): string {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, { color: false })).join('\n');
}

test('given every example and pipeline, when synthesized together, then there is no error diagnostic', () => {
  assert.is(errorsOf(first), '');
  assert.ok(first.files.length > 0);
});

test('given the examples folder, then it holds at least six example pipelines, each emitting at least one resource', () => {
  const examples = files.filter((f) => f.startsWith('examples/'));
  assert.ok(examples.length >= 6, `only ${examples.length} examples`);
  for (const file of examples) {
    assert.ok(first.files.some((f) => f.source?.file.endsWith(file) || f.content.includes(`from ${file}.`)), `${file} emits nothing`);
  }
});

test('given the org pipelines, then each standard flow is a WorkflowTemplate with a Sensor, and the EventSource is emitted once', () => {
  const names = new Set(first.files.map((f) => f.path));
  for (const flow of ['dev-build', 'staging-promotion', 'production-promotion', 'staging-bugfix', 'hotfix']) {
    assert.ok(names.has(`workflow-template/${flow}.yaml`), `workflow-template/${flow}.yaml`);
    assert.ok(names.has(`sensor/${flow}.yaml`), `sensor/${flow}.yaml`);
  }
  assert.equal(first.files.filter((f) => f.kind === 'EventSource').map((f) => f.name), ['github']);
});

test('given every emitted object, then it validates against the upstream Argo Workflows or Argo Events schema', () => {
  const kinds = new Set<string>();
  for (const f of first.files) {
    kinds.add(f.kind);
    const errors =
      f.kind === 'Sensor' || f.kind === 'EventSource'
        ? eventSchemaErrors(f.object)
        : workflowSchemaErrors(f.object).map((e) => `${e.instancePath} ${e.keyword}: ${e.message}`);
    assert.equal(errors, [], `${f.path}:\n${errors.join('\n')}`);
  }
  // every output kind the DSL has, plus the events resources
  assert.equal([...kinds].sort(), ['ClusterWorkflowTemplate', 'CronWorkflow', 'EventSource', 'Sensor', 'Workflow', 'WorkflowTemplate']);
});

test('given the same builders, when synthesized twice, then the YAML is byte-identical', () => {
  const second = synth(inputs);
  assert.equal(second.files.map((f) => [f.path, f.content]), first.files.map((f) => [f.path, f.content]));
});

test('given freshly loaded modules, when synthesized again, then the YAML is byte-identical', async () => {
  const again = synth(await load('?fresh=1'));
  assert.is(errorsOf(again), '');
  assert.equal(again.files.map((f) => [f.path, f.content]), first.files.map((f) => [f.path, f.content]));
});

test('given the committed manifests/, then every file compiled here is there with the same bytes', () => {
  for (const f of first.files) {
    let committed = '';
    try {
      committed = readFileSync(join(root, 'manifests', f.path), 'utf8');
    } catch {
      assert.unreachable(`manifests/${f.path} is missing; run 'pnpm compile'`);
    }
    assert.ok(committed === f.content, `manifests/${f.path} differs from a fresh synth; run 'pnpm compile'`);
  }
});

test('given the CI example, then it has lint, unit tests, a failing trivy scan, a rootless BuildKit push, a manifest update, a Job smoke test and a manual gate', () => {
  const ci = first.files.find((f) => f.path === 'workflow-template/ci-pipeline.yaml');
  assert.ok(ci);
  const spec = ci.object['spec'] as { templates: Record<string, unknown>[] };
  const byName = new Map(spec.templates.map((t) => [t['name'] as string, t]));
  const tasks = ((byName.get('main')?.['dag'] as { tasks: Record<string, unknown>[] }).tasks).map((t) => t['name']);
  assert.equal(tasks, ['checkout', 'lint', 'unit-tests', 'build', 'scan', 'update-staging-manifests', 'smoke-test', 'approve-production', 'promote', 'update-prod-manifests']);
  const scan = (byName.get('main')?.['dag'] as { tasks: Record<string, unknown>[] }).tasks.find((t) => t['name'] === 'scan');
  assert.equal(scan?.['templateRef'], { name: 'security-scans', template: 'trivy-scan', clusterScope: true });
  const trivy = first.files.find((f) => f.path === 'cluster-workflow-template/security-scans.yaml')?.object['spec'] as { templates: Record<string, unknown>[] };
  const trivyTemplate = trivy.templates.find((t) => t['name'] === 'trivy-scan') as { container: { args: string[] }; inputs: { parameters: { name: string; default?: string }[] } };
  assert.ok(trivyTemplate.container.args.includes('--exit-code'));
  assert.equal(trivyTemplate.inputs.parameters.find((p) => p.name === 'severity')?.default, 'HIGH,CRITICAL');
  assert.match(JSON.stringify(byName.get('buildkit-build')), /moby\/buildkit:[^"]*-rootless/);
  assert.match(JSON.stringify(byName.get('buildkit-build')), /push=true/);
  assert.match(JSON.stringify(byName.get('update-staging-manifests')), /"update-manifests"/);
  const smoke = byName.get('smoke-test')?.['resource'] as Record<string, unknown>;
  assert.is(smoke['successCondition'], 'status.succeeded > 0');
  assert.is(smoke['failureCondition'], 'status.failed > 0');
  assert.match(String(smoke['manifest']), /kind: Job/);
  assert.equal(byName.get('approve-production')?.['suspend'], {});
});

test('given every emitted template, then no script source and no `sh -c` string holds a {{…}} reference (values go in as argv or env)', () => {
  const offenders: string[] = [];
  const visit = (path: string, node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => visit(`${path}[${i}]`, n));
      const at = node.indexOf('-c');
      if (at > 0 && /(^|\/)(ba)?sh$/.test(String(node[at - 1])) && String(node[at + 1] ?? '').includes('{{')) offenders.push(`${path}[${at + 1}]`);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'source' && typeof v === 'string' && v.includes('{{')) offenders.push(`${path}.source`);
      visit(`${path}.${k}`, v);
    }
  };
  for (const f of first.files) if (f.kind !== 'Sensor' && f.kind !== 'EventSource') visit(f.path, f.object);
  assert.equal(offenders, []);
});

test('given the org pipelines, then their `when` conditions read the runtime steps\' typed outputs', () => {
  const whens = (path: string) =>
    (((first.files.find((f) => f.path === path)?.object['spec'] as { templates: Record<string, unknown>[] }).templates).flatMap(
      (t) => ((t['dag'] as { tasks?: Record<string, unknown>[] } | undefined)?.tasks ?? []).map((task) => task['when']).filter(Boolean),
    ));
  assert.ok(whens('workflow-template/dev-build.yaml').includes("'{{tasks.detect-changes.outputs.parameters.kind}}' != 'none'"), 'configuration is copied for config-only and mixed pushes alike');
  assert.ok(whens('workflow-template/dev-build.yaml').includes("'{{tasks.build.outputs.parameters.kind}}' != 'none'"), 'a service detection finds nothing to build for is not deployed');
  assert.ok(whens('workflow-template/dev-build.yaml').includes("'{{tasks.detect-build.outputs.parameters.kind}}' == 'bake'"));
  assert.ok(whens('workflow-template/production-promotion.yaml').includes("'{{inputs.parameters.gate}}' == 'pull-request'"), 'each service loop item reads the gate passed down from the workflow parameter');
});

test.run();
