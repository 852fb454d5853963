// I/O mistakes a new user makes with the CLI: each is a clear user error (exit 1, no stack trace).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

const hello = [
  "import { container, pipeline } from '@argots/dsl';",
  "const say = container('say', { container: { image: 'alpine:3.20', command: ['echo', 'hello'] } });",
  "export default pipeline('hello', (p) => { p.task('first', say.call({})); });",
  '',
].join('\n');

test('compile --out a directory that cannot be created: a user error naming it, no stack trace', async () => {
  const dir = fixtureProject({ 'pipelines/hello.ts': hello });
  const io = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--out', '/proc/nope'], io), 1);
  assert.match(io.err(), /^✖ could not write to \/proc\/nope\/: no such file or directory \(ENOENT, mkdir \/proc\/nope\)\n/);
  assert.match(io.err(), /hint: /);
  assert.not.match(io.err(), /internal error|    at |\.argots-\d+/);
});

test('check --out a directory that does not exist: says so, instead of a diff of every file', async () => {
  const dir = fixtureProject({ 'pipelines/hello.ts': hello });
  const io = memoryIo(dir);
  assert.is(await run(['check', 'pipelines', '--out', 'missing-dir'], io), 1);
  assert.is(io.out(), '', 'no diff');
  assert.match(io.err(), /^✖ argots check: the output directory missing-dir\/ does not exist\n/);
  assert.match(io.err(), /hint: .*argots compile pipelines --out missing-dir/);
  assert.not.ok(existsSync(join(dir, 'missing-dir')));
});

test.run();
