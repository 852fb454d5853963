// How a large set of pipeline files is cut into consecutive chunks that load like one bundle.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chunkFiles, MIN_FILES_TO_CHUNK } from '../src/_internal/chunk-files.js';

const root = mkdtempSync(join(tmpdir(), 'argots-chunks-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** Writes `count` pipeline files; `imports(i)` gives file i's import lines. Returns their paths, in order. */
function project(name: string, count: number, imports: (i: number) => string, extra: Readonly<Record<string, string>> = {}): string[] {
  const dir = join(root, name);
  mkdirSync(join(dir, 'lib'), { recursive: true });
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  return Array.from({ length: count }, (_, i) => {
    const file = join(dir, `p${String(i).padStart(4, '0')}.ts`);
    writeFileSync(file, `${imports(i)}\nexport const n = ${i};\n`);
    return file;
  });
}

test('a few files are one chunk', () => {
  const files = project('few', MIN_FILES_TO_CHUNK - 1, () => "import { pipeline } from '@argots/dsl';");
  assert.equal(chunkFiles(files), [files]);
});

test('independent files are cut into consecutive chunks, a small one first, covering every file in order', () => {
  const files = project('independent', 400, () => "import { pipeline } from '@argots/dsl';");
  const chunks = chunkFiles(files);
  assert.equal(chunks.map((c) => c.length), [50, 100, 100, 150]);
  assert.equal(chunks.flat(), files);
});

test('files that all import one local helper stay in one chunk (the helper stays one instance)', () => {
  const files = project('shared', 300, () => "import { say } from './lib/steps.js';", { 'lib/steps.ts': 'export const say = 1;\n' });
  assert.equal(chunkFiles(files), [files]);
});

test('a cut falls between groups of files, never inside one', () => {
  // Files 0–149 share lib/a, files 150–299 share lib/b: the only place to cut is at 150.
  const files = project('groups', 300, (i) => (i < 150 ? "import { a } from './lib/a';" : 'import { b } from "./lib/b.js";'), { 'lib/a.ts': 'export const a = 1;\n', 'lib/b.ts': 'export const b = 2;\n' });
  assert.equal(chunkFiles(files).map((c) => c.length), [150, 150]);
});

test('a helper reached through another local module joins the files that use it', () => {
  // File 0 reaches lib/shared through lib/mid; file 299 imports it directly: no cut between them.
  const files = project('transitive', 300, (i) => (i === 0 ? "import { mid } from './lib/mid.js';" : i === 299 ? "export * from './lib/shared';" : ''), {
    'lib/mid.ts': "import { shared } from './shared.js';\nexport const mid = shared;\n",
    'lib/shared.ts': 'export const shared = 1;\n',
  });
  assert.equal(chunkFiles(files), [files]);
});

test('a pipeline file imported by another one keeps both in one chunk', () => {
  const files = project('entries', 300, (i) => (i === 299 ? "import { n as first } from './p0000.js';" : ''));
  assert.equal(chunkFiles(files), [files]);
});

test.run();
