import type { WorkflowContext } from '../_internal/context.js';
import { isObject, objectAt, stringAt, type JsonObject, type JsonPath } from '../_internal/json.js';

/** Checks a `hooks` map: every hook except `exit` needs an expression. */
export function checkHooks(ctx: WorkflowContext, holder: JsonObject, path: JsonPath): void {
  const hooks = objectAt(holder, 'hooks');
  if (!hooks) return;
  for (const [name, hook] of Object.entries(hooks)) {
    if (!isObject(hook) || name === 'exit') continue;
    const expression = stringAt(hook, 'expression');
    if (expression === undefined || expression.trim() === '') {
      ctx.reporter.report({
        code: 'ARG027',
        path: [...path, 'hooks', name],
        message: `hook "${name}": expected an expression (only the "exit" hook runs without one), received none`,
        hint: 'add expression: workflow.status == "Running" (or name the hook "exit")',
      });
    }
  }
}

/** Checks an `onExit` template name resolves. */
export function checkOnExit(ctx: WorkflowContext, holder: JsonObject, path: JsonPath): void {
  const onExit = stringAt(holder, 'onExit');
  if (onExit === undefined || onExit === '' || onExit.includes('{{')) return;
  if (ctx.templatesByName.has(onExit)) return;
  ctx.reporter.report({
    code: 'ARG026',
    path: [...path, 'onExit'],
    message: `onExit "${onExit}": expected the name of a template, received a name no template has`,
    hint: `templates defined: ${[...ctx.templatesByName.keys()].map((n) => `"${n}"`).join(', ') || 'none'}`,
  });
}

/** Workflow-level `onExit` and `hooks`. */
export function exitHandlers(ctx: WorkflowContext): void {
  checkOnExit(ctx, ctx.spec, ctx.specPath);
  checkHooks(ctx, ctx.spec, ctx.specPath);
}
