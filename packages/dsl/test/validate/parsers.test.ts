// The small parsers behind ARG031 (cron), ARG088 (depends), ARG091 (when) and ARG092 ({{= }} expressions).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cronProblem } from '../../src/validate/_internal/cron.js';
import { dependsRefs, parseDepends } from '../../src/validate/_internal/depends.js';
import { readExpression } from '../../src/validate/_internal/expression.js';
import { whenProblem } from '../../src/validate/_internal/when.js';

test('depends: names with dashes, results, !, && binding tighter than ||, parentheses', () => {
  const tree = parseDepends('build-api.Succeeded || !lint && (test.Failed || e2e)');
  assert.ok(!('message' in tree));
  if ('message' in tree) return;
  assert.equal(dependsRefs(tree).map((r) => `${r.task}:${r.result ?? ''}`), ['build-api:Succeeded', 'lint:', 'test:Failed', 'e2e:']);
  assert.is(tree.kind, 'or');
});

test('depends: errors say what was expected and where', () => {
  assert.equal(parseDepends('a b'), { message: 'expected "&&", "||" or the end of the expression at column 3, received "b"', offset: 2 });
  assert.equal(parseDepends('a & b'), { message: 'unexpected character "&" at column 3', offset: 2 });
  assert.equal(parseDepends(')'), { message: 'expected a task name, "!" or "(" at column 1, received ")"', offset: 0 });
});

test('when: govaluate structure with Argo\'s bare words, tags, strings, lists and regex operators', () => {
  for (const ok of [
    '{{steps.flip.outputs.result}} == heads',
    "{{inputs.parameters.x}} =~ '^v[0-9]+' && !({{item}} in (1, 2, 3))",
    'true',
    '-1 < {{x}} || "a b" != {{y}}',
    '{{a}} == 2021-01-01',
  ]) assert.is(whenProblem(ok), undefined, ok);
  assert.is(whenProblem('{{a}} =='), 'expected a value but found the end of the condition');
  assert.is(whenProblem('({{a}} == 1'), 'expected ")" but found the end of the condition');
  assert.is(whenProblem("{{a}} == 'open"), 'unterminated string starting at column 10');
  assert.is(whenProblem('hello world'), 'expected an operator but found "world" at column 7');
  assert.is(whenProblem(''), 'the condition is empty');
});

test('expressions: chains under Argo\'s roots, bracket keys, strings skipped, balance checked', () => {
  const r = readExpression(`inputs.parameters['my-param'] + steps.build.outputs.result + sprig.trim("tasks.x") + item.name`);
  assert.equal(r, { problem: undefined, chains: ['inputs.parameters.my-param', 'steps.build.outputs.result', 'item.name'] });
  assert.equal(readExpression('a.b.inputs').chains, []);
  assert.equal(readExpression('(1 + 2').problem, 'expected ")" before the end of the expression');
  assert.equal(readExpression('a ] b').problem, 'unbalanced "]" at column 3');
});

test('cron: five numeric fields with ranges, lists and steps, or a descriptor', () => {
  for (const ok of ['* * * * *', '*/15 9-17 * * 1-5', '0 0 1,15 * ?', '@hourly', '@every 1h30m', '5 4 * * 0']) {
    assert.is(cronProblem(ok), undefined, ok);
  }
  assert.is(cronProblem('60 * * * *'), 'minute "60" is outside 0-59');
  assert.is(cronProblem('* * 0 * *'), 'day of month "0" is outside 1-31');
  assert.is(cronProblem('* * * 13 *'), 'month "13" is outside 1-12');
  assert.is(cronProblem('* * * * 7'), 'day of week "7" is outside 0-6');
  assert.is(cronProblem('5-1 * * * *'), 'minute "5-1" has a range that runs backwards');
  assert.is(cronProblem('*/0 * * * *'), 'minute "*/0" has a step of 0');
  assert.is(cronProblem('@fortnightly'), 'unknown descriptor "@fortnightly"');
});

test.run();
