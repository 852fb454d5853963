import type { WorkflowContext } from '../_internal/context.js';
import { objectAt } from '../_internal/json.js';
import { checkArguments } from '../_internal/parameters.js';

/**
 * `spec.arguments`: names, enums, valueFrom and artifacts. A value is required only on a Workflow compiled for
 * submission (Argo relaxes this for templates and in lint, where values come at submission).
 */
export function workflowArguments(ctx: WorkflowContext, requireValues: boolean): void {
  checkArguments(ctx, objectAt(ctx.spec, 'arguments'), [...ctx.specPath, 'arguments'], {
    requireValue: requireValues && ctx.kind === 'Workflow',
    subject: ctx.kind,
  });
}
