import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { dagGraph } from '../_internal/dag-graph.js';
import { dependsRefs, parseDepends, TASK_RESULTS } from '../_internal/depends.js';
import { arrayAt, has, isObject, objectAt, show, stringAt, type JsonObject, type JsonPath } from '../_internal/json.js';
import { nodeNameProblem, substitutedNodeName } from '../_internal/names.js';
import { checkNode } from './node-checks.js';

const RESULTS: readonly string[] = TASK_RESULTS;

function looped(task: JsonObject | undefined): boolean {
  return task !== undefined && (has(task, 'withItems') || has(task, 'withParam') || has(task, 'withSequence'));
}

function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'open') return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, 'open');
    trail.push(name);
    for (const dep of graph.get(name) ?? []) {
      if (!graph.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of graph.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Argo (validateDAG) judges `depends` per DAG, not per task: once any task of the DAG has a non-empty
 * `depends`, no task may have `dependencies` nor `continueOn`.
 */
function checkTask(ctx: WorkflowContext, task: JsonObject, p: JsonPath, byName: ReadonlyMap<string, JsonObject>, owner: string, dagUsesDepends: string | undefined): void {
  const name = stringAt(task, 'name') ?? '';
  const label = `task "${name}"`;
  const depends = stringAt(task, 'depends');
  const dependencies = arrayAt(task, 'dependencies');
  const because = depends !== undefined && depends !== '' ? '' : ` (task "${dagUsesDepends ?? ''}" of this DAG uses depends, and Argo then forbids it on every task)`;
  if (dagUsesDepends !== undefined && dependencies.length > 0) {
    ctx.reporter.report({
      code: 'ARG081',
      path: [...p, 'dependencies'],
      message: `${label}: template ${owner} cannot use both depends and dependencies, received dependencies${because}`,
      hint: 'write every task\'s edges as depends ("A && B" says what dependencies [A, B] says)',
    });
  }
  if (dagUsesDepends !== undefined && has(task, 'continueOn')) {
    ctx.reporter.report({
      code: 'ARG082',
      path: [...p, 'continueOn'],
      message: `${label}: template ${owner} cannot use continueOn when using depends, received continueOn${because}`,
      hint: 'express it in depends instead, for example "A.Succeeded || A.Failed"',
    });
  }
  dependencies.forEach((dep, i) => {
    if (typeof dep === 'string' && byName.has(dep)) return;
    ctx.reporter.report({
      code: 'ARG083',
      path: [...p, 'dependencies', i],
      message: `${label}: dependency ${show(dep)} must name a task of template ${owner}, received an unknown name`,
      hint: `tasks: ${[...byName.keys()].map((n) => `"${n}"`).join(', ')}`,
    });
  });
  if (depends !== undefined && depends.trim() !== '') {
    const tree = parseDepends(depends);
    if ('message' in tree) {
      ctx.reporter.report({
        code: 'ARG088',
        path: [...p, 'depends'],
        message: `${label}: depends "${depends}" does not parse: ${tree.message}`,
        hint: 'depends combines TASK or TASK.Result with &&, || , ! and parentheses: "(A || B.Failed) && !C.Skipped"',
      });
    } else {
      for (const ref of dependsRefs(tree)) {
        const target = byName.get(ref.task);
        if (!target) {
          ctx.reporter.report({
            code: 'ARG083',
            path: [...p, 'depends'],
            message: `${label}: depends names task "${ref.task}", which template ${owner} does not have`,
            hint: `tasks: ${[...byName.keys()].map((n) => `"${n}"`).join(', ')}`,
          });
          continue;
        }
        if (ref.result === undefined) continue;
        if (!RESULTS.includes(ref.result)) {
          ctx.reporter.report({
            code: 'ARG084',
            path: [...p, 'depends'],
            message: `${label}: "${ref.task}.${ref.result}" must use one of ${RESULTS.join(', ')}, received "${ref.result}"`,
            hint: 'results are case-sensitive: Succeeded, Failed, Errored, Skipped, Omitted, Daemoned',
          });
        } else if ((ref.result === 'AnySucceeded' || ref.result === 'AllFailed') && !looped(target)) {
          ctx.reporter.report({
            code: 'ARG084',
            path: [...p, 'depends'],
            message: `${label}: "${ref.task}.${ref.result}" is only valid for a task with withItems, withParam or withSequence, received it for a task without a loop`,
            hint: `use "${ref.task}.${ref.result === 'AnySucceeded' ? 'Succeeded' : 'Failed'}"`,
          });
        }
      }
    }
  }
  checkNode(ctx, task, p, label, 'tasks');
}

/** DAG templates: tasks, names, depends/dependencies, results, cycles and target. */
export function dag(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const spec = objectAt(template, 'dag');
  if (!spec) return;
  const owner = show(template['name']);
  const tasks = arrayAt(spec, 'tasks');
  const base = [...path, 'dag'];
  if (tasks.length === 0) {
    ctx.reporter.report({
      code: 'ARG080',
      path: [...base, 'tasks'],
      message: `template ${owner}: a dag needs at least one task, received none`,
      hint: 'add tasks, or use another template type',
    });
    return;
  }
  const byName = new Map<string, JsonObject>();
  const dependsTask = tasks.find((t) => isObject(t) && typeof t['depends'] === 'string' && t['depends'] !== '');
  const dagUsesDepends = isObject(dependsTask) ? String(dependsTask['name'] ?? '') : undefined;
  const usesDeps = dagUsesDepends !== undefined;
  tasks.forEach((task, t) => {
    if (!isObject(task)) return;
    const name = task['name'];
    const p = [...base, 'tasks', t, 'name'];
    const problem = nodeNameProblem(substitutedNodeName(name));
    if (problem) {
      ctx.reporter.report({
        code: 'ARG014',
        path: p,
        message: `template ${owner}: task name must be ${problem}, received ${show(name)}`,
        hint: 'task names match ^[a-zA-Z0-9][-a-zA-Z0-9]*$',
      });
    } else if (typeof name === 'string') {
      if (byName.has(name)) {
        ctx.reporter.report({
          code: 'ARG015',
          path: p,
          message: `template ${owner}: task names must be unique, received "${name}" twice`,
          hint: 'rename one of the tasks',
        });
      } else {
        byName.set(name, task);
      }
      if (usesDeps && /^[0-9]/.test(name)) {
        ctx.reporter.report({
          code: 'ARG087',
          path: p,
          message: `template ${owner}: task name "${name}" must not start with a digit when the dag uses depends`,
          hint: `rename it, for example "t${name}"`,
        });
      }
    }
  });
  tasks.forEach((task, t) => {
    if (isObject(task)) checkTask(ctx, task, [...base, 'tasks', t], byName, owner, dagUsesDepends);
  });
  const cycle = findCycle(dagGraph(tasks));
  if (cycle) {
    const first = cycle[0] ?? '';
    const index = tasks.findIndex((t) => stringAt(t, 'name') === first);
    ctx.reporter.report({
      code: 'ARG085',
      path: [...base, 'tasks', Math.max(index, 0)],
      message: `template ${owner}: expected an acyclic graph, received the dependency cycle ${cycle.map((n) => `"${n}"`).join(' → ')}`,
      hint: 'remove one of the dependencies in the cycle',
    });
  }
  const target = stringAt(spec, 'target');
  if (target !== undefined && !target.includes('{{')) {
    for (const name of target.split(/[\s,]+/).filter((n) => n !== '')) {
      if (byName.has(name)) continue;
      ctx.reporter.report({
        code: 'ARG086',
        path: [...base, 'target'],
        message: `template ${owner}: target "${name}" must name a task, received an unknown name`,
        hint: `tasks: ${[...byName.keys()].map((n) => `"${n}"`).join(', ')}`,
      });
    }
  }
}
