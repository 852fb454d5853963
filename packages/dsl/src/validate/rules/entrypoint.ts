import type { WorkflowContext } from '../_internal/context.js';
import { has, stringAt } from '../_internal/json.js';

/** `entrypoint` names a template; it is required for Workflows and CronWorkflows without a workflowTemplateRef. */
export function entrypoint(ctx: WorkflowContext): void {
  const name = stringAt(ctx.spec, 'entrypoint');
  const viaRef = has(ctx.spec, 'workflowTemplateRef');
  if (name === undefined || name === '') {
    if (viaRef || ctx.kind === 'WorkflowTemplate' || ctx.kind === 'ClusterWorkflowTemplate') return;
    ctx.reporter.report({
      code: 'ARG020',
      path: [...ctx.specPath],
      message: `${ctx.kind}: spec.entrypoint is required, received none`,
      hint: `set entrypoint to the name of the template to run first (one of: ${[...ctx.templatesByName.keys()].map((n) => `"${n}"`).join(', ') || 'no templates defined'})`,
    });
    return;
  }
  if (viaRef || name.includes('{{')) return;
  if (!ctx.templatesByName.has(name)) {
    ctx.reporter.report({
      code: 'ARG020',
      path: [...ctx.specPath, 'entrypoint'],
      message: `entrypoint "${name}": expected the name of a template, received a name no template has`,
      hint: `templates defined: ${[...ctx.templatesByName.keys()].map((n) => `"${n}"`).join(', ') || 'none'}`,
    });
  }
}
