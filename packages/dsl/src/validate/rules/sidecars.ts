import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, show, stringAt } from '../_internal/json.js';

const RESERVED = ['main', 'wait', 'init'];

/** Sidecars and init containers may not take the container names Argo uses itself. */
export function sidecars(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  for (const field of ['sidecars', 'initContainers']) {
    arrayAt(template, field).forEach((sidecar, i) => {
      const name = stringAt(sidecar, 'name');
      if (name === undefined || !RESERVED.includes(name)) return;
      ctx.reporter.report({
        code: 'ARG047',
        path: [...path, field, i, 'name'],
        message: `template ${show(template['name'])}: ${field} name must not be one of Argo's reserved names (${RESERVED.join(', ')}), received "${name}"`,
        hint: `rename the container, for example "${name}-${field === 'sidecars' ? 'sidecar' : 'setup'}"`,
      });
    });
  }
}
