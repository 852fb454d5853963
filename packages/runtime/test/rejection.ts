/** Test helper: the RuntimeError a promise rejects (or a function throws) with; any other outcome fails the test. */
import * as assert from 'uvu/assert';
import { RuntimeError } from '../src/runtime-error.js';

export async function rejection(run: Promise<unknown> | (() => unknown), what = 'the call'): Promise<RuntimeError> {
  let error: unknown;
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (e) {
    error = e;
  }
  assert.instance(error, RuntimeError, `${what}: expected a RuntimeError, received ${String(error)}`);
  return error as RuntimeError;
}
