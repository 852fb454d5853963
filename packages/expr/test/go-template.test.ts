// Go's text/template (pkg.go.dev/text/template: Actions, Arguments, Pipelines, Variables, Functions) with the
// sprig functions (masterminds.github.io/sprig) Argo Events registers for `dataTemplate`, `contextTemplate` and
// data filter `template`; each case states the documented behaviour it follows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeGoTemplate, parseGoTemplate, TemplateError } from '../src/go-template.js';

const input = { body: { ref: 'refs/heads/release/1.4', commits: [{ id: 'a', msg: 'fix: x' }, { id: 'b', msg: 'chore' }], labels: { b: 2, a: 1 }, n: 3, empty: [] } };
const run = (t: string): string => executeGoTemplate(t, input);
const fails = (t: string, pattern: RegExp, unsupported: boolean): void => {
  try {
    run(t);
  } catch (error) {
    assert.instance(error, TemplateError);
    assert.match((error as Error).message, pattern);
    assert.is((error as TemplateError).unsupported, unsupported, (error as Error).message);
    return;
  }
  assert.unreachable(`${t} should fail`);
};

test('{{if}} / {{else if}} / {{else}}: the first non-empty pipeline wins (false, 0, nil, "" and empty lists/maps are empty)', () => {
  const t = '{{ if hasPrefix "refs/heads/release/" .Input.body.ref }}release{{ else if eq .Input.body.ref "refs/heads/dev" }}dev{{ else }}other{{ end }}';
  assert.is(run(t), 'release');
  assert.is(executeGoTemplate(t, { body: { ref: 'refs/heads/dev' } }), 'dev');
  assert.is(executeGoTemplate(t, { body: { ref: 'refs/tags/x' } }), 'other');
  assert.is(run('{{ if .Input.body.empty }}y{{ else }}n{{ end }}{{ if 0 }}y{{ else }}n{{ end }}{{ if .Input.body.nope }}y{{ else }}n{{ end }}'), 'nnn');
});

test('{{range}}: lists in order, maps by sorted key, an integer counts, {{else}} when empty, $i/$v, break and continue', () => {
  assert.is(run('{{ range $i, $c := .Input.body.commits }}{{ if $i }},{{ end }}{{ $c.id }}{{ end }}'), 'a,b');
  assert.is(run('{{ range $k, $v := .Input.body.labels }}{{ $k }}={{ $v }};{{ end }}'), 'a=1;b=2;');
  assert.is(run('{{ range .Input.body.labels }}{{ . }}{{ end }}'), '12');
  assert.is(run('{{ range 3 }}{{ . }}{{ end }}'), '012');
  assert.is(run('{{ range .Input.body.empty }}x{{ else }}none{{ end }}'), 'none');
  assert.is(run('{{ range $c := .Input.body.commits }}{{ if hasPrefix "fix" $c.msg }}{{ $c.id }}{{ break }}{{ end }}{{ end }}'), 'a');
  assert.is(run('{{ range .Input.body.commits }}{{ if eq .id "a" }}{{ continue }}{{ end }}{{ .id }}{{ end }}'), 'b');
});

test('{{with}} sets dot when non-empty, else runs {{else}}; variables are scoped to their control structure and = assigns', () => {
  assert.is(run('{{ with .Input.body.labels }}{{ .a }}{{ end }}'), '1');
  assert.is(run('{{ with .Input.body.nope }}x{{ else }}none{{ end }}'), 'none');
  assert.is(run('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}'), '2');
  assert.is(run('{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ end }}{{ $x }}'), '1');
  assert.is(run('{{ $.Input.body.n }}'), '3');
  fails('{{ if true }}{{ $y := 1 }}{{ end }}{{ $y }}', /undefined variable: \$y/, false);
});

test('parse errors: unclosed structures and misplaced keywords', () => {
  assert.throws(() => parseGoTemplate('{{ if true }}x'), /without \{\{end\}\}/);
  assert.throws(() => parseGoTemplate('{{ end }}'), /unexpected \{\{end\}\}/);
  assert.throws(() => parseGoTemplate('{{ break }}'), /outside \{\{range\}\}/);
  assert.throws(() => parseGoTemplate('{{ nosuchfn 1 }}'), /function "nosuchfn" not defined/);
});

test('what cannot be known offline is reported unsupported: the clock, randomness, the pod environment, {{template}}', () => {
  fails('{{ now }}', /reads the clock/, true);
  fails('{{ randAlpha 5 }}', /is random/, true);
  fails('{{ env "HOME" }}', /environment/, true);
  fails('{{ template "x" }}', /not evaluated by simulate/, true);
});

test('sprig strings, lists and dicts', () => {
  assert.is(run('{{ (split "/" .Input.body.ref)._2 }}'), 'release');
  assert.is(run('{{ (splitn "/" 3 .Input.body.ref)._2 }}'), 'release/1.4');
  assert.is(run('{{ $b := splitList "/" .Input.body.ref }}{{ index $b 3 }}'), '1.4');
  assert.is(run('{{ regexFindAll "[0-9]+" "a1b22c333" -1 | join "," }}'), '1,22,333');
  assert.is(run('{{ regexSplit "-+" "a--b-c" -1 | join "," }}'), 'a,b,c');
  assert.is(run('{{ snakecase "HelloWorldFoo" }} {{ kebabcase "helloWorld" }} {{ camelcase "http_server" }} {{ swapcase "aB" }} {{ initials "Ab Cd" }}'), 'hello_world_foo hello-world HttpServer Ab AC');
  assert.is(run('{{ .Input.body.ref | trimPrefix "refs/heads/" | replace "/" "-" }}'), 'release-1.4');
  assert.is(run('{{ list 1 2 2 3 | uniq | toJson }} {{ append (list 3 1) 4 | toJson }} {{ prepend (list 1 2) 0 | toJson }}'), '[1,2,3] [3,1,4] [0,1,2]');
  assert.is(run('{{ list "b" "a" | sortAlpha | toJson }} {{ has 2 (list 1 2) }} {{ without (list 1 2 3) 2 | toJson }} {{ until 3 | toJson }}'), '["a","b"] true [1,3] [0,1,2]');
  assert.is(run('{{ dict "b" "x" "a" 1 | toJson }} {{ get (dict "a" 1) "a" }} {{ hasKey .Input.body.labels "a" }} {{ keys .Input.body.labels | toJson }}'), '{"a":1,"b":"x"} 1 true ["a","b"]');
  assert.is(run('{{ dig "body" "labels" "a" "none" .Input }} {{ dig "body" "x" "none" .Input }} {{ pluck "a" .Input.body.labels (dict "a" 5) | toJson }}'), '1 none [1,5]');
  assert.is(run('{{ ternary "yes" "no" (eq .Input.body.n 3.0) }} {{ coalesce "" .Input.body.nope "z" }} {{ default "d" .Input.body.nope }}'), 'yes z d');
});

test('sprig conversions, math, encodings, JSON (Go marshals maps with sorted keys and escapes <>&)', () => {
  assert.is(run('{{ len .Input.body.commits | add 1 }} {{ floor 1.7 }} {{ ceil 1.2 }} {{ round 1.25 1 }} {{ int "42" | add1 }} {{ float64 "1.5" | addf 1 }}'), '3 1 2 1.3 43 2.5');
  assert.is(run('{{ b32enc "hi" }} {{ b32enc "hi" | b32dec }} {{ adler32sum "hello" }} {{ sha512sum "" | trunc 8 }}'), 'NBUQ==== hi 103547413 cf83e135');
  assert.is(run('{{ toJson .Input.body.labels }} {{ dict "h" "<a&b>" | toJson }} {{ dict "h" "<a>" | toRawJson }}'), '{"a":1,"b":2} {"h":"\\u003ca\\u0026b\\u003e"} {"h":"<a>"}');
  assert.is(run('{{ (fromJson "{\\"k\\": [1]}").k | toJson }} {{ typeOf .Input.body.n }} {{ kindOf .Input.body.commits }} {{ typeOf .Input.body.labels }}'), '[1] float64 slice map[string]interface {}');
  assert.is(run('{{ dir "a/b/c.txt" }} {{ base "a/b/c.txt" }} {{ ext "c.tar.gz" }} {{ clean "a/../b//c" }} {{ isAbs "/x" }}'), 'a/b c.txt .gz b/c true');
  assert.is(run('{{ lt 2 .Input.body.n }} {{ ge "b" "a" }} {{ print 1 2 "x" }} {{ slice "hello" 1 3 }} {{ urlquery "a b&c" }}'), 'true true 1 2x el a+b%26c');
});

test('{{fail}} stops the template with its message', () => {
  fails('{{ fail "no release" }}', /^no release$/, false);
});

test.run();
