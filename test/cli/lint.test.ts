// argots lint: hand-written Argo YAML (files, directories, globs) through the DSL's lintYaml.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

const good = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: hello
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: a
            template: say
          - name: b
            template: say
            depends: a.Succeeded
    - name: say
      container:
        image: alpine:3.20
`;

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
`;

test('valid YAML passes; a non-Argo document in a multi-document file is passed over and listed', async () => {
  const dir = fixtureProject({ 'yaml/hello.yaml': `${good}---\n${configMap}` });
  const io = memoryIo(dir);
  assert.is(await run(['lint', 'yaml'], io), 0, io.err());
  assert.is(io.out(), 'passed over yaml/hello.yaml document 1: kind "v1/ConfigMap" is not an Argo resource argots checks\n✔ 1 file checked, 1 document passed over: no errors\n');
});

test('an unknown dependency is an error at its line in the file, exit 1', async () => {
  const dir = fixtureProject({ 'yaml/bad.yaml': good.replace('depends: a.Succeeded', 'depends: nope.Succeeded') });
  const io = memoryIo(dir);
  assert.is(await run(['lint', 'yaml/bad.yaml'], io), 1);
  assert.match(io.err(), /^✖ ARG\d{3} .*"nope"/);
  assert.match(io.err(), /\n  → at yaml\/bad\.yaml:15:\d+/);
});

test('globs pick YAML files; --json gives diagnostics and the passed-over documents', async () => {
  const dir = fixtureProject({ 'a/one.yaml': good, 'b/two.yml': configMap, 'b/notes.txt': 'not yaml' });
  const io = memoryIo(dir);
  assert.is(await run(['lint', '**/*.y*ml', '--json'], io), 0, io.out());
  const doc = JSON.parse(io.out()) as { files: string[]; skipped: unknown[]; diagnostics: unknown[] };
  assert.equal(doc.files, ['a/one.yaml', 'b/two.yml']);
  assert.equal(doc.skipped, [{ file: 'b/two.yml', document: 0, kind: 'v1/ConfigMap' }]);
  assert.equal(doc.diagnostics, []);
});

test('a templateRef outside the files given is an error, or a warning with --external-templates warn', async () => {
  const ref = good.replace('            template: say\n          - name: b', '            templateRef:\n              name: elsewhere\n              template: x\n          - name: b');
  const dir = fixtureProject({ 'ref.yaml': ref });
  const strict = memoryIo(dir);
  assert.is(await run(['lint', 'ref.yaml'], strict), 1);
  assert.match(strict.err(), /"elsewhere"/);
  const lenient = memoryIo(dir);
  assert.is(await run(['lint', 'ref.yaml', '--external-templates', 'warn'], lenient), 0, lenient.err());
  assert.match(lenient.err(), /^⚠ ARG\d{3} /);
});

test('--exclude leaves out paths and globs (Helm templates); - reads a document from stdin', async () => {
  const dir = fixtureProject({
    'deploy/flow.yaml': good,
    'deploy/charts/app/templates/wf.yaml': 'kind: {{ .Values.kind }}\n  bad: [\n',
  });
  const all = memoryIo(dir);
  assert.is(await run(['lint', 'deploy'], all), 1, 'the Helm template is not YAML');
  const io = memoryIo(dir);
  assert.is(await run(['lint', 'deploy', '--exclude', 'deploy/charts/*/templates'], io), 0, io.err());
  assert.match(io.out(), /✔ 1 file checked: no errors/);
  const piped = memoryIo(dir, { stdin: good.replace('a.Succeeded', 'nope.Succeeded') });
  assert.is(await run(['lint', '-'], piped), 1);
  assert.match(piped.err(), /→ at <stdin>:\d+:\d+/);
});

test('a glob that matches nothing is a user error', async () => {
  const dir = fixtureProject({ 'x.yaml': good });
  writeFileSync(join(dir, 'y.txt'), '');
  const io = memoryIo(dir);
  assert.is(await run(['lint', 'nothing/*.yaml'], io), 1);
  assert.match(io.err(), /^✖ "nothing\/\*\.yaml" matched no YAML files/);
});

test.run();
