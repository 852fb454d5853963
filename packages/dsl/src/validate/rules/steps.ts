import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, isObject, objectAt, show, stringAt } from '../_internal/json.js';
import { checkLoops } from '../_internal/loops.js';
import { nodeNameProblem } from '../_internal/names.js';
import { checkArguments } from '../_internal/parameters.js';
import { whenProblem } from '../_internal/when.js';
import { checkHooks, checkOnExit } from './exit-handlers.js';

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
      const problem = nodeNameProblem(name);
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
      checkLoops(ctx, step, p, label);
      checkArguments(ctx, objectAt(step, 'arguments'), [...p, 'arguments'], { requireValue: true, subject: label });
      checkOnExit(ctx, step, p);
      checkHooks(ctx, step, p);
      const when = stringAt(step, 'when');
      const whenIssue = when === undefined ? undefined : whenProblem(when);
      if (whenIssue) {
        ctx.reporter.report({
          code: 'ARG091',
          path: [...p, 'when'],
          message: `${label}: when "${when ?? ''}" does not parse: ${whenIssue}`,
          hint: 'conditions compare values: "{{steps.a.outputs.result}} == yes" (quote strings that contain spaces or operators)',
        });
      }
    });
  });
}
