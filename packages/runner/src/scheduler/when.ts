/**
 * `when` as Argo's shouldExecute evaluates it (`workflow/controller/steps.go`): govaluate, after substitution,
 * with every bare variable read as a string of its own name (so `heads == heads` holds without quotes); the
 * result must be a boolean.
 */
import { evaluateGovaluate, govaluateVariables, parseGovaluate } from '@argots/expr';

export class WhenError extends Error {
  override readonly name = 'WhenError';
}

export function shouldExecute(when: string | undefined): boolean {
  if (when === undefined || when === '') return true;
  let result: unknown;
  try {
    const expr = parseGovaluate(when);
    const names = govaluateVariables(expr);
    result = evaluateGovaluate(expr, new Map([...names].map((n) => [n, n])));
  } catch (error) {
    throw new WhenError(`Invalid 'when' expression '${when}': ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof result !== 'boolean') throw new WhenError(`Expected boolean evaluation for '${when}'. Got ${String(result)}`);
  return result;
}
