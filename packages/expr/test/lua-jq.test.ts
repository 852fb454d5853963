// Argo Events' Lua and jq, as pkg/sensors/dependencies/filter.go (filterScript) and transform.go
// (applyScriptTransform, applyJQTransform, mapToTable, toGoValue) define them; the cases of
// filter_script_test.go and transform_test.go are cited where they are the source.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runJqTransform, runLuaFilter, runLuaTransform } from '../src/index.js';

test('filter_script_test.go: a script returning true passes, false rejects', () => {
  assert.equal(runLuaFilter('\nif event.a == "hello" then return true else return false end\n', { a: 'hello' }), { passed: true });
  assert.equal(runLuaFilter('\nif event.a == "hello" and event.b == "world" then return false else return true end\n', { a: 'hello', b: 'world' }), { passed: false });
});

test('filter_script_test.go: a syntax error and a nil index are errors, with gopher-lua\'s "<string>:line:" position', () => {
  const syntax = runLuaFilter('\nif event.a == "hello" return false else return true end\n', { a: 'hello' });
  assert.ok('error' in syntax && /^<string>:2: 'then' expected near 'return'/.test(syntax.error), JSON.stringify(syntax));
  const nil = runLuaFilter('\nif a.a == "hello" then return true else return false end\n', { a: 'hello' });
  assert.ok('error' in nil && /^<string>:2: attempt to index a nil value/.test(nil.error), JSON.stringify(nil));
});

test('filterScript: only the boolean true, as the last value returned, passes (lv == lua.LTrue)', () => {
  assert.equal(runLuaFilter('return 1', {}), { passed: false });
  assert.equal(runLuaFilter('return "true"', {}), { passed: false });
  assert.equal(runLuaFilter('local x = 1', {}), { passed: false });
  assert.equal(runLuaFilter('return true, false', {}), { passed: false });
  assert.equal(runLuaFilter('return false, true', {}), { passed: true });
});

test('mapToTable: numbers, strings, booleans and objects kept; null members dropped; arrays keep only objects and scalars', () => {
  const data = { body: { n: 10, f: 1.5, s: 'x', b: true, none: null, nested: { k: 'v' }, list: [1, null, [2, 3], 'x', { k: 'v' }, false] } };
  assert.equal(runLuaFilter('return event.body.n == 10 and event.body.f == 1.5 and event.body.s == "x" and event.body.b == true', data), { passed: true });
  assert.equal(runLuaFilter('return event.body.none == nil and event.body.nested.k == "v"', data), { passed: true });
  // [1, null, [2,3], "x", {k}, false] → {1, "x", {k}, false}: later elements move up.
  assert.equal(runLuaFilter('local l = event.body.list return #l == 4 and l[2] == "x" and l[3].k == "v" and l[4] == false', data), { passed: true });
  // Whole numbers read as Lua 5.1 writes them.
  assert.equal(runLuaFilter('return tostring(event.body.n) == "10"', data), { passed: true });
});

test('a script filter over a GitHub push: the data holds headers and body', () => {
  const data = { headers: { 'X-Github-Event': ['push'] }, body: { ref: 'refs/heads/release/1.4', commits: [{ message: 'fix: x' }, { message: 'chore: y' }] } };
  const script = 'for _, c in ipairs(event.body.commits) do if string.find(c.message, "^fix") then return string.match(event.body.ref, "^refs/heads/release/") ~= nil end end return false';
  assert.equal(runLuaFilter(script, data), { passed: true });
});

test('what would reach the machine is reported as unsupported, never run', () => {
  for (const script of ['return io.open("/etc/passwd") ~= nil', 'return os.execute("id") == 0', 'require("socket") return true', 'dofile("/tmp/x.lua") return true', 'return os.getenv("HOME") ~= nil']) {
    const r = runLuaFilter(script, {});
    assert.ok('unsupported' in r && /simulate does not run/.test(r.unsupported), `${script}: ${JSON.stringify(r)}`);
  }
  assert.equal(runLuaFilter('return os.time() > 0 and type(os.date("%Y")) == "string"', {}), { passed: true });
});

test('a script that does not finish is stopped and reported, not hung on', () => {
  const r = runLuaFilter('while true do end', {});
  assert.ok('unsupported' in r && /10,000,000 Lua instructions/.test(r.unsupported), JSON.stringify(r));
});

test('print does not write into simulate\'s report', () => {
  const writes: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    assert.equal(runLuaFilter('print("hello") return true', {}), { passed: true });
  } finally {
    process.stdout.write = original;
  }
  assert.equal(writes, []);
});

test('data that is not a JSON object is the error json.Unmarshal gives', () => {
  const r = runLuaFilter('return true', [1, 2]);
  assert.ok('error' in r && /cannot unmarshal array into Go value of type map\[string\]interface \{\}/.test(r.error));
});

test('transform_test.go: event.c.d[1]=4 returns the event with the array element replaced', () => {
  assert.equal(runLuaTransform('\nevent.c.d[1]=4\nreturn event\n', { a: 1, b: '2', c: { d: [3] } }), { data: { a: 1, b: '2', c: { d: [4] } } });
});

test('transform_test.go: a script returning a string is an error', () => {
  assert.equal(runLuaTransform('\nreturn "hello"\n', { a: 1 }), { error: 'transformation script output type is not of lua table' });
});

test('transform_test.go "empty array from lua": __is_array makes an empty table an array', () => {
  assert.equal(runLuaTransform('\nevent.env = setmetatable({}, { __is_array = true })\nreturn event\n', { env: 123 }), { data: { env: [] } });
  // Without it, an empty table is an empty object (toGoValue: MaxN() == 0).
  assert.equal(runLuaTransform('event.env = {} return event', { env: 123 }), { data: { env: {} } });
});

test('toGoValue: a sequence is an array, other tables objects with keys written as Lua writes numbers', () => {
  assert.equal(runLuaTransform('return {1, "a", true}', {}), { data: [1, 'a', true] });
  assert.equal(runLuaTransform('local t = {} t[1.5] = "x" t.k = {n = 2} return t', {}), { data: { '1.5': 'x', k: { n: 2 } } });
  const fn = runLuaTransform('return {f = function() end}', {});
  assert.ok('unsupported' in fn, JSON.stringify(fn));
});

test('transform_test.go TestApplyJQTransform: ".a += 1 | .b *= 2" gives {"a":2,"b":"22"}', async () => {
  assert.equal(await runJqTransform('.a += 1 | .b *= 2', { a: 1, b: '2' }), { data: { a: 2, b: '22' } });
});

test('applyJQTransform: the first output must be an object; no output and errors are errors', async () => {
  assert.equal(await runJqTransform('{repo: .body.repository.name, n: (.body.commits | length)}', { body: { repository: { name: 'shop' }, commits: [1, 2] } }), { data: { repo: 'shop', n: 2 } });
  assert.equal(await runJqTransform('.a', { a: 1 }), { error: 'jq transformation output must be a JSON object' });
  assert.equal(await runJqTransform('empty', { a: 1 }), { error: 'no output available from the jq command execution' });
  assert.equal(await runJqTransform('{x: 1}, {x: 2}', {}), { data: { x: 1 } });
  const syntax = await runJqTransform('.a |||', { a: 1 });
  assert.ok('error' in syntax && /syntax error/.test(syntax.error), JSON.stringify(syntax));
  const raised = await runJqTransform('error("boom")', { a: 1 });
  assert.ok('error' in raised && /boom/.test(raised.error), JSON.stringify(raised));
});

test.run();
