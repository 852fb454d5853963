// gjson path syntax, case by case from gjson's SYNTAX.md (github.com/tidwall/gjson, "GJSON Path Syntax"):
// every example of its Basic, Wildcards, Escape, Arrays, Queries, Dot vs Pipe, Modifiers and Multipaths
// sections, over its example document, with the value the document states.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gjsonGet, parseGjsonPath } from '../src/gjson.js';

const doc = {
  name: { first: 'Tom', last: 'Anderson' },
  age: 37,
  children: ['Sara', 'Alex', 'Jack'],
  'fav.movie': 'Deer Hunter',
  friends: [
    { first: 'Dale', last: 'Murphy', age: 44, nets: ['ig', 'fb', 'tw'] },
    { first: 'Roger', last: 'Craig', age: 68, nets: ['fb', 'tw'] },
    { first: 'Jane', last: 'Murphy', age: 47, nets: ['ig', 'tw'] },
  ],
};
const [dale, roger, jane] = doc.friends;

const cases: readonly [string, unknown][] = [
  ['name.last', 'Anderson'],
  ['age', 37],
  ['children', ['Sara', 'Alex', 'Jack']],
  ['children.0', 'Sara'],
  ['friends.1', roger],
  ['friends.1.first', 'Roger'],
  ['child*.2', 'Jack'],
  ['c?ildren.0', 'Sara'],
  ['fav\\.movie', 'Deer Hunter'],
  ['friends.#', 3],
  ['friends.#.age', [44, 68, 47]],
  ['friends.#(last=="Murphy").first', 'Dale'],
  ['friends.#(last=="Murphy")#.first', ['Dale', 'Jane']],
  ['friends.#(age>45)#.last', ['Craig', 'Murphy']],
  ['friends.#(first%"D*").last', 'Murphy'],
  ['friends.#(first!%"D*").last', 'Craig'],
  ['children.#(!%"*a*")', 'Alex'],
  ['children.#(%"*a*")#', ['Sara', 'Jack']],
  ['friends.#(nets.#(=="fb"))#.first', ['Dale', 'Roger']],
  ['friends.0.first', 'Dale'],
  ['friends|0.first', 'Dale'],
  ['friends.0|first', 'Dale'],
  ['friends|0|first', 'Dale'],
  ['friends|#', 3],
  ['friends.#(last="Murphy")#', [dale, jane]],
  ['friends.#(last="Murphy")#.first', ['Dale', 'Jane']],
  ['friends.#(last="Murphy")#.0', []],
  ['friends.#(last="Murphy")#|0', dale],
  ['friends.#(last="Murphy")#.#', []],
  ['friends.#(last="Murphy")#|#', 2],
  ['children.@reverse', ['Jack', 'Alex', 'Sara']],
  ['children.@reverse.0', 'Jack'],
  ['{name.first,age,"the_murphys":friends.#(last="Murphy")#.first}', { first: 'Tom', age: 37, the_murphys: ['Dale', 'Jane'] }],
];

for (const [path, value] of cases) {
  test(`SYNTAX.md: ${path}`, () => {
    assert.equal(gjsonGet(doc, path), { exists: true, value });
  });
}

test('SYNTAX.md: "friends.#(last="Murphy")#|first" does not exist (first is read from the array)', () => {
  assert.equal(gjsonGet(doc, 'friends.#(last="Murphy")#|first'), { exists: false });
});

test('queries: numbers, booleans, existence, no match', () => {
  const d = { items: [{ n: 1, ok: true }, { n: 2, ok: false }, { n: 3 }] };
  assert.equal(gjsonGet(d, 'items.#(n>=2)#.n'), { exists: true, value: [2, 3] });
  assert.equal(gjsonGet(d, 'items.#(n!=2)#.n'), { exists: true, value: [1, 3] });
  assert.equal(gjsonGet(d, 'items.#(ok==true).n'), { exists: true, value: 1 });
  assert.equal(gjsonGet(d, 'items.#(ok==false).n'), { exists: true, value: 2 });
  assert.equal(gjsonGet(d, 'items.#(ok)#.n'), { exists: true, value: [1, 2] });
  assert.equal(gjsonGet(d, 'items.#(n>9)'), { exists: false });
  assert.equal(gjsonGet(d, 'items.#(n>9)#'), { exists: true, value: [] });
});

test('a GitHub push: changed files of the commits touching a service, with a query and a multipath', () => {
  const push = { body: { commits: [{ id: 'a', modified: ['services/shop-api/app.ts'] }, { id: 'b', modified: ['README.md'] }] } };
  assert.equal(gjsonGet(push, 'body.commits.#(modified.#(%"services/*"))#.id'), { exists: true, value: ['a'] });
  assert.equal(gjsonGet(push, 'body.commits.#.id'), { exists: true, value: ['a', 'b'] });
  assert.equal(gjsonGet(push, 'body.{"first":commits.0.id,"count":commits.#}'), { exists: true, value: { first: 'a', count: 2 } });
});

test('modifiers: @this, @flatten (deep), @join, @keys, @values, @tostr, @fromstr; literals', () => {
  assert.equal(gjsonGet(doc, '@this.age'), { exists: true, value: 37 });
  assert.equal(gjsonGet({ a: [1, [2, [3]]] }, 'a|@flatten'), { exists: true, value: [1, 2, [3]] });
  assert.equal(gjsonGet({ a: [1, [2, [3]]] }, 'a|@flatten:{"deep":true}'), { exists: true, value: [1, 2, 3] });
  assert.equal(gjsonGet({ a: [{ x: 1 }, { y: 2 }] }, 'a|@join'), { exists: true, value: { x: 1, y: 2 } });
  assert.equal(gjsonGet(doc, 'name.@keys'), { exists: true, value: ['first', 'last'] });
  assert.equal(gjsonGet(doc, 'name.@values'), { exists: true, value: ['Tom', 'Anderson'] });
  assert.equal(gjsonGet(doc, 'name.@tostr'), { exists: true, value: '{"first":"Tom","last":"Anderson"}' });
  assert.equal(gjsonGet({ s: '{"k":[1]}' }, 's.@fromstr.k.0'), { exists: true, value: 1 });
  assert.equal(gjsonGet(doc, '[age,!true,!"x",nope]'), { exists: true, value: [37, true, 'x'] });
  // An unknown modifier is a key, as in gjson.
  assert.equal(gjsonGet({ '@foo': 1 }, '@foo'), { exists: true, value: 1 });
});

test('what simulate does not evaluate is reported, never guessed', () => {
  for (const path of ['friends.@group', 'friends.@dig:first', 'friends.#(last=="Murphy"', '!nope']) {
    const parsed = parseGjsonPath(path);
    assert.ok('unsupported' in parsed, path);
    assert.ok('unsupported' in gjsonGet(doc, path), path);
  }
});

test.run();
