import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, isObject, objectAt } from '../_internal/json.js';
import { checkEnum, checkNamedList } from '../_internal/parameters.js';

/** Template inputs: parameter and artifact names valid and unique; enums non-empty and containing the default. */
export function templateInputs(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const inputs = objectAt(template, 'inputs');
  if (!inputs) return;
  checkNamedList(ctx, arrayAt(inputs, 'parameters'), [...path, 'inputs', 'parameters'], 'input parameter');
  checkNamedList(ctx, arrayAt(inputs, 'artifacts'), [...path, 'inputs', 'artifacts'], 'input artifact');
  arrayAt(inputs, 'parameters').forEach((param, i) => {
    if (isObject(param)) checkEnum(ctx, param, [...path, 'inputs', 'parameters', i], 'input parameter');
  });
}
