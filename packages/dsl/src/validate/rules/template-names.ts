import type { WorkflowContext } from '../_internal/context.js';
import { show } from '../_internal/json.js';
import { nodeNameProblem } from '../_internal/names.js';

/** Template names are valid node names and unique within the object. */
export function templateNames(ctx: WorkflowContext): void {
  const seen = new Set<string>();
  for (const { template, path } of ctx.templates) {
    const name = template['name'];
    const problem = nodeNameProblem(name);
    if (problem) {
      ctx.reporter.report({
        code: 'ARG012',
        path: [...path, 'name'],
        message: `template ${show(name)}: name must be ${problem}, received ${show(name)}`,
        hint: 'template names match ^[a-zA-Z0-9][-a-zA-Z0-9]*$ and have at most 128 characters',
      });
    }
    if (typeof name === 'string') {
      if (seen.has(name)) {
        ctx.reporter.report({
          code: 'ARG013',
          path: [...path, 'name'],
          message: `template "${name}": names must be unique, received a second template named "${name}"`,
          hint: 'rename one of the templates',
        });
      }
      seen.add(name);
    }
  }
}
