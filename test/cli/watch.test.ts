// `argots compile --watch` as a user runs it: a real process, real edits to real files, the YAML appearing.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

const repoRoot = new URL('../..', import.meta.url).pathname;
const bin = join(repoRoot, 'packages/cli/src/bin.ts');
const running: ChildProcess[] = [];

test.after(() => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  removeFixtureProjects();
});

const helper = (image: string): string => `import { container } from '@argots/dsl';\nexport const say = container('say', { container: { image: '${image}', command: ['echo', 'hi'] } });\n`;
const uses = (name: string): string =>
  `import { pipeline } from '@argots/dsl';\nimport { say } from '../lib/say.js';\nexport default pipeline('${name}', (p) => {\n  p.task('hello', say.call({}));\n});\n`;
const own = (name: string, image: string): string =>
  `import { container, pipeline } from '@argots/dsl';\nconst own = container('own', { container: { image: '${image}', command: ['true'] } });\nexport default pipeline('${name}', (p) => {\n  p.task('one', own.call({}));\n});\n`;

/** Saves as most editors do ("safe write"): a temporary file renamed over the source, so no half file is read. */
function save(file: string, content: string): void {
  writeFileSync(`${file}.saving`, content);
  renameSync(`${file}.saving`, file);
}

async function waitFor(what: string, ok: () => boolean, log: () => string, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('watch: an edit to a helper rewrites its two importers only; a broken edit keeps the last good output; Ctrl-C exits 0', async () => {
  const dir = fixtureProject({ 'lib/say.ts': helper('alpine:3.20'), 'pipelines/a.ts': uses('a'), 'pipelines/b.ts': uses('b'), 'pipelines/c.ts': own('c', 'busybox:1.36') });
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, 'compile', 'pipelines', '--out', 'm', '--watch'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const log = (): string => `stdout:\n${out}\nstderr:\n${err}`;
  const file = (name: string): string => join(dir, 'm/workflow-template', `${name}.yaml`);
  const read = (name: string): string => (existsSync(file(name)) ? readFileSync(file(name), 'utf8') : '');

  await waitFor('the first compile', () => err.includes('watching 3 pipeline files'), log);
  assert.match(out, /compiled 3 modules \(3 created, 0 updated/);
  assert.match(read('a'), /image: alpine:3\.20/);
  const cBefore = statSync(file('c')).mtimeMs;

  // A helper imported by two pipelines: both are recompiled and rewritten, the third is not touched.
  save(join(dir, 'lib/say.ts'), helper('alpine:3.21'));
  await waitFor('a and b rewritten', () => /alpine:3\.21/.test(read('a')) && /alpine:3\.21/.test(read('b')), log);
  await waitFor('the report', () => /compiled 2 modules \(0 created, 2 updated, 0 unchanged, 0 removed\)/.test(out), log);
  assert.is(statSync(file('c')).mtimeMs, cBefore, 'c.yaml was not rewritten');

  // A broken edit: the diagnostic, with the file and line, and the last good output stays.
  const goodA = read('a');
  let from = err.length;
  save(join(dir, 'pipelines/a.ts'), `${uses('a')}export const broken = ;\n`);
  await waitFor('the diagnostic', () => err.slice(from).includes('keeps the last good output'), log);
  assert.match(err.slice(from), /ARG901/);
  assert.match(err.slice(from), /pipelines\/a\.ts:6/);
  assert.is(read('a'), goodA);
  from = err.length;
  // A pipeline error (not a syntax error) is reported at its builder call, and also keeps the output.
  save(join(dir, 'pipelines/c.ts'), own('c', 'busybox:1.36').replace("container: { image: 'busybox:1.36', command: ['true'] }", "container: { image: '', command: ['true'] }"));
  await waitFor('the second diagnostic', () => /pipelines\/c\.ts:\d+[\s\S]*keeps the last good output/.test(err.slice(from)), log);
  assert.match(read('c'), /busybox:1\.36/);

  // Fixing both: the output catches up.
  const reports = out.split('✓').length;
  save(join(dir, 'pipelines/a.ts'), uses('a'));
  save(join(dir, 'pipelines/c.ts'), own('c', 'busybox:1.37'));
  await waitFor('c rewritten', () => /busybox:1\.37/.test(read('c')), log);
  await waitFor('a report after the fix', () => out.split('✓').length > reports, log);
  assert.is(read('a'), goodA);

  // A renamed pipeline: the new file appears; the old one is kept (no --prune) and listed.
  save(join(dir, 'pipelines/c.ts'), own('c2', 'busybox:1.37'));
  await waitFor('c2 written', () => read('c2') !== '', log);
  await waitFor('the kept file listed', () => out.includes('m/workflow-template/c.yaml (no longer produced; kept: --prune removes it)'), log);
  assert.ok(existsSync(file('c')), 'c.yaml kept without --prune');

  child.kill('SIGINT');
  assert.is(await exited, 0, log());
  assert.match(err, /stopped watching\n$/);
});

test('watch --prune: a pipeline renamed while watching removes its old file; a new pipeline file is picked up', async () => {
  const dir = fixtureProject({ 'pipelines/c.ts': own('c', 'busybox:1.36') });
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, 'compile', 'pipelines', '--out', 'm', '--watch', '--prune'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const log = (): string => `stdout:\n${out}\nstderr:\n${err}`;
  const file = (name: string): string => join(dir, 'm/workflow-template', `${name}.yaml`);
  await waitFor('the first compile', () => err.includes('watching 1 pipeline file'), log);
  save(join(dir, 'pipelines/c.ts'), own('c2', 'busybox:1.36'));
  await waitFor('c removed, c2 written', () => !existsSync(file('c')) && existsSync(file('c2')), log);
  await waitFor('the removal reported', () => /- m\/workflow-template\/c\.yaml/.test(out), log);
  save(join(dir, 'pipelines/d.ts'), own('d', 'busybox:1.36'));
  await waitFor('d written', () => existsSync(file('d')), log);
  child.kill('SIGTERM');
  assert.is(await exited, 0, log());
});

test.run();
