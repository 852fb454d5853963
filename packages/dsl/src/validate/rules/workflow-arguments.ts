import type { WorkflowContext } from '../_internal/context.js';
import { objectAt } from '../_internal/json.js';
import { checkArguments } from '../_internal/parameters.js';

/**
 * `spec.arguments`: names, enums, valueFrom and artifacts. Argo's two modes: `argo lint` (ValidateOpts.Lint)
 * checks only the names; a submission (`argots compile`) also wants a value for every parameter of a Workflow
 * or CronWorkflow (ValidateCronWorkflow validates the Workflow it would create), while a (Cluster)WorkflowTemplate
 * may leave them empty (allowEmptyValues when WorkflowTemplateValidation and not Submit).
 */
export function workflowArguments(ctx: WorkflowContext, requireValues: boolean): void {
  checkArguments(ctx, objectAt(ctx.spec, 'arguments'), [...ctx.specPath, 'arguments'], {
    requireValue: requireValues && (ctx.kind === 'Workflow' || ctx.kind === 'CronWorkflow'),
    subject: ctx.kind,
  });
}
