// argots graph: a pipeline file and its compiled YAML draw the same picture (one code path: the emitted
// Argo objects), with the conditions on the edges.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

const source = `import { container, output, or, pipeline } from '@argots/dsl';

const detect = container('detect', { outputs: { kind: output.path('/tmp/kind', { enum: ['code', 'config'] }) }, container: { image: 'alpine:3.20' } });
const work = container('work', { container: { image: 'alpine:3.20' } });

export default pipeline('graphed', (p) => {
  const change = p.task('detect', detect.call({}));
  const build = p.task('build', work.call({}), { when: change.outputs.kind.eq('code') });
  p.task('notify', work.call({}), { depends: or(build.failed, change.failed) });
});
`;

async function graph(dir: string, args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(['graph', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

test('mermaid from the pipeline: nodes per task, when and depends on the edges', async () => {
  const dir = fixtureProject({ 'pipelines/graphed.ts': source });
  const r = await graph(dir, ['pipelines/graphed.ts']);
  assert.is(r.code, 0, r.err);
  assert.ok(r.out.startsWith('flowchart TD\n  %% WorkflowTemplate graphed, entrypoint main\n'), r.out);
  assert.match(r.out, /n_main_2f_detect -->\|"Succeeded; when .*== 'code'"\| n_main_2f_build\n/);
  assert.match(r.out, /n_main_2f_build -->\|"build\.Failed \|\| detect\.Failed"\| n_main_2f_notify\n/);
});

test('the compiled YAML gives the same picture as the pipeline, in both formats', async () => {
  const dir = fixtureProject({ 'pipelines/graphed.ts': source });
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], memoryIo(dir)), 0);
  for (const format of ['mermaid', 'dot']) {
    const fromTs = await graph(dir, ['pipelines/graphed.ts', '--format', format]);
    const fromYaml = await graph(dir, ['manifests/workflow-template/graphed.yaml', '--format', format]);
    assert.is(fromYaml.code, 0, fromYaml.err);
    assert.is(fromYaml.out, fromTs.out, format);
  }
  const dot = await graph(dir, ['manifests/workflow-template/graphed.yaml', '--format', 'dot']);
  assert.match(dot.out, /^digraph "graphed" \{\n/);
  assert.match(dot.out, /"main\/build" -> "main\/notify" \[label="build\.Failed \|\| detect\.Failed"\];/);
});

test('a file with several workflows needs --pipeline, which must name one of them', async () => {
  const dir = fixtureProject({});
  const one = (name: string): string => `apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: ${name}\nspec:\n  entrypoint: main\n  templates:\n    - name: main\n      steps:\n        - - name: a\n            template: x\n        - - name: b\n            template: x\n            when: "{{steps.a.outputs.result}} == ok"\n    - name: x\n      container:\n        image: alpine\n`;
  writeFileSync(join(dir, 'two.yaml'), `${one('first')}---\n${one('second')}`);
  const ambiguous = await graph(dir, ['two.yaml']);
  assert.is(ambiguous.code, 1);
  assert.match(ambiguous.err, /^✖ "two\.yaml" defines 2 workflows: "first" \(WorkflowTemplate\), "second" \(WorkflowTemplate\)\n  hint: choose one with --pipeline NAME\n$/);
  const wrong = await graph(dir, ['two.yaml', '--pipeline', 'third']);
  assert.match(wrong.err, /^✖ --pipeline "third" is not in "two\.yaml"; it defines "first"/);
  const chosen = await graph(dir, ['two.yaml', '--pipeline', 'second', '--json']);
  assert.is(chosen.code, 0);
  const doc = JSON.parse(chosen.out) as { pipeline: string; graph: string };
  assert.is(doc.pipeline, 'second');
  assert.match(doc.graph, /n_main_2f_0_2f_a -->\|"when \{\{steps\.a\.outputs\.result\}\} == ok"\| n_main_2f_1_2f_b/);
});

test.run();
