import type { WorkflowContext } from './context.js';
import { has, objectAt, type JsonObject, type JsonPath } from './json.js';

/** One loop kind per step/task; withSequence not both count and end. */
export function checkLoops(ctx: WorkflowContext, holder: JsonObject, path: JsonPath, label: string): void {
  const kinds = ['withItems', 'withParam', 'withSequence'].filter((k) => has(holder, k));
  if (kinds.length > 1) {
    ctx.reporter.report({
      code: 'ARG070',
      path: [...path, kinds[1] ?? ''],
      message: `${label}: expected at most one of withItems, withParam and withSequence, received ${kinds.join(' and ')}`,
      hint: 'keep one loop kind; split the step to loop twice',
    });
  }
  const sequence = objectAt(holder, 'withSequence');
  if (sequence && has(sequence, 'count') && has(sequence, 'end')) {
    ctx.reporter.report({
      code: 'ARG071',
      path: [...path, 'withSequence'],
      message: `${label}: withSequence takes count or end, received both`,
      hint: 'use count (with optional start), or start and end',
    });
  }
}
