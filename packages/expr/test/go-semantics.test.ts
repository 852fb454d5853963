import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gjsonGet } from '../src/gjson.js';
import { compileRe2 } from '../src/re2.js';
import { evaluateExpr, parseExpr } from '../src/govaluate.js';
import { executeGoTemplate } from '../src/go-template.js';
import { sjsonSet } from '../src/sjson.js';
import { formatGoFloat } from '../src/go-values.js';

const doc = { body: { 'a.b': 1, labels: { 'app.kubernetes.io/name': 'shop' }, list: [{ id: 'x' }, { id: 'y' }], name: 'main' } };

test('gjson: escaped dots, array indices as keys, wildcards, # and #.key; missing paths do not exist', () => {
  assert.equal(gjsonGet(doc, 'body.a\\.b'), { exists: true, value: 1 });
  assert.equal(gjsonGet(doc, 'body.labels.app\\.kubernetes\\.io/name'), { exists: true, value: 'shop' });
  assert.equal(gjsonGet(doc, 'body.list.1.id'), { exists: true, value: 'y' });
  assert.equal(gjsonGet(doc, 'body.lab*.app*'), { exists: true, value: 'shop' });
  assert.equal(gjsonGet(doc, 'body.na?e'), { exists: true, value: 'main' });
  assert.equal(gjsonGet(doc, 'body.list.#'), { exists: true, value: 2 });
  assert.equal(gjsonGet(doc, 'body.list.#.id'), { exists: true, value: ['x', 'y'] });
  assert.equal(gjsonGet(doc, 'body.list.2'), { exists: false });
  assert.equal(gjsonGet(doc, 'body.nope'), { exists: false });
  assert.equal(gjsonGet(doc, 'body.list.#(id=="x")'), { exists: true, value: (doc.body.list as unknown[])[0] });
  assert.ok(!gjsonGet(doc, 'body.list.@group').exists && 'unsupported' in gjsonGet(doc, 'body.list.@group'));
});

test('RE2: Go syntax is translated, syntax Go rejects is rejected with Go\'s words', () => {
  const ok = (p: string, s: string) => {
    const r = compileRe2(p);
    if (!r.ok) throw new Error(r.error);
    return r.regex.test(s);
  };
  assert.ok(ok('(?P<major>\\d+)\\.x', 'v12.x'));
  assert.ok(ok('(?i)^MAIN$', 'main'));
  assert.ok(ok('^[[:alpha:]]+$', 'abc') && !ok('^[[:alpha:]]+$', 'a1'));
  assert.ok(ok('\\Aa\\.b\\z', 'a.b') && !ok('\\Aa\\.b\\z', 'a.bc'));
  assert.ok(ok('\\Qa.b\\E', 'a.b') && !ok('\\Qa.b\\E', 'axb'));
  assert.ok(ok('main', 'maintenance'), 'unanchored');
  assert.ok(!ok('^\\s$', '\u00a0'), 'RE2 \\s is ASCII only');
  assert.ok(ok('^a.b$', 'a\rb') && !ok('^a.b$', 'a\nb') && ok('(?s)^a.b$', 'a\nb'), 'RE2 . is anything but \\n');
  const look = compileRe2('foo(?=bar)');
  assert.ok(!look.ok && look.error.includes('invalid or unsupported Perl syntax'));
  const back = compileRe2('(a)\\1');
  assert.ok(!back.ok && back.error.includes('invalid escape sequence'));
  const open = compileRe2('release/(');
  assert.ok(!open.ok && open.error.startsWith('error parsing regexp'));
});

test('govaluate: typing, short-circuit, regex, IN, ternary', () => {
  const ev = (e: string, p: Record<string, unknown> = {}) => evaluateExpr(parseExpr(e), new Map(Object.entries(p)));
  assert.is(ev('a == "main" && b > 2', { a: 'main', b: 3 }), true);
  assert.is(ev('a =~ "^release/" || false', { a: 'release/1' }), true);
  assert.is(ev('n IN (1, 2, 3)', { n: 2 }), true);
  assert.is(ev('x > 1 ? "big" : "small"', { x: 0 }), 'small');
  assert.is(ev('"v" + 1'), 'v1');
  assert.is(ev('false && missing'), false);
  assert.throws(() => ev('missing == 1'), /No parameter 'missing' found/);
  assert.throws(() => ev('a > 1', { a: 'x' }), /cannot be used with the comparator '>'/);
  assert.throws(() => ev('a && true', { a: 'x' }), /not a bool/);
});

test('Go templates: fields, pipelines, sprig functions, numbers printed as Go prints float64', () => {
  const input = { body: { ref: 'refs/heads/Dev', id: 186853002, n: 2 } };
  assert.is(executeGoTemplate('{{ .Input.body.ref | lower }}', input), 'refs/heads/dev');
  assert.is(executeGoTemplate('{{ trimPrefix "refs/heads/" .Input.body.ref }}', input), 'Dev');
  assert.is(executeGoTemplate('{{ .Input.body.id }}', input), '1.86853002e+08');
  assert.is(executeGoTemplate('pr-{{ .Input.body.n }}', input), 'pr-2');
  assert.is(executeGoTemplate('{{ .Input.body.nope }}', input), '<no value>');
  assert.is(executeGoTemplate('{{- " x " -}}  ', input), ' x ');
  assert.throws(() => executeGoTemplate('{{ .Input.body.ref.x }}', input), /can't evaluate field x in type string/);
  assert.is(executeGoTemplate('{{ if .Input }}x{{ end }}', input), 'x');
  assert.throws(() => executeGoTemplate('{{ define "t" }}x{{ end }}', input), /not evaluated by simulate/);
  assert.is(formatGoFloat(123456), '123456');
  assert.is(formatGoFloat(1e6), '1e+06');
});

test('sjson: dest paths set nested keys, indices, and -1 appends', () => {
  assert.equal(sjsonSet({ a: [{ v: 1 }] }, 'a.0.v', 'x'), { a: [{ v: 'x' }] });
  assert.equal(sjsonSet({ a: [1] }, 'a.-1', 2), { a: [1, 2] });
  assert.equal(sjsonSet({}, 'spec.args.-1', 'x'), { spec: { args: ['x'] } });
  assert.equal(sjsonSet({}, 'metadata.labels.app\\.io/name', 'x'), { metadata: { labels: { 'app.io/name': 'x' } } });
});
// sprig v3 (Masterminds/sprig, registered by Argo Events for dataTemplate and filter templates):
// b64dec returns base64.StdEncoding's error text instead of failing; add/sub/mul/div work on int64.
test('sprig encodings, hashes, strings and integer math evaluate as sprig does', () => {
  assert.is(executeGoTemplate('{{ b64dec .Input }}', 'aGVsbG8='), 'hello');
  assert.is(executeGoTemplate('{{ b64enc .Input }}', 'hello'), 'aGVsbG8=');
  assert.is(executeGoTemplate('{{ b64dec .Input }}', 'aGVsbG8'), 'illegal base64 data at input byte 4');
  assert.is(executeGoTemplate('{{ b64dec .Input }}', 'a$'), 'illegal base64 data at input byte 1');
  assert.is(executeGoTemplate('{{ sha256sum .Input }}', 'abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.is(executeGoTemplate('{{ repeat 3 .Input }}', 'ab'), 'ababab');
  assert.is(executeGoTemplate('{{ title .Input }}', 'hello wide world'), 'Hello Wide World');
  assert.is(executeGoTemplate('{{ nospace .Input }}', 'a b\tc'), 'abc');
  assert.is(executeGoTemplate('{{ abbrev 5 .Input }}', 'hello world'), 'he...');
  assert.is(executeGoTemplate('{{ add 1 2 3 }}', ''), '6');
  assert.is(executeGoTemplate('{{ div 7 2 }}', ''), '3');
  assert.is(executeGoTemplate('{{ max 1 9 3 }}', ''), '9');
  assert.is(executeGoTemplate('{{ atoi .Input | add1 }}', '41'), '42');
});


test('govaluate: bitwise and exponent operators at stagePlanner.go precedences; calls and accessors fail as in Argo (no functions, JSON values are not structs)', () => {
  const p = new Map<string, unknown>([['a', 6], ['b', 3], ['o', { x: 1 }]]);
  const ev = (text: string): unknown => evaluateExpr(parseExpr(text), p);
  assert.equal(['a & b', 'a | b', 'a ^ b', 'a << 2', 'a >> 1', '~a', '2 ** 3'].map(ev), [2, 7, 5, 24, 3, -7, 8]);
  // comparators bind looser than bitwise operators, shifts looser than + and -, ** tighter than *.
  assert.equal(['a & b == 2', 'a + 1 << 1', '1 + 2 * 3 ** 2'].map(ev), [true, 14, 19]);
  assert.throws(() => ev('len(a) > 1'), /Cannot transition token types from VARIABLE \[len\] to CLAUSE \[40\]/);
  assert.throws(() => ev('o.x == 1'), /Unable to access 'x', 'o' is not a struct/);
  assert.throws(() => ev('z.x == 1'), /No parameter 'z' found\./);
  assert.throws(() => ev('a & "x"'), /cannot be used with the modifier '&', it is not a number/);
});

test.run();
