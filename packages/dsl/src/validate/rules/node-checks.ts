import type { WorkflowContext } from '../_internal/context.js';
import { objectAt, stringAt, type JsonObject, type JsonPath } from '../_internal/json.js';
import { checkLoops } from '../_internal/loops.js';
import { checkArguments } from '../_internal/parameters.js';
import { whenProblem } from '../_internal/when.js';
import { checkHooks, checkOnExit } from './exit-handlers.js';

/**
 * The checks every workflow node gets, a DAG task or a step alike: loops, arguments, its exit handler and
 * hooks, and whether its `when` parses. `scope` is how the node's siblings are referred to (`tasks`/`steps`),
 * used in the hint.
 */
export function checkNode(ctx: WorkflowContext, node: JsonObject, p: JsonPath, label: string, scope: 'tasks' | 'steps'): void {
  checkLoops(ctx, node, p, label);
  checkArguments(ctx, objectAt(node, 'arguments'), [...p, 'arguments'], { requireValue: true, subject: label });
  checkOnExit(ctx, node, p);
  checkHooks(ctx, node, p);
  const when = stringAt(node, 'when');
  const whenIssue = when === undefined ? undefined : whenProblem(when);
  if (whenIssue) {
    ctx.reporter.report({
      code: 'ARG091',
      path: [...p, 'when'],
      message: `${label}: when "${when ?? ''}" does not parse: ${whenIssue}`,
      hint: `conditions compare values: "{{${scope}.a.outputs.result}} == yes" (quote strings that contain spaces or operators)`,
    });
  }
}
