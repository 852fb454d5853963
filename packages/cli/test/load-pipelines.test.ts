import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findFiles, pipelineFiles } from '../src/_internal/find-files.js';
import { loadPipelines, loaderCodes } from '../src/_internal/load-pipelines.js';

// Fixture projects live inside the package (git-ignored .tmp/) so that bare imports resolve from its node_modules.
const root = join(new URL('..', import.meta.url).pathname, '.tmp');
mkdirSync(root, { recursive: true });
const made: string[] = [];

function project(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(root, 'load-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

test.after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

test('finds *.ts and *.mts, but not tests, declarations or node_modules', () => {
  const dir = project({
    'pipelines/a.ts': '', 'pipelines/b.mts': '', 'pipelines/a.test.ts': '', 'pipelines/types.d.ts': '',
    'pipelines/node_modules/x/index.ts': '', 'pipelines/nested/c.ts': '', 'pipelines/readme.md': '',
  });
  assert.equal(findFiles(['pipelines'], dir, pipelineFiles).map((f) => f.slice(dir.length + 1)), ['pipelines/a.ts', 'pipelines/b.mts', 'pipelines/nested/c.ts']);
});

test('loads TypeScript modules with their exports; a helper imported by two modules is one instance', async () => {
  const dir = project({
    'shared/registry.ts': 'export const seen: string[] = [];\nexport function register(name: string): string { seen.push(name); return name; }\n',
    'p/one.ts': "import { register, seen } from '../shared/registry.js';\ninterface T { readonly n: number }\nexport const one: T = { n: 1 };\nexport default register('one');\nexport const registry = seen;\n",
    'p/two.mts': "import { register, seen } from '../shared/registry.js';\nexport default register('two');\nexport const registry = seen;\n",
  });
  const files = findFiles(['p'], dir, pipelineFiles);
  const r = await loadPipelines(files, dir);
  assert.equal(r.diagnostics, []);
  assert.equal(r.modules.map((m) => Object.keys(m.exports).sort()), [['default', 'one', 'registry'], ['default', 'registry']]);
  assert.equal(r.modules[0]!.exports['one'], { n: 1 });
  assert.is(r.modules[0]!.exports['registry'], r.modules[1]!.exports['registry'], 'one shared module instance');
  assert.equal(r.modules[1]!.exports['registry'], ['one', 'two']);
});

test('packages are imported from the pipeline project, once: the same module the CLI itself sees', async () => {
  const dir = project({ 'p/uses-yaml.ts': "import * as YAML from 'yaml';\nexport const lib = YAML;\n" });
  const r = await loadPipelines(findFiles(['p'], dir, pipelineFiles), dir);
  const own = await import('yaml');
  assert.is((r.modules[0]!.exports['lib'] as typeof own).stringify, own.stringify);
});

test('a module that throws is a diagnostic at its file and line; the other modules still load', async () => {
  const dir = project({
    'p/a-good.ts': 'export const ok = 1;\n',
    'p/b-bad.ts': "type Unused = string;\n\nconst x: number = 1;\nif (x === 1) {\n  throw new Error('no registry configured');\n}\nexport const never = x;\n",
    'p/c-good.ts': 'export const fine = 2;\n',
  });
  const r = await loadPipelines(findFiles(['p'], dir, pipelineFiles), dir);
  assert.equal(r.modules.map((m) => m.file.slice(dir.length + 1)), ['p/a-good.ts', 'p/c-good.ts']);
  assert.is(r.diagnostics.length, 1);
  const d = r.diagnostics[0]!;
  assert.is(d.code, loaderCodes.threw);
  assert.is(d.message, 'pipeline module "p/b-bad.ts" threw while it was loaded: Error: no registry configured');
  assert.equal(d.source, { file: join(dir, 'p/b-bad.ts'), line: 5, column: 9 });
});

test('a syntax error or an unresolvable import is a diagnostic with its location, not a crash', async () => {
  const dir = project({ 'p/broken.ts': 'export const a = {\n  b: 1,,\n};\n', 'p/missing.ts': "import { x } from './nowhere.js';\nexport const y = x;\n" });
  const r = await loadPipelines(findFiles(['p'], dir, pipelineFiles), dir);
  assert.equal(r.modules, []);
  const at = r.diagnostics.map((d) => [d.code, d.source?.file.slice(dir.length + 1), d.source?.line]);
  assert.equal(at, [[loaderCodes.syntax, 'p/broken.ts', 2], [loaderCodes.syntax, 'p/missing.ts', 1]]);
  assert.match(r.diagnostics[1]!.message, /Could not resolve "\.\/nowhere\.js"/);
});

test('a thousand modules load in a fraction of a second', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1000; i += 1) files[`p/p${String(i).padStart(4, '0')}.ts`] = `interface S { readonly i: number }\nexport const spec: S = { i: ${i} };\n`;
  const dir = project(files);
  const t0 = performance.now();
  const r = await loadPipelines(findFiles(['p'], dir, pipelineFiles), dir);
  const ms = performance.now() - t0;
  assert.is(r.modules.length, 1000);
  assert.equal(r.modules[999]!.exports['spec'], { i: 999 });
  assert.ok(ms < 1500, `took ${ms.toFixed(0)} ms`);
});

test.run();
