/**
 * DAG templates (`workflow/controller/dag.go`): a task runs when every task its `depends` names is fulfilled;
 * a false `depends` makes it Omitted; the DAG's phase is assessed from its target tasks (default: the tasks
 * no other task depends on), an Omitted or Skipped target inheriting the phase of the branch above it;
 * `failFast` (default true) stops scheduling once that assessment is Failed; `parallelism` bounds running tasks.
 */
import type { TemplateContext } from '../load/loaded-workflow.js';
import type { NodePhase, RunNode } from '../model/node.js';
import { failedOrError, isCompleted, isFulfilled } from '../model/node.js';
import type { DagTask, Template } from '../model/workflow.js';
import type { Scope } from '../variables/scope.js';
import { compositeOutputs } from './composite-outputs.js';
import type { DependsExpr, TaskResult } from './depends.js';
import { dependsTasks, evaluateDepends, taskDepends } from './depends.js';
import { Limiter } from './limiter.js';
import { addAggregateToScope, addNodeToScope, loopChildren } from './node-scope.js';
import { continuesOn, runCall } from './run-call.js';
import { messageOf } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

/** A cycle among the tasks, as `a -> b -> a`, or undefined. */
export function findCycle(deps: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name].join(' -> ');
    state.set(name, 'visiting');
    stack.push(name);
    for (const d of [...(deps.get(name) ?? [])].sort()) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of [...deps.keys()].sort()) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}

export async function executeDag(run: WorkflowRun, node: RunNode, tmpl: Template, context: TemplateContext, scope: Scope): Promise<void> {
  const dag = tmpl.dag;
  if (!dag || dag.tasks.length === 0) {
    run.setPhase(node, 'Error', 'dag has no tasks');
    return;
  }
  const tasks = new Map<string, DagTask>(dag.tasks.map((t) => [t.name, t]));
  const exprs = new Map<string, DependsExpr>();
  const deps = new Map<string, Set<string>>();
  for (const t of dag.tasks) {
    try {
      const e = taskDepends(t, tasks);
      exprs.set(t.name, e);
      deps.set(t.name, dependsTasks(e));
    } catch (error) {
      run.setPhase(node, 'Error', `task "${t.name}": ${messageOf(error)}`);
      return;
    }
  }
  const cycle = findCycle(deps);
  if (cycle) {
    run.setPhase(node, 'Error', `dag has a cycle: ${cycle}`);
    return;
  }
  const dependedOn = new Set([...deps.values()].flatMap((s) => [...s]));
  const targets = dag.target ? dag.target.split(/\s+/).filter(Boolean) : [...tasks.keys()].filter((n) => !dependedOn.has(n)).sort();
  const unknown = targets.find((t) => !tasks.has(t));
  if (unknown) {
    run.setPhase(node, 'Error', `dag.target names task "${unknown}", which is not in this DAG`);
    return;
  }
  const failFast = dag.failFast ?? true;
  const limiter = tmpl.parallelism ? new Limiter(tmpl.parallelism) : undefined;
  const taskNodes = new Map<string, RunNode>();
  const loops = new Map<string, readonly RunNode[]>();
  const promises = new Map<string, Promise<void>>();
  let halted = false;

  const results = (name: string): Record<TaskResult, boolean> => {
    const n = taskNodes.get(name) as RunNode;
    const children = n.type === 'TaskGroup' ? loopChildren(run, n) : [];
    return {
      Succeeded: n.phase === 'Succeeded',
      Failed: n.phase === 'Failed',
      Errored: n.phase === 'Error',
      Skipped: n.phase === 'Skipped',
      Omitted: n.phase === 'Omitted',
      Daemoned: n.daemoned && n.phase !== 'Pending',
      AnySucceeded: children.some((c) => c.phase === 'Succeeded'),
      AllFailed: children.length > 0 && children.every((c) => c.phase === 'Failed'),
    };
  };

  const ancestors = (name: string, into: Set<string> = new Set()): Set<string> => {
    for (const d of deps.get(name) ?? []) {
      if (into.has(d)) continue;
      into.add(d);
      ancestors(d, into);
    }
    return into;
  };

  const localScope = (name: string): Scope => {
    const s = scope.child();
    for (const a of ancestors(name)) {
      const n = taskNodes.get(a);
      if (!n) continue;
      if (n.type === 'TaskGroup') addAggregateToScope(s, `tasks.${a}`, n, loopChildren(run, n));
      else addNodeToScope(s, `tasks.${a}`, n);
    }
    return s;
  };

  /** A daemoned task (Running, its container kept alive) counts as succeeded (NodeStatus.Fulfilled/Successful). */
  const phaseOf = (n: RunNode): NodePhase => (n.daemoned && n.phase === 'Running' ? 'Succeeded' : n.phase);

  /** Argo's assessDAGPhase over the task graph: a fulfilled-but-not-completed task takes its branch's phase. */
  const assess = (): NodePhase => {
    const memo = new Map<string, Set<NodePhase>>();
    const branch = (name: string): Set<NodePhase> => {
      const cached = memo.get(name);
      if (cached) return cached;
      const n = taskNodes.get(name);
      let set: Set<NodePhase>;
      if (n && isCompleted(phaseOf(n))) set = new Set([phaseOf(n)]);
      else {
        set = new Set();
        for (const d of deps.get(name) ?? []) if (taskNodes.has(d)) for (const p of branch(d)) set.add(p);
        if (set.size === 0) set.add('Succeeded');
      }
      memo.set(name, set);
      return set;
    };
    let result: NodePhase = 'Succeeded';
    for (const t of targets) {
      const n = taskNodes.get(t);
      if (!n || !isFulfilled(phaseOf(n))) {
        result = 'Running';
        if (!failFast) break;
        continue;
      }
      const set = branch(t);
      const phase: NodePhase = set.has('Failed') ? 'Failed' : set.has('Error') ? 'Error' : 'Succeeded';
      if (failedOrError(phase)) {
        if (continuesOn(tasks.get(t) as DagTask, phase)) continue;
        result = phase;
        if (failFast) break;
      }
    }
    return result;
  };

  const place = { run, parent: node, boundary: node, context, limiter, kind: 'tasks' as const };
  const runTask = (name: string): Promise<void> => {
    let p = promises.get(name);
    if (p) return p;
    p = (async () => {
      const t = tasks.get(name) as DagTask;
      const ds = [...(deps.get(name) ?? [])];
      await Promise.all(ds.map(runTask));
      if (halted || run.stopped || ds.some((d) => !taskNodes.has(d))) return;
      const nodeName = `${node.name}.${name}`;
      if (!evaluateDepends(exprs.get(name) as DependsExpr, results)) {
        taskNodes.set(name, run.createNode(nodeName, 'Skipped', t.template ?? t.templateRef?.template ?? '', { boundaryId: node.id, parentId: node.id, displayName: name, phase: 'Omitted', message: 'omitted: depends condition not met' }));
        return;
      }
      const result = await runCall(place, t, localScope(name), nodeName, name);
      if (result.node) taskNodes.set(name, result.node);
      if (result.loop) loops.set(name, result.children);
      if (failFast && failedOrError(assess())) halted = true;
    })();
    promises.set(name, p);
    return p;
  };
  await Promise.all(targets.map(runTask));
  let phase = assess();
  if (phase === 'Running') phase = 'Failed';
  if (run.stopped) phase = 'Failed';
  if (phase !== 'Succeeded') {
    run.setPhase(node, phase, run.stopReason ?? failureMessage(targets, taskNodes));
    return;
  }
  const all = scope.child();
  for (const [name, n] of taskNodes) {
    if (n.type === 'TaskGroup') addAggregateToScope(all, `tasks.${name}`, n, loopChildren(run, n));
    else addNodeToScope(all, `tasks.${name}`, n);
  }
  try {
    compositeOutputs(run, node, tmpl, all);
  } catch (error) {
    run.setPhase(node, 'Error', messageOf(error));
    return;
  }
  run.setPhase(node, 'Succeeded');
}

function failureMessage(targets: readonly string[], taskNodes: ReadonlyMap<string, RunNode>): string {
  const failed = [...taskNodes.values()].find((n) => failedOrError(n.phase));
  return failed ? `task "${failed.displayName}" ${failed.phase === 'Error' ? 'errored' : 'failed'}` : `target tasks ${targets.join(', ')} did not succeed`;
}
