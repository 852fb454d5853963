// --typecheck: TypeScript's type checker over the pipelines before compiling (on by default in `check`):
// mistakes only the types catch are diagnostics at their file and line, and nothing is written.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

test.after(removeFixtureProjects);

// A misspelt payload field (`mesage`) compiles without complaint — the Sensor would fill the parameter from
// a path that does not exist — and only the types know.
const typo = `import { container, github, param, pipeline } from '@argots/dsl';

const say = container('say', { inputs: { message: param.string() }, container: (i) => ({ image: 'alpine:3.20', args: [i.message] }) });

export default pipeline('hello-typo', (p) => {
  const push = p.trigger(github.push({ repo: 'acme/shop', branches: ['main'] }), (e) => ({ message: e.head_commit.mesage }));
  p.task('say', say.call({ message: push.message }));
});
`;

test('without --typecheck a payload typo compiles; with it, the type error is reported at its line and nothing is written', async () => {
  const dir = fixtureProject({ 'pipelines/typo.ts': typo });
  const plain = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--out', 'plain'], plain), 0, plain.err());
  const checked = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests', '--typecheck'], checked), 1);
  assert.match(checked.err(), /✖ TS2551 Property 'mesage' does not exist on type .*Did you mean 'message'\?/s);
  assert.match(checked.err(), /→ at pipelines\/typo\.ts:6:\d+/);
  assert.not.ok(existsSync(join(dir, 'manifests')), 'nothing written');
});

test('--json carries the TS diagnostics with their location', async () => {
  const dir = fixtureProject({ 'pipelines/typo.ts': typo });
  const io = memoryIo(dir);
  assert.is(await run(['compile', 'pipelines', '--stdout', '--typecheck', '--json'], io), 1);
  const out = JSON.parse(io.out()) as { diagnostics: { code: string; source?: { file: string; line: number } }[] };
  const d = out.diagnostics.find((x) => x.code === 'TS2551');
  assert.ok(d, io.out());
  assert.is(d?.source?.line, 6);
});

test('check type-checks by default (a clean project passes, a typo fails); --no-typecheck skips it', async () => {
  const dir = fixtureProject({ 'pipelines/ok.ts': typo.replace('mesage', 'message') });
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], memoryIo(dir)), 0);
  const ok = memoryIo(dir);
  const started = performance.now();
  assert.is(await run(['check', 'pipelines', '--out', 'manifests'], ok), 0, ok.err());
  const ms = performance.now() - started;
  assert.ok(ms < 60_000, `a one-pipeline type check took ${Math.round(ms)} ms`);
  const broken = fixtureProject({ 'pipelines/ok.ts': typo });
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], memoryIo(broken)), 0);
  const failing = memoryIo(broken);
  assert.is(await run(['check', 'pipelines', '--out', 'manifests'], failing), 1);
  assert.match(failing.err(), /TS2551/);
  const skipped = memoryIo(broken);
  assert.is(await run(['check', 'pipelines', '--out', 'manifests', '--no-typecheck'], skipped), 0, skipped.err());
});

test.run();
