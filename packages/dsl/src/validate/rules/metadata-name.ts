import type { WorkflowContext } from '../_internal/context.js';
import { objectAt, stringAt } from '../_internal/json.js';

/** `metadata.name` ≤ 63 characters (≤ 52 for a CronWorkflow, which appends a timestamp); a name or generateName is required. */
export function metadataName(ctx: WorkflowContext): void {
  const metadata = objectAt(ctx.object, 'metadata');
  const name = stringAt(metadata, 'name');
  const limit = ctx.kind === 'CronWorkflow' ? 52 : 63;
  if (name !== undefined && name.length > limit) {
    ctx.reporter.report({
      code: 'ARG010',
      path: ['metadata', 'name'],
      message: `${ctx.kind} "${name}": metadata.name must be at most ${limit} characters, received ${name.length}`,
      hint: ctx.kind === 'CronWorkflow'
        ? 'Argo appends a 10-character timestamp to CronWorkflow names; shorten the name to 52 characters or fewer'
        : 'shorten the name to 63 characters or fewer (a Kubernetes object name limit)',
    });
  }
  const generateName = stringAt(metadata, 'generateName');
  // Argo's validator does not look at names; the API server wants a name or a generateName, for every kind.
  if ((name === undefined || name === '') && !generateName) {
    ctx.reporter.report({
      code: 'ARG011',
      // Argo's lint accepts an unnamed Workflow (the API server rejects it at submission).
      severity: ctx.kind === 'Workflow' ? 'warning' : 'error',
      path: ['metadata'],
      message: `${ctx.kind}: metadata.name or metadata.generateName is required, received neither`,
      hint: 'give the object a name under metadata.name (or a prefix under metadata.generateName)',
    });
  }
}
