import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, isObject, show } from '../_internal/json.js';
import { nodeNameProblem, substitutedNodeName } from '../_internal/names.js';
import { checkNode } from './node-checks.js';

/** Steps templates: valid unique step names across groups, loops, arguments, when, onExit and hooks. */
export function steps(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  if (!Array.isArray(template['steps'])) return;
  const seen = new Set<string>();
  const owner = show(template['name']);
  arrayAt(template, 'steps').forEach((group, g) => {
    const list = Array.isArray(group) ? group : arrayAt(group, 'steps');
    list.forEach((step, s) => {
      if (!isObject(step)) return;
      const p = [...path, 'steps', g, s];
      const name = step['name'];
      const label = `step ${show(name)}`;
      const problem = nodeNameProblem(substitutedNodeName(name));
      if (problem) {
        ctx.reporter.report({
          code: 'ARG014',
          path: [...p, 'name'],
          message: `template ${owner}: step name must be ${problem}, received ${show(name)}`,
          hint: 'step names match ^[a-zA-Z0-9][-a-zA-Z0-9]*$',
        });
      } else if (typeof name === 'string') {
        if (seen.has(name)) {
          ctx.reporter.report({
            code: 'ARG015',
            path: [...p, 'name'],
            message: `template ${owner}: step names must be unique across all groups, received "${name}" twice`,
            hint: 'rename one of the steps',
          });
        }
        seen.add(name);
      }
      checkNode(ctx, step, p, label, 'steps');
    });
  });
}
