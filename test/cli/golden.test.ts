// The committed manifests/ are exactly what the examples and pipelines compile to. When this fails after a
// deliberate change, regenerate with `pnpm compile` and review the diff; never edit manifests/ by hand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

test('argots check examples pipelines --out manifests: the golden files are up to date', async () => {
  const io = memoryIo(root);
  const code = await run(['check', 'examples', 'pipelines', '--out', 'manifests'], io);
  assert.is(code, 0, `manifests/ differs from a fresh compile; run 'pnpm compile' if the change is intended\n${io.out()}\n${io.err()}`);
  assert.match(io.out(), /^manifests\/ is up to date with \d+ source files? \(\d+ YAML files?\)\n$/);
});

test.run();
