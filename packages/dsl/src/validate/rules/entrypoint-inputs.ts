import type { WorkflowContext } from '../_internal/context.js';
import { arrayAt, has, isObject, objectAt, stringAt } from '../_internal/json.js';

/**
 * A Workflow (or CronWorkflow) passes spec.arguments to its entrypoint: every input parameter of the entrypoint
 * without a value or default must be among them (Argo: "inputs.parameters.X was not supplied"). A
 * WorkflowTemplate is exempt: its arguments come from the Workflow that submits it.
 */
export function entrypointInputs(ctx: WorkflowContext): void {
  if (ctx.kind !== 'Workflow' && ctx.kind !== 'CronWorkflow') return;
  const name = stringAt(ctx.spec, 'entrypoint');
  const entry = name === undefined ? undefined : ctx.templatesByName.get(name);
  if (!entry) return;
  const supplied = new Set(arrayAt(objectAt(ctx.spec, 'arguments'), 'parameters').map((p) => stringAt(p, 'name')));
  for (const input of arrayAt(objectAt(entry.template, 'inputs'), 'parameters')) {
    if (!isObject(input)) continue;
    const param = stringAt(input, 'name') ?? '';
    if (supplied.has(param) || has(input, 'value') || has(input, 'default') || has(input, 'valueFrom')) continue;
    ctx.reporter.report({
      code: 'ARG065',
      path: [...ctx.specPath, 'arguments'],
      message: `${ctx.kind}: inputs.parameters.${param} was not supplied: entrypoint "${name ?? ''}" requires parameter "${param}", received no workflow argument for it`,
      hint: `add { name: ${param}, value: … } to spec.arguments.parameters, or give the input a default`,
    });
  }
}
