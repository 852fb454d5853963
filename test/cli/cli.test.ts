// The command line itself: help, versions, wrong usage, exit codes, colour and --json for user errors.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commands, run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
test.after(removeFixtureProjects);

test('argots --help lists every command; no command at all is a usage error', async () => {
  const io = memoryIo(root);
  assert.is(await run(['--help'], io), 0);
  for (const name of commands.map((c) => c.spec.name)) assert.match(io.out(), new RegExp(`\\n  ${name} `));
  const none = memoryIo(root);
  assert.is(await run([], none), 1);
  assert.match(none.err(), /^Usage: argots <command>/);
});

test('every command has --help with its usage, options, examples and exit codes', async () => {
  for (const c of commands) {
    const io = memoryIo(root);
    assert.is(await run([c.spec.name, '--help'], io), 0, c.spec.name);
    for (const part of [`Usage: argots ${c.spec.name}`, 'Options:', '--json', 'Examples:', 'Exit codes:', '  2  internal error']) assert.ok(io.out().includes(part), `${c.spec.name} --help shows "${part}"`);
    for (const flag of Object.keys(c.spec.flags)) assert.ok(io.out().includes(`--${flag}`), `${c.spec.name} --help shows --${flag}`);
  }
});

test('the README documents every command and flag', () => {
  const readme = readFileSync(join(root, 'packages/cli/README.md'), 'utf8');
  for (const c of commands) {
    assert.ok(readme.includes(`### \`argots ${c.spec.name}`), `README section for ${c.spec.name}`);
    for (const flag of Object.keys(c.spec.flags)) assert.ok(readme.includes(`--${flag}`), `README mentions ${c.spec.name} --${flag}`);
  }
});

test('an unknown command names the known ones, exit 1', async () => {
  const io = memoryIo(root);
  assert.is(await run(['compiel', 'x'], io), 1);
  assert.is(io.err(), `✖ unknown command "compiel" (did you mean "compile"?), expected one of ${commands.map((c) => c.spec.name).join(', ')}\n  hint: run 'argots --help' for the list of commands\n`);
});

test('an unknown flag, a missing --out and a bad --format are user errors with a hint, exit 1', async () => {
  const cases: [string[], RegExp][] = [
    [['compile', 'pipelines', '--outt', 'x'], /^✖ argots compile: unknown option '--outt' \(did you mean --out\?\)\n  hint: run 'argots compile --help' for its usage\n$/],
    [['compile', 'pipelines', '--purne'], /^✖ argots compile: unknown option '--purne' \(did you mean --prune\?\)\n/],
    [['compile', 'pipelines', '--zzzzzz'], /^✖ argots compile: unknown option '--zzzzzz'\n/],
    [['compile', 'pipelines'], /^✖ argots compile: --out DIR \(or --stdout\) is required\n/],
    [['check'], /^✖ argots check: expected at least 1 path \(a pipeline file or a directory\), received 0\n/],
    [['graph', 'a.ts', '--format', 'png'], /^✖ argots graph: --format expected one of "mermaid", "dot", received "png"\n/],
    [['graph', 'a.ts', 'b.ts'], /^✖ argots graph: expected at most 1 file .*received 2/],
  ];
  for (const [argv, expected] of cases) {
    const io = memoryIo(root);
    assert.is(await run(argv, io), 1, argv.join(' '));
    assert.match(io.err(), expected);
    assert.is(io.out(), '');
  }
});

test('a path that does not exist is a user error naming it', async () => {
  const io = memoryIo(root);
  assert.is(await run(['compile', 'no-such-dir', '--out', 'x'], io), 1);
  assert.match(io.err(), /^✖ "no-such-dir" does not exist \(looked for .*\/no-such-dir\)\n  hint: /);
});

test('with --json a user error is one JSON document on stdout', async () => {
  const io = memoryIo(root);
  assert.is(await run(['compile', 'no-such-dir', '--out', 'x', '--json'], io), 1);
  const doc = JSON.parse(io.out()) as Record<string, unknown>;
  assert.equal(Object.keys(doc), ['argots', 'command', 'ok', 'exitCode', 'diagnostics', 'error']);
  assert.is(doc['ok'], false);
  assert.is(doc['exitCode'], 1);
  assert.match((doc['error'] as { message: string }).message, /"no-such-dir" does not exist/);
});

test('a pipeline module that throws: a diagnostic at its line, exit 1, nothing written', async () => {
  const dir = fixtureProject({ 'pipelines/bad.ts': "const region: string = '';\nif (!region) throw new Error('REGION is not set');\nexport default region;\n" });
  const io = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], io), 1);
  assert.ok(io.err().startsWith('✖ ARG902 pipeline module "pipelines/bad.ts" threw while it was loaded: Error: REGION is not set\n  → at pipelines/bad.ts:2:20\n'), io.err());
  assert.match(io.err(), /nothing was written to manifests\/\n$/);
  assert.not.ok(existsSync(join(dir, 'manifests')));
  assert.not.match(io.err(), /node:internal|    at /, 'no stack trace');
});

test('colour only on a TTY, and never with NO_COLOR', async () => {
  const dir = fixtureProject({ 'p/bad.ts': "throw new Error('x');\n" });
  const tty = memoryIo(dir, { tty: true });
  await run(['compile', 'p', '--out', 'o'], tty);
  assert.ok(tty.err().includes('\u001b[31m✖'), 'red on a TTY');
  const noColor = memoryIo(dir, { tty: true, env: { NO_COLOR: '1' } });
  await run(['compile', 'p', '--out', 'o'], noColor);
  assert.not.ok(noColor.err().includes('\u001b['));
  const pipe = memoryIo(dir);
  await run(['compile', 'p', '--out', 'o'], pipe);
  assert.not.ok(pipe.err().includes('\u001b['));
  const forced = memoryIo(dir, { env: { FORCE_COLOR: '1' } });
  await run(['compile', 'p', '--out', 'o'], forced);
  assert.ok(forced.err().includes('\u001b[31m✖'), 'FORCE_COLOR colours a pipe (CI logs)');
  const forcedOff = memoryIo(dir, { tty: true, env: { FORCE_COLOR: '0' } });
  await run(['compile', 'p', '--out', 'o'], forcedOff);
  assert.not.ok(forcedOff.err().includes('\u001b['));
});

test('argots help CMD is CMD --help; argots version is --version', async () => {
  const help = memoryIo(root);
  assert.is(await run(['help', 'compile'], help), 0);
  const flag = memoryIo(root);
  await run(['compile', '--help'], flag);
  assert.is(help.out(), flag.out());
  assert.match(help.out(), /-o, --out DIR/);
  const unknown = memoryIo(root);
  assert.is(await run(['help', 'compyle'], unknown), 1);
  assert.match(unknown.err(), /did you mean "compile"/);
  const version = memoryIo(root);
  assert.is(await run(['version'], version), 0);
  assert.match(version.out(), /^\d+\.\d+\.\d+/);
});

test('an internal error says it is a bug and how to report it, exit 2', async () => {
  let err = '';
  const io = {
    stdout: { write: (): void => { throw new TypeError('stdout went away'); } },
    stderr: { write: (t: string): void => void (err += t) },
    cwd: root,
    env: {},
  };
  assert.is(await run(['graph', '--help'], io), 2);
  assert.match(err, /^✖ internal error: this is a bug in argots, not in your pipelines\n  please report it .* with the command you ran/);
  assert.match(err, /TypeError: stdout went away/);
});

test('the real binary: --version, and exit codes through a process', () => {
  const bin = ['--conditions=source', '--import', 'tsx', join(root, 'packages/cli/src/bin.ts')];
  const version = spawnSync(process.execPath, [...bin, '--version'], { cwd: root, encoding: 'utf8' });
  assert.is(version.status, 0);
  assert.is(version.stdout, `${(JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string }).version}\n`);
  const wrong = spawnSync(process.execPath, [...bin, 'compile'], { cwd: root, encoding: 'utf8' });
  assert.is(wrong.status, 1);
  assert.match(wrong.stderr, /expected at least 1 path/);
});

test.run();
