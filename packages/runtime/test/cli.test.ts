/**
 * The CLI's own promises, whatever the command: one JSON line on stdout that agrees with the output files,
 * secrets never printed (however long the value), `--help` only where a flag stands, and outputs written
 * all or nothing into a folder checked before the command runs.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectChanges as detectChangesCommand, shapeProblem, type JsonShape } from '@argots/contract';
import { main } from '../src/cli.js';
import { commit, initRepo, remove, tempDir } from './git-fixtures.js';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    cwd: process.cwd(),
    interactive: false,
  });
  return { code, stdout, stderr };
}

/** The one JSON line the run printed. */
function result(r: Run): Record<string, unknown> {
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 1, `one line on stdout, received: ${r.stdout}`);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

test('the JSON result stays valid and says what the output files say, even when a path looks like a secret', async () => {
  const { dir, first } = await initRepo({ 'src/a.ts': 'a\n' });
  const out = tempDir('argots-out-');
  try {
    const after = await commit(dir, 'config', { 'config/token=abc.yaml': 'a: 1\n', 'config/password: x.env': 'X=1\n' });
    const r = await run(['detect-changes', '--repo', dir, '--before', first, '--after', after, '--output-dir', out]);
    assert.is(r.code, 0, r.stderr);
    const outputs = result(r)['outputs'] as Record<string, string>;
    assert.is(outputs['configFiles'], readFileSync(join(out, 'configFiles'), 'utf8'));
    assert.equal(JSON.parse(outputs['configFiles'] ?? ''), ['config/password: x.env', 'config/token=abc.yaml']);
  } finally {
    remove(dir);
    remove(out);
  }
});

test('a credential in a value is never printed, however long the value (it is hidden before it is shortened)', async () => {
  const out = tempDir('argots-out-');
  const token = `ghs_${'Q'.repeat(70)}`;
  try {
    for (const argv of [
      ['detect-changes', '--repo', out, '--before', `https://bot:${token}@github.com/x.git`, '--after', 'a'.repeat(40)],
      ['update-manifests', '--gitops-url', 'https://github.com/acme/gitops.git', '--service', 's', '--env', 'dev', '--image', `r/x:1@sha256:${'1'.repeat(64)}`, '--source-commit', `https://bot:${token}@github.com/x.git`],
    ]) {
      const r = await run([...argv, '--output-dir', out]);
      assert.is(r.code, 1, r.stderr);
      assert.equal(result(r)['ok'], false);
      assert.not.match(r.stdout + r.stderr, 'QQQQ', 'no part of the token is printed');
      assert.match(r.stderr, /https:\/\/\*\*\*@/);
    }
  } finally {
    remove(out);
  }
});

test('detect-changes writes its JSON outputs in the shapes its contract declares (the DSL types loop items from them)', async () => {
  const { dir, first } = await initRepo({ '.argots/changes.yaml': 'services:\n  api: services/api\n  web: services/web\n  idle: services/idle\n', 'services/api/main.ts': 'a\n', 'services/web/app.yaml': 'a: 1\n', 'services/idle/x.ts': 'x\n' });
  const out = tempDir('argots-out-');
  try {
    const after = await commit(dir, 'change', { 'services/api/main.ts': 'b\n', 'services/web/app.yaml': 'a: 2\n' });
    const r = await run(['detect-changes', '--repo', dir, '--before', first, '--after', after, '--output-dir', out]);
    assert.is(r.code, 0, r.stderr);
    const shaped = Object.entries(detectChangesCommand.outputs).filter(([, o]) => 'shape' in o) as [string, { shape: JsonShape }][];
    assert.equal(shaped.map(([k]) => k).sort(), ['codeServices', 'configServices', 'services']);
    for (const [name, o] of shaped) {
      const value: unknown = JSON.parse(readFileSync(join(out, name), 'utf8'));
      assert.is(shapeProblem(value, o.shape), undefined, `${name}: ${JSON.stringify(value)}`);
    }
    const services = JSON.parse(readFileSync(join(out, 'services'), 'utf8')) as { name: string; kind: string }[];
    assert.equal(services.filter((s) => s.name !== 'web').map((s) => `${s.name}:${s.kind}`).sort(), ['api:code', 'idle:none'], 'unchanged services are listed, with kind none');
  } finally {
    remove(dir);
    remove(out);
  }
});

test('--help is help only where a flag would stand; as the value of a flag it is that value', async () => {
  const help = await run(['detect-build', '--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /^Usage: argots-runtime detect-build/);
  const { dir } = await initRepo({ 'Dockerfile': 'FROM scratch\n' });
  try {
    for (const value of ['-h', '--help']) {
      const r = await run(['detect-build', '--repo', dir, '--context', value, '--output-dir', tempDir('argots-out-')]);
      assert.not.match(r.stdout, /Usage:/, `--context ${value}`);
      assert.is(result(r)['command'], 'detect-build');
    }
  } finally {
    remove(dir);
  }
});

test('refused argv, an unknown command or none at all print one ok:false JSON line too (the usage goes to stderr)', async () => {
  const r = await run(['detect-changes', '--repo']);
  assert.is(r.code, 1);
  assert.equal([result(r)['ok'], result(r)['code']], [false, 'RUN001']);
  assert.match(String(result(r)['message']), /--repo expected a value after it/);
  const none = await run([]);
  assert.is(none.code, 1);
  assert.equal([result(none)['ok'], result(none)['code']], [false, 'RUN002']);
  assert.match(none.stderr, /^Usage: argots-runtime <command>/);
  const typo = await run(['detect-chnages', '--repo', '.']);
  assert.is(typo.code, 1);
  assert.equal([result(typo)['ok'], result(typo)['code']], [false, 'RUN002']);
  assert.match(typo.stderr, /unknown command "detect-chnages"; expected one of: .*detect-changes/);
});

test('an output directory that cannot be written is refused before the command runs; outputs are all or nothing', async () => {
  const { dir, first } = await initRepo({ 'Dockerfile': 'FROM scratch\n', 'src/a.ts': 'a\n' });
  const work = tempDir('argots-out-');
  try {
    const after = await commit(dir, 'change', { 'src/a.ts': 'b\n' });
    const file = join(work, 'not-a-folder');
    writeFileSync(file, 'x');
    const r = await run(['detect-changes', '--repo', dir, '--before', first, '--after', after, '--output-dir', file]);
    assert.is(r.code, 1);
    assert.equal([result(r)['ok'], result(r)['code']], [false, 'RUN010']);
    assert.match(r.stderr, /output directory ".*not-a-folder" is not a folder/);
    // One output's place is taken by a folder: no output is left behind, not even the ones before it.
    const out = join(work, 'out');
    mkdirSync(join(out, 'dockerfiles'), { recursive: true });
    const b = await run(['detect-build', '--repo', dir, '--context', '.', '--output-dir', out]);
    assert.is(b.code, 1, b.stdout);
    assert.equal([result(b)['ok'], result(b)['code']], [false, 'RUN011']);
    assert.equal(readdirSync(out), ['dockerfiles'], 'nothing written beside the folder in the way');
    assert.not.ok(existsSync(join(out, 'kind')));
  } finally {
    remove(dir);
    remove(work);
  }
});

test.run();
