// argots import: YAML → TypeScript modules → `argots compile` (the real loader) → YAML equal to the original
// after normalisation, for ≥ 95% of a corpus of real Argo documents (test/import-corpus: upstream Argo Workflows
// and Argo Events examples) and for every file in manifests/. Prints each file's verdict. The generated modules
// type-check under the repository's strict settings (one tsc program for all of them), the compiled output passes
// `argots lint`, and a second import of it gives the same TypeScript (a fixed point). Bad input is reported with
// file and line while the rest of the batch is imported; nothing is overwritten without --force.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { readYamlAsGo } from '@argots/dsl';
import { importFiles, normaliseDocument } from '@argots/cli/import';
import type { GeneratedModule } from '@argots/cli/import';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

const root = new URL('../..', import.meta.url).pathname;
const kinds = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow', 'Sensor', 'EventSource']);

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listYaml(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [])).sort();
}

type Doc = { kind: string; metadata: { name?: string; generateName?: string } };
/** The documents of a file as Argo reads them (go-yaml rules, what `argots lint` and `import` use). */
function documents(text: string): Doc[] {
  return readYamlAsGo(text).documents.map((d) => d.doc.toJS() as Doc).filter((d) => d !== null && typeof d === 'object' && kinds.has(d.kind));
}
const key = (d: Doc): string => `${d.kind}/${d.metadata.name ?? d.metadata.generateName}`;
const rel = (f: string): string => relative(root, f);

const upstream = [...listYaml(join(root, 'test/import-corpus/argo-workflows')), ...listYaml(join(root, 'test/import-corpus/argo-events'))];
const corpus = listYaml(join(root, 'test/import-corpus'));
const manifests = listYaml(join(root, 'manifests')).filter((f) => documents(readFileSync(f, 'utf8')).length > 0);

/**
 * Splits modules into groups in which no two emit the same resource (compile writes one file per resource; the
 * upstream examples reuse names such as `hello-world-`). The first group's templates and EventSources go into
 * the later groups too, as context, so that references resolve (they are judged in the first group only).
 */
function groups(modules: readonly GeneratedModule[]): { modules: GeneratedModule[]; context: GeneratedModule[] }[] {
  const out: { keys: Set<string>; modules: GeneratedModule[] }[] = [];
  for (const m of modules) {
    let g = out.find((x) => !x.keys.has(m.resource));
    if (!g) out.push((g = { keys: new Set(), modules: [] }));
    g.keys.add(m.resource);
    g.modules.push(m);
  }
  const shared = (out[0]?.modules ?? []).filter((m) => /^(WorkflowTemplate|ClusterWorkflowTemplate|EventSource)\//.test(m.resource));
  return out.map((g, i) => ({ modules: g.modules, context: i === 0 ? [] : shared.filter((m) => !g.keys.has(m.resource)) }));
}

test('the corpus (≥ 95%) and every manifests/ file round-trip through import and compile; verdicts per file', async () => {
  const upstreamDocs = upstream.reduce((n, f) => n + documents(readFileSync(f, 'utf8')).length, 0);
  assert.ok(upstreamDocs >= 150, `the upstream corpus holds ${upstreamDocs} documents, expected at least 150`);
  // Two batches, as two repositories would import them: lint checks references across the files of a batch.
  const batch = (list: readonly string[]) => importFiles(list.map((f) => ({ path: rel(f), content: readFileSync(f, 'utf8') })));
  const a = batch(corpus);
  const b = batch(manifests);
  const result = { modules: [...a.modules, ...b.modules], problems: [...a.problems, ...b.problems] };
  for (const p of result.problems) console.log(`  lint: ${p.file}:${p.line}: ${p.message}`);
  const unexpected = result.problems.filter((p) => !p.message.startsWith('fails lint'));
  assert.equal(unexpected, [], 'only lint failures of the input may be reported');
  const lintFailed = new Set(result.problems.map((p) => p.file));

  const work = fixtureProject({});
  const compiled = new Map<string, unknown>();
  const modulesOf = new Map<string, GeneratedModule[]>();
  for (const m of result.modules) modulesOf.set(m.source.file, [...(modulesOf.get(m.source.file) ?? []), m]);
  const tsDirs: string[] = [];
  const compiledByGroup: { dir: string; modules: GeneratedModule[] }[] = [];
  const batches = [a.modules, b.modules].map((ms) => groups(ms.filter((m) => !lintFailed.has(m.source.file))));
  // A module `argots compile` refuses (it checks references across the modules it compiles together, more
  // strictly than lint) is taken out of its group with the reason, and the rest compiled again.
  const refused = new Map<GeneratedModule, string>();
  for (const { modules, context: shared } of batches.flat()) {
    let context = shared;
    let group = modules;
    const i = compiledByGroup.length;
    const ts = join(work, `ts-${i}`);
    const out = join(work, `yaml-${i}`);
    for (;;) {
      rmSync(ts, { recursive: true, force: true });
      mkdirSync(ts, { recursive: true });
      for (const m of [...group, ...context]) writeFileSync(join(ts, m.fileName), m.content);
      const c = memoryIo(root);
      if (await run(['compile', ts, '--out', out], c) === 0) break;
      const text = c.err() + c.out();
      const blamed = [...group, ...context].filter((m) => new RegExp(`✖[^\\n]*\\n\\s*→ at [^\\n]*/${m.fileName.replace(/[.]/g, '\\.')}:`).test(text));
      assert.ok(blamed.length > 0, text);
      const lines = text.split('\n');
      for (const m of blamed) {
        const at = lines.findIndex((l) => l.includes(`/${m.fileName}:`));
        refused.set(m, lines.slice(0, at).reverse().find((l) => l.includes('✖')) ?? 'compile failed');
      }
      group = group.filter((m) => !blamed.includes(m));
      context = context.filter((m) => !blamed.includes(m));
    }
    tsDirs.push(`ts-${i}/*.ts`);
    for (const f of existsSync(out) ? listYaml(out) : []) for (const d of documents(readFileSync(f, 'utf8'))) compiled.set(`${i}:${key(d)}`, normaliseDocument(d));
    compiledByGroup.push({ dir: out, modules: group });
    if (group.length === 0) continue;
    const l = memoryIo(root);
    assert.is(await run(['lint', out], l), 0, l.out() + l.err());
  }
  for (const [m, why] of refused) console.log(`  compile refuses ${m.source.file} (${m.resource}): ${why.trim()}`);
  const groupOf = new Map(compiledByGroup.flatMap((g, i) => g.modules.map((m) => [m, i] as const)));

  const verdicts: Record<string, number> = {};
  let equalCorpus = 0;
  const manifestsDiffering: string[] = [];
  for (const f of [...corpus, ...manifests]) {
    const path = rel(f);
    const originals = documents(readFileSync(f, 'utf8'));
    const mods = modulesOf.get(path) ?? [];
    const same = !lintFailed.has(path) && !mods.some((m) => refused.has(m)) && originals.length === mods.length && originals.every((d, k) => {
      const m = mods[k];
      return m !== undefined && JSON.stringify(compiled.get(`${groupOf.get(m)}:${key(d)}`)) === JSON.stringify(normaliseDocument(d));
    });
    const verdict = lintFailed.has(path) ? 'fails lint' : mods.some((m) => refused.has(m)) ? 'refused by compile' : mods.some((m) => m.verdict === 'lossy') ? `lossy (${mods.flatMap((m) => m.lossyFields).join(', ')})` : mods.some((m) => m.verdict !== 'lossless') ? 'lossless with escape hatches' : 'lossless';
    verdicts[verdict.replace(/ \(.*/, '')] = (verdicts[verdict.replace(/ \(.*/, '')] ?? 0) + 1;
    console.log(`  ${same ? '✓' : '✖'} ${path}: ${verdict}${same ? '' : ', differs after the round trip'}`);
    if (f.startsWith(join(root, 'manifests'))) {
      if (!same) manifestsDiffering.push(path);
    } else if (same) equalCorpus++;
  }
  const percent = (100 * equalCorpus) / corpus.length;
  console.log(`  corpus: ${equalCorpus}/${corpus.length} files (${percent.toFixed(1)}%) round-trip, ${upstreamDocs} upstream documents; verdicts ${JSON.stringify(verdicts)}`);
  assert.ok(percent >= 95, `${percent.toFixed(1)}% of the corpus round-trips, expected at least 95%`);
  assert.equal(manifestsDiffering, [], 'every manifests/ file round-trips');

  // A second import of the compiled output gives the same TypeScript (the first line names the source file).
  for (const { dir, modules } of compiledByGroup) {
    const again = importFiles(listYaml(dir).map((f) => ({ path: rel(f), content: readFileSync(f, 'utf8') })));
    const byResource = new Map(again.modules.map((m) => [m.resource, m.content]));
    for (const m of modules) {
      if (m.verdict === 'lossy') continue;
      const second = byResource.get(m.resource);
      assert.is(second?.split('\n').slice(1).join('\n'), m.content.split('\n').slice(1).join('\n'), `${m.fileName} (${m.source.file}) is not a fixed point`);
    }
  }

  // The generated modules type-check under the repository's strict settings: one tsc program for all of them.
  // (The workspace packages' ambient declarations, such as expr's for fengari, come along as in `pnpm typecheck`.)
  const ambient = relative(work, join(root, 'packages/*/src/**/*.d.ts'));
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ extends: relative(work, join(root, 'tsconfig.base.json')), compilerOptions: { noEmit: true }, include: [...tsDirs, ambient] }));
  const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(work, 'tsconfig.json')], { encoding: 'utf8' });
  assert.is(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test('bad documents are reported with file and line; the rest is imported; nothing is overwritten without --force', async () => {
  const dir = fixtureProject({
    'broken.yaml': 'apiVersion: v1\nkind: WorkflowTemplate\nmetadata: {name: x\n',
    'mixed.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${readFileSync(join(root, 'test/import-corpus/hello-world.yaml'), 'utf8')}`,
    'lint.yaml': readFileSync(join(root, 'test/import-corpus/argo-workflows/cron-workflow.yaml'), 'utf8'),
  });
  const io = memoryIo(dir);
  assert.is(await run(['import', 'broken.yaml', 'mixed.yaml', 'lint.yaml', '--out', 'ts'], io), 1);
  assert.match(io.err(), /broken\.yaml:\d+: invalid YAML/);
  assert.match(io.err(), /mixed\.yaml:1: unknown kind "ConfigMap"/);
  assert.match(io.err(), /lint\.yaml:\d+: fails lint: ARG035 CronWorkflow: expected schedules/);
  assert.ok(existsSync(join(dir, 'ts', 'hello-world.ts')));
  assert.ok(existsSync(join(dir, 'ts', 'cron-hello-world.ts')), 'a document that fails lint is still imported (nothing is dropped)');
  writeFileSync(join(dir, 'ts', 'hello-world.ts'), '// mine\n');
  const again = memoryIo(dir);
  assert.is(await run(['import', 'mixed.yaml', '--out', 'ts'], again), 1);
  assert.match(again.err(), /hello-world\.ts exists: not overwritten/);
  assert.is(readFileSync(join(dir, 'ts', 'hello-world.ts'), 'utf8'), '// mine\n');
  const forced = memoryIo(dir);
  await run(['import', 'mixed.yaml', '--out', 'ts', '--force'], forced);
  assert.match(readFileSync(join(dir, 'ts', 'hello-world.ts'), 'utf8'), /container\('main'/);
  assert.equal(readdirSync(join(dir, 'ts')).filter((n) => n.endsWith('.tmp')), []);
});

test.run();
