import type { WorkflowContext } from '../_internal/context.js';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type JsonPath } from '../_internal/json.js';

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

/**
 * Checks an `onExit` template name resolves. A Workflow that runs a `workflowTemplateRef` has no templates of
 * its own: Argo resolves its onExit in the referenced (Cluster)WorkflowTemplate (templateresolution context of
 * the stored template), so it is looked up there; when that template is not among the resources given, the
 * workflowTemplateRef rule (ARG063) has already spoken.
 */
export function checkOnExit(ctx: WorkflowContext, holder: JsonObject, path: JsonPath): void {
  const onExit = stringAt(holder, 'onExit');
  if (onExit === undefined || onExit === '' || onExit.includes('{{')) return;
  if (ctx.templatesByName.has(onExit)) return;
  const ref = holder === ctx.spec ? objectAt(ctx.spec, 'workflowTemplateRef') : undefined;
  let names = [...ctx.templatesByName.keys()];
  if (ref) {
    const name = stringAt(ref, 'name');
    if (name === undefined || name.includes('{{')) return;
    const target = ctx.resources.lookup(ref['clusterScope'] === true, name);
    if (!target) return;
    const spec = objectAt(target, 'spec');
    names = arrayAt(spec, 'templates').map((t) => stringAt(t, 'name')).filter((n): n is string => n !== undefined);
    if (names.includes(onExit)) return;
  }
  ctx.reporter.report({
    code: 'ARG026',
    path: [...path, 'onExit'],
    message: `onExit "${onExit}": expected the name of a template${ref ? ` of the referenced template "${stringAt(ref, 'name') ?? ''}"` : ''}, received a name no template has`,
    hint: `templates defined: ${names.map((n) => `"${n}"`).join(', ') || 'none'}`,
  });
}

/** Workflow-level `onExit` and `hooks`. */
export function exitHandlers(ctx: WorkflowContext): void {
  checkOnExit(ctx, ctx.spec, ctx.specPath);
  checkHooks(ctx, ctx.spec, ctx.specPath);
}
