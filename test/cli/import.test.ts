// argots import: YAML → TypeScript modules → `argots compile` (the real loader) → YAML equal to the original
// after normalisation; a second import of the compiled output gives the same TypeScript (a fixed point); bad
// input is reported with file and line while the rest of the batch is imported; nothing is overwritten
// without --force.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

const root = new URL('../..', import.meta.url).pathname;
const importedKinds = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate']);

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listYaml(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Key order and quoting do not matter: the parsed objects with their keys sorted. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, normalise(x)]));
  return v;
}

function documents(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => normalise(d.toJS())).filter((d) => d !== null);
}

const corpus = [...listYaml(join(root, 'test/import-corpus')), ...listYaml(join(root, 'manifests'))]
  .filter((f) => documents(readFileSync(f, 'utf8')).some((d) => importedKinds.has((d as { kind?: string }).kind ?? '')));

test('every corpus and manifests/ file of an imported kind round-trips through import and compile', async () => {
  assert.ok(corpus.length >= 5, `found ${corpus.length} files`);
  const inputs = fixtureProject({});
  const files: Record<string, string> = {};
  corpus.forEach((f, i) => (files[`in-${i}.yaml`] = readFileSync(f, 'utf8')));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(inputs, name), text);
  const io = memoryIo(root);
  const code = await run(['import', inputs, '--out', join(inputs, 'ts')], io);
  assert.is(code, 0, io.err());
  const compiled = join(inputs, 'yaml');
  const c = memoryIo(root);
  assert.is(await run(['compile', join(inputs, 'ts'), '--out', compiled], c), 0, c.err() + c.out());
  const out = listYaml(compiled).flatMap((f) => documents(readFileSync(f, 'utf8')));
  const key = (d: unknown): string => { const o = d as { kind: string; metadata: { name?: string; generateName?: string } }; return `${o.kind}/${o.metadata.name ?? o.metadata.generateName}`; };
  const byKey = new Map(out.map((d) => [key(d), d]));
  let equal = 0;
  for (const f of corpus) {
    const originals = documents(readFileSync(f, 'utf8'));
    const same = originals.every((d) => JSON.stringify(byKey.get(key(d))) === JSON.stringify(d));
    if (same) equal++;
    console.log(`  ${same ? 'round-trips' : 'DIFFERS    '} ${f.slice(root.length)} ${io.out().split('\n').filter((l) => originals.some((d) => l.startsWith(key(d)))).map((l) => l.replace(/^.*: /, '')).join(', ')}`);
  }
  assert.is(equal, corpus.length, `${equal}/${corpus.length} files round-trip`);

  const again = join(inputs, 'ts2');
  const io2 = memoryIo(root);
  assert.is(await run(['import', compiled, '--out', again], io2), 0, io2.err());
  for (const name of readdirSync(join(inputs, 'ts'))) {
    const first = readFileSync(join(inputs, 'ts', name), 'utf8').split('\n').slice(1).join('\n');
    const second = readFileSync(join(again, name), 'utf8').split('\n').slice(1).join('\n');
    assert.is(second, first, `${name} is not a fixed point`);
  }
  const l = memoryIo(root);
  assert.is(await run(['lint', compiled], l), 0, l.out() + l.err());

  // The generated modules type-check under the repository's strict settings (tsc, as `pnpm typecheck` runs it).
  writeFileSync(join(inputs, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.base.json', compilerOptions: { noEmit: true }, include: ['ts/*.ts'] }));
  const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(inputs, 'tsconfig.json')], { encoding: 'utf8' });
  assert.is(tsc.status, 0, tsc.stdout + tsc.stderr);
});

test('bad documents are reported with file and line; the rest is imported; nothing is overwritten without --force', async () => {
  const dir = fixtureProject({
    'broken.yaml': 'apiVersion: v1\nkind: WorkflowTemplate\nmetadata: {name: x\n',
    'mixed.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n${readFileSync(join(root, 'test/import-corpus/hello-world.yaml'), 'utf8')}`,
  });
  const io = memoryIo(dir);
  assert.is(await run(['import', 'broken.yaml', 'mixed.yaml', '--out', 'ts'], io), 1);
  assert.match(io.err(), /broken\.yaml:\d+: invalid YAML/);
  assert.match(io.err(), /mixed\.yaml:1: unknown kind "ConfigMap"/);
  assert.ok(existsSync(join(dir, 'ts', 'hello-world.ts')));
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
