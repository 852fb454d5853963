// `argots compile --cache DIR` and `argots check --cache DIR`: what is reused, and that a stale, corrupt or
// concurrently written cache never changes what is compiled. In-process runs, and real processes for the
// concurrent writers.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

const repoRoot = new URL('../..', import.meta.url).pathname;
const bin = join(repoRoot, 'packages/cli/src/bin.ts');

/** Two pipelines that build their task from one shared helper, and one that does not. */
function project(image = 'alpine:3.20'): string {
  const helper = `import { container } from '@argots/dsl';\nexport const say = container('say', { container: { image: '${image}', command: ['echo', 'hi'] } });\n`;
  const uses = (name: string): string =>
    `import { pipeline } from '@argots/dsl';\nimport { say } from '../lib/say.js';\nexport default pipeline('${name}', (p) => {\n  p.task('hello', say.call({}));\n});\n`;
  return fixtureProject({
    'lib/say.ts': helper,
    'pipelines/a.ts': uses('a'),
    'pipelines/b.ts': uses('b'),
    'pipelines/c.ts': "import { container, pipeline } from '@argots/dsl';\nconst own = container('own', { container: { image: 'busybox:1.36', command: ['true'] } });\nexport default pipeline('c', (p) => {\n  p.task('one', own.call({}));\n});\n",
  });
}

function entries(dir: string): string[] {
  const out: string[] = [];
  for (const sub of readdirSync(dir)) for (const f of readdirSync(join(dir, sub))) out.push(join(dir, sub, f));
  return out;
}

function readAll(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d)) {
      const full = join(d, e);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${e}/`);
      else out[`${prefix}${e}`] = readFileSync(full, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

async function argots(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

test('a compile with --cache writes the same files as one without, and a check of unchanged sources is answered from it', async () => {
  const dir = project();
  assert.is((await argots(dir, 'compile', 'pipelines', '--out', 'plain')).code, 0);
  const first = await argots(dir, 'compile', 'pipelines', '--out', 'cached', '--cache', '.cache');
  assert.is(first.code, 0, first.err);
  assert.equal(readAll(join(dir, 'cached')), readAll(join(dir, 'plain')));
  // One entry per module and one for the run.
  assert.is(entries(join(dir, '.cache')).length, 4);
  const check = await argots(dir, 'check', 'pipelines', '--out', 'cached', '--cache', '.cache');
  assert.is(check.code, 0, check.err);
  assert.is(check.out, 'cached/ is up to date with 3 source files (3 YAML files)\n');
  const again = await argots(dir, 'compile', 'pipelines', '--out', 'cached', '--cache', '.cache');
  assert.match(again.out, /3 unchanged, 0 removed; from the cache/);
  // Into an empty folder, from the module entries alone (nothing is loaded): the same bytes.
  const fromModules = await argots(dir, 'compile', 'pipelines', '--out', 'again', '--cache', '.cache');
  assert.is(fromModules.code, 0, fromModules.err);
  assert.equal(readAll(join(dir, 'again')), readAll(join(dir, 'plain')));
});

test('the cache does not hide drift: a hand-edited output file is reported by check --cache', async () => {
  const dir = project();
  assert.is((await argots(dir, 'compile', 'pipelines', '--out', 'm', '--cache', '.cache')).code, 0);
  const file = join(dir, 'm/workflow-template/a.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('alpine:3.20', 'alpine:3.99'));
  const check = await argots(dir, 'check', 'pipelines', '--out', 'm', '--cache', '.cache');
  assert.is(check.code, 1);
  assert.match(check.out, /-\s+image: alpine:3\.99\n\+\s+image: alpine:3\.20/);
});

test('stale: an edit to an imported helper recompiles both importers, and check --cache sees the drift', async () => {
  const dir = project();
  assert.is((await argots(dir, 'compile', 'pipelines', '--out', 'm', '--cache', '.cache')).code, 0);
  writeFileSync(join(dir, 'lib/say.ts'), readFileSync(join(dir, 'lib/say.ts'), 'utf8').replace('alpine:3.20', 'alpine:3.21'));
  const check = await argots(dir, 'check', 'pipelines', '--out', 'm', '--cache', '.cache');
  assert.is(check.code, 1, 'the run entry keyed on the pipelines alone must not be trusted: the helper changed');
  assert.match(check.err, /0 files missing, 2 changed, 0 stale/);
  const compile = await argots(dir, 'compile', 'pipelines', '--out', 'm', '--cache', '.cache');
  assert.is(compile.code, 0, compile.err);
  assert.match(compile.out, /0 created, 2 updated, 1 unchanged/);
  assert.match(readFileSync(join(dir, 'm/workflow-template/a.yaml'), 'utf8'), /alpine:3\.21/);
  assert.match(readFileSync(join(dir, 'm/workflow-template/b.yaml'), 'utf8'), /alpine:3\.21/);
  assert.equal(readAll(join(dir, 'm')), (await compileWithout(dir)));
});

async function compileWithout(dir: string): Promise<Record<string, string>> {
  assert.is((await argots(dir, 'compile', 'pipelines', '--out', 'uncached')).code, 0);
  return readAll(join(dir, 'uncached'));
}

test('corrupt: entries with a flipped byte, truncated, or rewritten with a wrong checksum are ignored, never trusted', async () => {
  const dir = project();
  assert.is((await argots(dir, 'compile', 'pipelines', '--out', 'm', '--cache', '.cache')).code, 0);
  const files = entries(join(dir, '.cache'));
  for (const [i, f] of files.entries()) {
    const text = readFileSync(f, 'utf8');
    // Claim other content (the checksum on the first line no longer holds), or cut the entry short, or drop
    // its first line.
    if (i % 3 === 0) writeFileSync(f, text.replaceAll('alpine:3.20', 'alpine:6.66'));
    else if (i % 3 === 1) writeFileSync(f, text.slice(0, Math.floor(text.length / 2)));
    else writeFileSync(f, text.slice(text.indexOf('\n') + 1));
  }
  const check = await argots(dir, 'check', 'pipelines', '--out', 'm', '--cache', '.cache');
  assert.is(check.code, 0, check.err);
  const compile = await argots(dir, 'compile', 'pipelines', '--out', 'fresh', '--cache', '.cache');
  assert.is(compile.code, 0, compile.err);
  assert.not.match(JSON.stringify(readAll(join(dir, 'fresh'))), /6\.66/);
  assert.equal(readAll(join(dir, 'fresh')), readAll(join(dir, 'm')));
  // The corrupt entries were replaced by good ones.
  for (const f of entries(join(dir, '.cache'))) assert.match(readFileSync(f, 'utf8'), /^argots-cache 1 [0-9a-f]{64}\n\{/);
});

test('a cache entry is never a reason to skip errors: a broken pipeline fails with --cache as without', async () => {
  const dir = project();
  assert.is((await argots(dir, 'compile', 'pipelines', '--out', 'm', '--cache', '.cache')).code, 0);
  writeFileSync(join(dir, 'pipelines/c.ts'), "import { pipeline } from '@argots/dsl';\nexport default pipeline('c', (p) => {\n  p.task('one', undefined as never);\n});\n");
  const r = await argots(dir, 'check', 'pipelines', '--out', 'm', '--cache', '.cache');
  assert.is(r.code, 1);
  assert.match(r.err, /pipelines\/c\.ts:3/);
});

function spawnCompile(dir: string, out: string): Promise<{ code: number | null; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, 'compile', 'pipelines', '--out', out, '--cache', '.cache'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => done({ code, err }));
  });
}

test('concurrent: four processes writing one cache folder at once leave whole, valid entries', async () => {
  const dir = project();
  const results = await Promise.all(['o1', 'o2', 'o3', 'o4'].map((o) => spawnCompile(dir, o)));
  for (const r of results) assert.is(r.code, 0, r.err);
  const files = entries(join(dir, '.cache'));
  assert.is(files.length, 4, files.join('\n'));
  for (const f of files) assert.not.match(f, /\.tmp$/, `a temporary file was left: ${f}`);
  for (const f of files) assert.match(readFileSync(f, 'utf8'), /^argots-cache 1 [0-9a-f]{64}\n\{/);
  const expected = readAll(join(dir, 'o1'));
  for (const o of ['o2', 'o3', 'o4']) assert.equal(readAll(join(dir, o)), expected);
  const check = await argots(dir, 'check', 'pipelines', '--out', 'o3', '--cache', '.cache');
  assert.is(check.code, 0, check.err);
  assert.match(check.out, /up to date/);
  const fromCache = await argots(dir, 'compile', 'pipelines', '--out', 'o5', '--cache', '.cache');
  assert.is(fromCache.code, 0, fromCache.err);
  assert.equal(readAll(join(dir, 'o5')), expected);
});

test('a run recorded without a type check does not answer check (which type-checks by default): the type error is reported', async () => {
  const dir = project();
  writeFileSync(join(dir, 'pipelines/c.ts'), `${readFileSync(join(dir, 'pipelines/c.ts'), 'utf8')}const count: number = 'three';\nvoid count;\n`);
  // compile does not type-check unless asked: it succeeds and records the run.
  assert.is((await argots(dir, 'compile', 'pipelines', '--out', 'm', '--cache', '.cache')).code, 0);
  const check = await argots(dir, 'check', 'pipelines', '--out', 'm', '--cache', '.cache');
  assert.is(check.code, 1, check.out);
  assert.match(check.out + check.err, /TS2322/);
  // Without the type check, the recorded run answers.
  const unchecked = await argots(dir, 'check', 'pipelines', '--out', 'm', '--cache', '.cache', '--no-typecheck');
  assert.is(unchecked.code, 0, unchecked.err);
  assert.match(unchecked.out, /up to date/);
});

test.run();
