// The guides' pipeline examples (docs/guides/*.md, each ```ts block with `export default pipeline`) type-check
// and compile as written: a guide that drifts from the API fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from '../cli/memory-io.js';
import { fixtureProject, removeFixtureProjects } from '../cli/fixture-project.js';

const root = new URL('../..', import.meta.url).pathname;
test.after(removeFixtureProjects);

test('every guide pipeline example type-checks and compiles', async () => {
  const files: Record<string, string> = {};
  for (const guide of readdirSync(join(root, 'docs/guides')).filter((f) => f.endsWith('.md')).sort()) {
    const blocks = [...readFileSync(join(root, 'docs/guides', guide), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    blocks.filter((b) => b.includes('export default pipeline')).forEach((b, i) => (files[`pipelines/${guide.replace(/\.md$/, '')}-${i}.ts`] = b));
  }
  assert.ok(Object.keys(files).length >= 2, `examples found: ${Object.keys(files).join(', ')}`);
  const io = memoryIo(fixtureProject(files));
  assert.is(await run(['compile', 'pipelines', '--stdout', '--typecheck'], io), 0, io.err());
  assert.match(io.out(), 'kind: Sensor');
});

test.run();
