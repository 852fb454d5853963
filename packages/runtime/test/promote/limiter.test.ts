import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLimiter } from '../../src/promote/_internal/limiter.js';
import { mapLimit } from '../../src/promote/_internal/map-limit.js';

test('a limiter never runs more than its limit at once, and runs everything', async () => {
  const limit = createLimiter(3);
  let active = 0;
  let most = 0;
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => limit(async () => {
    active++;
    most = Math.max(most, active);
    await new Promise((r) => setTimeout(r, 1 + (i % 4)));
    active--;
    return i;
  })));
  assert.is(most, 3);
  assert.equal(results, Array.from({ length: 20 }, (_, i) => i));
});

test('a failure releases its slot and reaches its caller only', async () => {
  const limit = createLimiter(1);
  const failed = limit(async () => { throw new Error('boom'); });
  const next = limit(async () => 'next ran');
  try {
    await failed;
    assert.unreachable('expected the failure');
  } catch (e) {
    assert.is((e as Error).message, 'boom');
  }
  assert.is(await next, 'next ran');
});

test('mapLimit keeps order and reports the first failure after the others finish', async () => {
  assert.equal(await mapLimit([3, 1, 2], 2, async (n) => n * 2), [6, 2, 4]);
  let finished = 0;
  try {
    await mapLimit([1, 2, 3], 3, async (n) => {
      await new Promise((r) => setTimeout(r, n * 5));
      finished++;
      if (n === 1) throw new Error('first');
    });
    assert.unreachable();
  } catch (e) {
    assert.is((e as Error).message, 'first');
  }
  assert.is(finished, 3);
});

test.run();
