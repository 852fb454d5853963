/** Text handed on in slices, one per turn of the event loop, and all of it on flush. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PacedInput } from '../src/detect/_internal/paced-input.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('nothing is read before start; then one slice of at most 16 KiB per turn, in order', async () => {
  const input = new PacedInput();
  const read: string[] = [];
  input.push('a'.repeat(40_000));
  input.push('b');
  await turn();
  assert.equal(read, []);
  input.start((text) => read.push(text));
  await turn();
  assert.equal(read.map((t) => t.length), [16_384]);
  await turn();
  await turn();
  await turn();
  assert.equal(read.map((t) => t.length), [16_384, 16_384, 7_232, 1]);
  assert.is(read.join(''), `${'a'.repeat(40_000)}b`);
});

test('flush hands on everything still queued at once, in order', async () => {
  const input = new PacedInput();
  const read: string[] = [];
  input.start((text) => read.push(text));
  input.push('x'.repeat(20_000));
  input.push('y');
  input.flush();
  assert.is(read.join(''), `${'x'.repeat(20_000)}y`);
  await turn();
  assert.is(read.join(''), `${'x'.repeat(20_000)}y`, 'nothing twice');
});

test('what the reader throws in a turn of its own is thrown by flush, and reading stops', async () => {
  const input = new PacedInput();
  let calls = 0;
  input.start(() => {
    calls++;
    throw new Error('bad input');
  });
  input.push('one');
  input.push('two');
  await turn();
  await turn();
  assert.is(calls, 1);
  assert.throws(() => input.flush(), /bad input/);
});

test.run();
