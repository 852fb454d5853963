import type { WorkflowContext } from '../_internal/context.js';
import { arrayAt, objectAt, stringAt } from '../_internal/json.js';

/** With `workflowTemplateRef`, `templates` must be empty, and the referenced template should be known. */
export function workflowTemplateRef(ctx: WorkflowContext): void {
  const ref = objectAt(ctx.spec, 'workflowTemplateRef');
  if (!ref) return;
  if (arrayAt(ctx.spec, 'templates').length > 0) {
    ctx.reporter.report({
      code: 'ARG021',
      path: [...ctx.specPath, 'templates'],
      message: `${ctx.kind}: expected no templates with workflowTemplateRef, received ${arrayAt(ctx.spec, 'templates').length}`,
      hint: 'either call a WorkflowTemplate with workflowTemplateRef or define templates here, not both',
    });
  }
  const name = stringAt(ref, 'name');
  if (!name || name.includes('{{')) return;
  const clusterScope = ref['clusterScope'] === true;
  if (ctx.resources.lookup(clusterScope, name)) return;
  const kind = clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate';
  ctx.reporter.report({
    code: 'ARG063',
    severity: ctx.externalTemplates === 'warn' ? 'warning' : 'error',
    path: [...ctx.specPath, 'workflowTemplateRef', 'name'],
    message: `workflowTemplateRef "${name}": expected a ${kind} named "${name}" among the resources given, received none`,
    hint: 'check the name, include the file that defines it, or allow external templates (externalTemplates: "warn")',
  });
}
