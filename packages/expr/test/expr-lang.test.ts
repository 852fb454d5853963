// expr-lang as Argo Workflows evaluates `{{= … }}`: each case states the behaviour it follows, from expr-lang's
// Language-Definition (docs/language-definition.md), its builtin package, Argo's docs/variables.md
// ("Expression" section) and util/template/expression_template.go, util/expr/env/env.go.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExprLangError, evaluateExprLang, exprLangNames, formatGoValue, parseExprLang } from '../src/expr-lang.js';
import { argoExpressionEnv, evaluateArgoExpression } from '../src/argo-expression.js';
import { jsonPathLookup } from '../src/jsonpath.js';

const run = (source: string, env: Record<string, unknown> = {}): unknown => evaluateExprLang(parseExprLang(source), env);
const text = (source: string, variables: Record<string, unknown> = {}): string => evaluateArgoExpression(source, argoExpressionEnv(variables));
const fails = (source: string, pattern: RegExp, env: Record<string, unknown> = {}): void => {
  try {
    run(source, env);
  } catch (error) {
    assert.instance(error, ExprLangError);
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`${source} should fail`);
};

test('literals: ints are Go ints, fractions are float64, strings in three quotes, arrays, maps, nil', () => {
  assert.is(run('42'), 42n);
  assert.is(run('1_000'), 1000n);
  assert.is(run('0x1F'), 31n);
  assert.is(run('1.5'), 1.5);
  assert.is(run('1e3'), 1000);
  assert.is(run('"a\\tb"'), 'a\tb');
  assert.is(run("'single'"), 'single');
  assert.is(run('`raw \\n`'), 'raw \\n');
  assert.equal(run('[1, "a", true]'), [1n, 'a', true]);
  assert.equal(run('{a: 1, "b-c": 2}'), { a: 1n, 'b-c': 2n });
  assert.is(run('nil'), null);
});

test('arithmetic keeps int and float apart: / and ** give floats, % takes ints, + concatenates strings', () => {
  assert.is(run('7 / 2'), 3.5);
  assert.is(run('6 / 3'), 2);
  assert.is(run('2 ** 3'), 8);
  assert.is(run('7 % 3'), 1n);
  assert.is(run('1 + 2 * 3'), 7n);
  assert.is(run('(1 + 2) * 3'), 9n);
  assert.is(run('2 ** 3 ** 2'), 512, '** is right-associative');
  assert.is(run('10 - 2 - 3'), 5n, '- is left-associative');
  assert.is(run('1 + 1.5'), 2.5);
  assert.is(run('"a" + "b"'), 'ab');
  assert.is(run('-3 + 1'), -2n);
  fails('1.5 % 2', /operator % not defined/);
  fails('"1" + 1', /mismatched types string and int/);
});

test('comparison and logic: no string/number coercion, short circuit, word and symbol forms', () => {
  assert.is(run('1 < 2 && "b" > "a"'), true);
  assert.is(run('1 == 1.0'), true);
  assert.is(run('not true or true'), true);
  assert.is(run('!(1 > 2)'), true);
  assert.is(run('false and x.y'), false, 'the right side is not evaluated');
  assert.is(run('true || 1'), true);
  fails('"2" > 1', /mismatched types string and int/);
  fails('1 && true', /expected bool/);
});

test('membership and string operators, negated forms', () => {
  assert.is(run('2 in [1, 2]'), true);
  assert.is(run('"a" in {a: 1}'), true);
  assert.is(run('3 not in [1, 2]'), true);
  assert.is(run('"release/1.4" matches "^release/[0-9.]+$"'), true);
  assert.is(run('"feature/x" not matches "^release/"'), true);
  assert.is(run('"abc" contains "b" and "abc" startsWith "a" and "abc" endsWith "c"'), true);
});

test('member access: dots, brackets for hyphenated names, negative indexes, slices, ?. and ??', () => {
  const env = { inputs: { parameters: { 'my-param': 'v', n: '3' } }, list: [1n, 2n, 3n], m: { a: null } };
  assert.is(run("inputs.parameters['my-param']", env), 'v');
  assert.is(run('inputs.parameters.n', env), '3');
  assert.is(run('list[-1]', env), 3n);
  assert.equal(run('list[1:]', env), [2n, 3n]);
  assert.equal(run('list[:2]', env), [1n, 2n]);
  assert.is(run('inputs.parameters.missing', env), null, 'a missing map key reads nil');
  assert.is(run('m.a?.b', env), null);
  assert.is(run('m.a?.b ?? "default"', env), 'default');
  fails('m.a.b', /cannot fetch b from <nil>/, env);
  fails('list[5]', /index out of range/, env);
  fails('nope', /unknown name nope/, env);
});

test('conditional and range operators', () => {
  assert.is(run('1 > 2 ? "a" : "b"'), 'b');
  assert.equal(run('1..3'), [1n, 2n, 3n]);
  assert.is(run('true ? 1 > 0 ? "x" : "y" : "z"'), 'x');
});

test('predicates: filter, map, all, any, none, one, count, find, sum with #, #index and .field', () => {
  assert.equal(run('filter([1, 2, 3], # > 1)'), [2n, 3n]);
  assert.equal(run('map([1, 2], { # * 2 })'), [2n, 4n]);
  assert.is(run('all([1, 2], # > 0)'), true);
  assert.is(run('any([1, 2], # > 1)'), true);
  assert.is(run('none([1, 2], # > 5)'), true);
  assert.is(run('one([1, 2], # > 1)'), true);
  assert.is(run('count([1, 2, 3], # > 1)'), 2n);
  assert.equal(run('find([{n: "a"}, {n: "b"}], .n == "b")'), { n: 'b' });
  assert.equal(run('map(["a", "b"], #index)'), [0n, 1n]);
  assert.is(run('sum([1, 2, 3])'), 6n);
  assert.equal(run('[1, 2, 3] | filter(# > 1) | map(# * 10)'), [20n, 30n], 'the pipe passes the left side as the first argument');
});

test('builtins: len, strings, conversions, JSON and base64', () => {
  assert.is(run('len("abc") + len([1]) + len({a: 1})'), 5n);
  assert.is(run('upper("a") + lower("B") + trim("  c ")'), 'Abc');
  assert.equal(run('split("a,b,c", ",")'), ['a', 'b', 'c']);
  assert.is(run('join(["a", "b"], "-")'), 'a-b');
  assert.is(run('int("42") + int(2.9)'), 44n);
  assert.is(run('float("1.5")'), 1.5);
  assert.is(run('toJSON({b: 1, a: [true]})'), '{\n  "a": [\n    true\n  ],\n  "b": 1\n}');
  assert.equal(run('fromJSON("{\\"a\\": 1}")'), { a: 1 }, 'JSON numbers are float64');
  assert.is(run('fromBase64(toBase64("hi"))'), 'hi');
  assert.is(run('type(1) + type(1.0) + type("")'), 'intfloatstring');
  fails('len(1)', /invalid argument for len/);
});

test('syntax errors name the position', () => {
  for (const [source, pattern] of [['1 +', /unexpected end/], ['(1', /expected "\)"/], ['"open', /not terminated/], ['a ยง b', /unrecognized character/], ['#', /only defined inside a predicate/]] as const) {
    try {
      parseExprLang(source);
      assert.unreachable(source);
    } catch (error) {
      assert.instance(error, ExprLangError);
      assert.match((error as Error).message, pattern);
      assert.type((error as ExprLangError).position, 'number');
    }
  }
});

test('Go %v printing: ints, floats as %g, lists and sorted maps, nil', () => {
  assert.is(formatGoValue(3n), '3');
  assert.is(formatGoValue(3), '3');
  assert.is(formatGoValue(2.5), '2.5');
  assert.is(formatGoValue(1e6), '1e+06');
  assert.is(formatGoValue([1n, 'a']), '[1 a]');
  assert.is(formatGoValue({ b: 1n, a: 'x' }), 'map[a:x b:1]');
  assert.is(formatGoValue(null), '<nil>');
});

test('Argo: flat variables expand into maps, the more specific key wins, asInt/asFloat/string/toJson/jsonpath/sprig', () => {
  const vars = { 'inputs.parameters.count': '3', 'inputs.parameters.my-param': 'x', 'workflow.name': 'wf-1', 'tasks.a.outputs.result': '{"items":[{"n":1},{"n":2}]}', 'tasks.a': 'conflict' };
  assert.is(text('asInt(inputs.parameters.count) + 1', vars), '4');
  assert.is(text('asFloat(inputs.parameters.count) / 2', vars), '1.5');
  assert.is(text("inputs.parameters['my-param'] + '-' + workflow.name", vars), 'x-wf-1');
  assert.is(text('string(1) + string(2.5)', vars), '12.5');
  assert.is(text('toJson({a: [1, "b"]})', vars), '{"a":[1,"b"]}');
  assert.is(text("jsonpath(tasks.a.outputs.result, '$.items[1].n')", vars), '2', 'JSON numbers are float64 and print as %v');
  assert.is(text("toJson(jsonpath(tasks.a.outputs.result, '$.items[*].n'))", vars), '[1,2]');
  assert.is(text('sprig.upper(sprig.trim("  ab "))', vars), 'AB');
  assert.is(text('sprig.trimSuffix("-x", "a-x")', vars), 'a');
  assert.is(text('inputs.parameters.count == \\"3\\"', vars), 'true', 'the tag is read as the inside of a JSON string');
  assert.throws(() => text('asInt("x")', vars), /invalid syntax/);
  assert.throws(() => text('inputs.parameters.missing', vars), /nil/);
  assert.throws(() => text('sprig.env("HOME")', vars), /not a function/, 'Argo removes env and expandenv from sprig');
});

test('exprLangNames lists the top-level names an expression reads', () => {
  assert.equal([...exprLangNames(parseExprLang('asInt(inputs.parameters.x) > 1 && tasks["a-b"].outputs.result in ["y"]'))].sort(), ['asInt', 'inputs', 'tasks']);
});

test('jsonpath as oliveagle/jsonpath: keys, indexes, ranges, wildcards, filters; missing keys are errors', () => {
  const doc = { store: { book: [{ t: 'a', price: 8 }, { t: 'b', price: 12, isbn: 'x' }] }, expensive: 10 };
  assert.is(jsonPathLookup(doc, '$.store.book[0].t'), 'a');
  assert.is(jsonPathLookup(doc, '$.store.book[-1].t'), 'b');
  assert.equal(jsonPathLookup(doc, '$.store.book[*].t'), ['a', 'b']);
  assert.equal(jsonPathLookup(doc, '$.store.book[0:1].t'), ['a']);
  assert.equal(jsonPathLookup(doc, '$.store.book[?(@.price > 10)].t'), ['b']);
  assert.equal(jsonPathLookup(doc, '$.store.book[?(@.isbn)].t'), ['b']);
  assert.equal(jsonPathLookup(doc, "$.store.book[?(@.t == 'a')].price"), [8]);
  assert.throws(() => jsonPathLookup(doc, '$.store.nope'), /not found/);
  assert.throws(() => jsonPathLookup(doc, '$..t'), /not supported/);
});

test.run();
