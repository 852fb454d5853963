// A JavaScript template literal over a typed value (`--ctx=${i.context}`) has no `{{…}}` to give: it must
// fail loudly at the TypeScript file and line, never write "[object Object]" into the YAML.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { param, pipeline, synth, text } from '@argots/dsl';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

const source = [
  "import { container, param, pipeline } from '@argots/dsl';",
  '',
  'const kaniko = container(\'kaniko\', {',
  '  inputs: { context: param.string() },',
  '  container: (i) => ({ image: \'gcr.io/kaniko-project/executor:v1.23.2\', args: [`--context=${i.context}`] }),',
  '});',
  '',
  "export default pipeline('build', (p) => {",
  "  p.task('build', kaniko.call({ context: 'dir:///workspace' }));",
  '});',
  '',
].join('\n');

test('compile: a template literal over a typed value is an error at its line; nothing is written', async () => {
  const dir = fixtureProject({ 'pipelines/build.ts': source });
  const io = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], io), 1);
  assert.match(io.err(), /pipelines\/build\.ts:5:\d+/);
  assert.match(io.err(), /\{\{inputs\.parameters\.context\}\} was turned into a JavaScript string/);
  assert.match(io.err(), /text`/);
  assert.not.ok(existsSync(join(dir, 'manifests')), 'nothing written');
});

test('String(), + and `${}` on a typed value throw with the reference and the fix; text`…` still works', () => {
  const thrown: string[] = [];
  const attempt = (f: () => unknown): void => {
    try {
      f();
      thrown.push('(did not throw)');
    } catch (error) {
      thrown.push((error as Error).message);
    }
  };
  let built: string | undefined;
  synth([{ value: pipeline('probe', (p) => {
    const tag = p.param('tag', param.string());
    attempt(() => `x-${tag as unknown as string}`);
    attempt(() => String(tag));
    attempt(() => 'x-' + (tag as unknown as string));
    built = text`x-${tag}`.type;
  }), exportName: 'default', file: 'probe.ts' }]);
  assert.is(thrown.length, 3);
  for (const message of thrown) assert.match(message, /^\{\{workflow\.parameters\.tag\}\} was turned into a JavaScript string.*text`/s);
  assert.is(built, 'string');
});

test.run();
