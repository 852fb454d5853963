/** RuntimeError: a user-facing failure always says how to fix it; an error without a hint does not compile. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RuntimeError } from '../src/runtime-error.js';

test('given a code, a message, a hint and a cause, the error keeps them all', () => {
  const cause = new Error('underlying');
  const e = new RuntimeError('RUN999', 'thing "x" must be y, received z', { hint: 'pass y', cause });
  assert.is(e.code, 'RUN999');
  assert.is(e.message, 'thing "x" must be y, received z');
  assert.is(e.hint, 'pass y');
  assert.is(e.cause, cause);
  assert.is(e.name, 'RuntimeError');
});

// Type tests: checked by `pnpm typecheck`, never run.
export function typeTests(): void {
  // @ts-expect-error the options, and their hint, are required
  new RuntimeError('RUN999', 'no options');
  // @ts-expect-error the hint is required
  new RuntimeError('RUN999', 'a cause but no hint', { cause: new Error('x') });
  // @ts-expect-error the hint is a string
  new RuntimeError('RUN999', 'an undefined hint', { hint: undefined });
}

test.run();
