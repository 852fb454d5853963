// Every example runs with `argots run` (the CLI, in-process, in the sandbox) to the phase Argo would give it.
// The steps' images cannot be pulled here (no network beyond loopback), so each container, script,
// containerSet and HTTP template is swapped with --replace-template for a step of the same inputs and outputs,
// in a busybox test image pushed to a local docker-registry, that prints its inputs and writes its outputs
// (values below); what is exercised is the examples' own DAGs, steps, conditions, loops, retries, hooks, exit
// handlers and parameters, with Argo's semantics, in real containers.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readYamlObjects } from '@argots/runner';
import { run } from '@argots/cli';
import { memoryIo } from '../cli/memory-io.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { pushBusyboxImage } from '../support/test-images.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const work = mkdtempSync(join(tmpdir(), 'argots-run-examples-'));
let registry: TestRegistry | undefined;
let image = '';
test.before(async () => {
  registry = await startRegistry({ name: 'run-examples' });
  image = (await pushBusyboxImage(registry, 'examples/shell', { tag: '1' })).reference;
});
test.after(async () => {
  await registry?.close();
  rmSync(work, { recursive: true, force: true });
});

type Obj = Record<string, unknown>;
interface Param { name: string; valueFrom?: { path?: string } }
interface Tmpl { name: string; http?: unknown; inputs?: { parameters?: Param[]; artifacts?: { name: string; path?: string }[] }; outputs?: { parameters?: Param[]; artifacts?: { name: string; path?: string }[] }; container?: unknown; script?: unknown; containerSet?: unknown }

/** Every template the example's files compile to (argots compile, in-process), by name. */
async function compiledTemplates(files: readonly string[], out: string): Promise<Map<string, Tmpl>> {
  const io = memoryIo(root);
  assert.is(await run(['compile', ...files, '--out', out], io), 0, io.err());
  const found = new Map<string, Tmpl>();
  for (const kind of readdirSync(out)) {
    for (const file of readdirSync(join(out, kind))) {
      for (const doc of readYamlObjects(join(out, kind, file))) {
        const o = doc as Obj | null;
        const spec = (o?.['spec'] ?? {}) as Obj;
        const inner = (spec['workflowSpec'] ?? spec) as { templates?: Tmpl[] };
        for (const t of inner.templates ?? []) if (!found.has(t.name)) found.set(t.name, t);
      }
    }
  }
  return found;
}

/** What a replaced step writes to an output: its value by output name (else `<template>-<name>`). */
const OUTPUT_VALUES: Record<string, string> = {
  kind: 'code',
  repositories: '["shop/shop-api","shop/shop-web"]',
  digest: `sha256:${'0'.repeat(64)}`,
  digestRef: `registry.acme.io/shop/app:1.0@sha256:${'0'.repeat(64)}`,
};
/** What a replaced step prints (its outputs.result), by template name (else `ok`). */
const RESULTS: Record<string, string> = { 'decide-scope': 'full' };

/** A host step with the template's inputs and outputs (output paths moved under the step's own name). */
function replacement(t: Tmpl): string {
  const outputs: Obj = {};
  const writes: string[] = [];
  const params = (t.outputs?.parameters ?? []).map((p) => {
    if (!p.valueFrom?.path) return p;
    const path = `/tmp/{{pod.name}}.p.${p.name}`;
    writes.push(`printf %s '${OUTPUT_VALUES[p.name] ?? `${t.name}-${p.name}`}' > "${path}"`);
    return { ...p, valueFrom: { ...p.valueFrom, path } };
  });
  if (params.length > 0) outputs['parameters'] = params;
  const arts = (t.outputs?.artifacts ?? []).map((a) => {
    const path = `/tmp/{{pod.name}}.a.${a.name}`;
    writes.push(`echo '${a.name}' > "${path}"`);
    return { ...a, path };
  });
  if (arts.length > 0) outputs['artifacts'] = arts;
  // Input artifacts keep their names; their sources (a git repository on GitHub, …) become raw text.
  const inputs = { ...(t.inputs?.parameters ? { parameters: t.inputs.parameters } : {}), ...(t.inputs?.artifacts ? { artifacts: t.inputs.artifacts.map((a) => ({ name: a.name, path: `/tmp/{{pod.name}}.in.${a.name}`, raw: { data: a.name } })) } : {}) };
  const shown = (t.inputs?.parameters ?? []).map((p) => `${p.name}={{inputs.parameters.${p.name}}}`).join(' ');
  const script = [`echo "# ${t.name} ${shown.replace(/"/g, '')}" >&2`, ...writes, `echo '${RESULTS[t.name] ?? 'ok'}'`].join('\n');
  return JSON.stringify({ name: t.name, ...(Object.keys(inputs).length > 0 ? { inputs } : {}), ...(Object.keys(outputs).length > 0 ? { outputs } : {}), container: { image, command: ['sh', '-c', script] } });
}

/** --replace-template for every container, script, containerSet and HTTP template of the example (no network here). */
async function replaceFlags(name: string, files: readonly string[]): Promise<string[]> {
  const flags: string[] = [];
  for (const t of (await compiledTemplates(files, join(work, name, 'compiled'))).values()) {
    if (!t.container && !t.script && !t.containerSet && !t.http) continue;
    const file = join(work, name, `${t.name}.yaml`);
    writeFileSync(file, replacement(t));
    flags.push('--replace-template', `${t.name}=${file}`);
  }
  return flags;
}

interface Example {
  files: string[];
  args?: string[];
  phase: 'Succeeded' | 'Failed';
  /** Display names of nodes and the phase each must end in. */
  nodes?: Record<string, string>;
}

const EXAMPLES: Record<string, Example> = {
  'hello-dag': { files: ['examples/hello-dag.ts'], args: ['-p', 'sha=abc123'], phase: 'Succeeded', nodes: { detect: 'Succeeded', build: 'Succeeded', deploy: 'Succeeded' } },
  'docs-site': { files: ['examples/docs-site.ts'], args: ['-p', 'revision=abc123'], phase: 'Succeeded' },
  'ci-pipeline': { files: ['examples/ci-pipeline.ts', 'examples/security-templates.ts'], args: ['--pipeline', 'ci-pipeline', '-p', 'commit=0123abc', '--approve', 'approve-production:decision=approve'], phase: 'Succeeded', nodes: { promote: 'Succeeded' } },
  'manual-ci-run': { files: ['examples/manual-ci-run.ts', 'examples/ci-pipeline.ts', 'examples/security-templates.ts'], args: ['--pipeline', 'ci-pipeline-manual-', '--approve', 'approve-production:decision=reject'], phase: 'Succeeded', nodes: { promote: 'Skipped' } },
  'multi-region-deploy': { files: ['examples/multi-region-deploy.ts'], args: ['-p', 'version=1.2.3', '--approve', 'bake-time'], phase: 'Succeeded' },
  'nightly-maintenance': { files: ['examples/nightly-maintenance.ts'], args: ['--configmap', `registry-limits=${join(work, 'limits')}`], phase: 'Succeeded' },
  'test-matrix': { files: ['examples/test-matrix.ts'], phase: 'Succeeded' },
};

const listed = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
test('every example is run here (security-templates, a library of templates, through ci-pipeline)', () => {
  const covered = new Set(Object.values(EXAMPLES).flatMap((e) => e.files.map((f) => f.replace(/^examples\//, '').replace(/\.ts$/, ''))));
  assert.equal(listed.filter((e) => !covered.has(e)), []);
});

for (const [name, ex] of Object.entries(EXAMPLES)) {
  test(`examples/${name} runs with argots run: ${ex.phase}`, async () => {
    mkdirSync(join(work, 'limits'), { recursive: true });
    writeFileSync(join(work, 'limits', 'janitors'), '2');
    const flags = await replaceFlags(name, ex.files);
    const io = memoryIo(join(work, name), { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work, XDG_CACHE_HOME: join(work, 'cache') } });
    {
      const code = await run(['run', ...ex.files.map((f) => join(root, f)), '--executor', 'sandbox', '--json', ...(ex.args ?? []), ...flags], io);
      const lines = io.out().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; phase?: string; displayName?: string; name?: string; message?: string; runDir?: string });
      const result = lines.at(-1);
      assert.ok(result?.type === 'result', `a result line (stderr: ${io.err()})`);
      const final = new Map<string, { phase?: string; message?: string }>();
      for (const l of lines) if (l.type === 'node' && l.displayName) final.set(l.displayName, l);
      const failed = [...final].filter(([, n]) => n.phase === 'Failed' || n.phase === 'Error').map(([k, n]) => `${k}: ${n.message}`);
      assert.is(result.phase, ex.phase, `phase of ${name} (failed nodes: ${failed.join('; ')})`);
      assert.is(code, ex.phase === 'Succeeded' ? 0 : 1);
      for (const [node, phase] of Object.entries(ex.nodes ?? {})) assert.is(final.get(node)?.phase, phase, `${name}: node ${node}`);
    }
  });
}

test.run();
