/**
 * One DAG task or step: its fields substituted with the caller's scope, its loop expanded, `when` decided, the
 * template run, then its hooks (`hooks`, `onExit`). Shared by dag.ts and steps.ts, as Argo shares it between
 * executeDAGTask and executeStepGroup.
 */
import type { NodePhase, RunNode } from '../model/node.js';
import { failedOrError } from '../model/node.js';
import type { NodeCall } from '../model/workflow.js';
import type { TemplateContext } from '../load/loaded-workflow.js';
import type { Scope } from '../variables/scope.js';
import { findUnresolved, substituteDeep } from '../variables/substitute.js';
import type { Limiter } from './limiter.js';
import { expandItem, loopItems } from './loops.js';
import { addNodeToScope } from './node-scope.js';
import { shouldExecute } from './when.js';
import { messageOf } from './workflow-run.js';
import type { CallSite, WorkflowRun } from './workflow-run.js';

export interface CallResult {
  /** The node standing for the call: the node itself, a DAG loop's TaskGroup, or undefined for a steps loop. */
  readonly node: RunNode | undefined;
  /** For a loop: the expanded nodes, in item order. */
  readonly children: readonly RunNode[];
  readonly loop: boolean;
  readonly phase: NodePhase;
}

export interface CallPlace {
  readonly run: WorkflowRun;
  /** The DAG or StepGroup node the call's nodes hang under. */
  readonly parent: RunNode;
  /** The DAG or Steps node whose boundary they are in. */
  readonly boundary: RunNode;
  readonly context: TemplateContext;
  readonly limiter: Pick<Limiter, 'acquire'> | undefined;
  /** `tasks` or `steps`: the prefix of the variables a hook sees. */
  readonly kind: 'tasks' | 'steps';
}

function callSite(call: NodeCall): CallSite {
  return {
    ...(call.template !== undefined ? { template: call.template } : {}),
    ...(call.templateRef ? { templateRef: call.templateRef } : {}),
    ...(call.inline ? { inline: call.inline } : {}),
    ...(call.arguments ? { arguments: call.arguments } : {}),
  };
}

const templateLabel = (call: NodeCall): string => call.template ?? call.templateRef?.template ?? call.inline?.name ?? '';

/** The parts of a call that are substituted before it runs (hooks are substituted when they fire). */
function substituteCall(call: NodeCall, scope: Scope): NodeCall {
  const { hooks, onExit, inline, ...rest } = call;
  const sub = substituteDeep(rest, scope, { allowUnresolved: true });
  return { ...sub, ...(hooks ? { hooks } : {}), ...(onExit !== undefined ? { onExit } : {}), ...(inline ? { inline } : {}) };
}

async function runOne(place: CallPlace, call: NodeCall, scope: Scope, nodeName: string, displayName: string, parentId: string): Promise<RunNode> {
  const { run, boundary } = place;
  const base = { boundaryId: boundary.id, parentId, displayName };
  // `when` first (dag.go resolveDependencyReferences): a task that will not run may name outputs that do not exist.
  const badWhen = findUnresolved(call.when);
  if (badWhen) return run.createNode(nodeName, 'Skipped', templateLabel(call), { ...base, phase: 'Error', message: `failed to resolve ${badWhen}` });
  let execute: boolean;
  try {
    execute = shouldExecute(call.when);
  } catch (error) {
    return run.createNode(nodeName, 'Skipped', templateLabel(call), { ...base, phase: 'Error', message: messageOf(error) });
  }
  if (!execute) return run.createNode(nodeName, 'Skipped', templateLabel(call), { ...base, phase: 'Skipped', message: `when '${call.when}' evaluated false` });
  const bad = findUnresolved(call.arguments);
  if (bad) return run.createNode(nodeName, 'Skipped', templateLabel(call), { ...base, phase: 'Error', message: `failed to resolve ${bad}` });
  const hookName = call.name;
  const fired = new Set<string>();
  const hooks = call.hooks ?? (call.onExit !== undefined ? { exit: { template: call.onExit } } : undefined);
  const withExit = call.onExit !== undefined && !call.hooks?.['exit'] ? { ...hooks, exit: { template: call.onExit } } : hooks;
  const hookOpts = { boundaryId: boundary.id, parentId, final: false };
  // Expression hooks are evaluated while the node runs, after each change of the run (the controller does it
  // on every reconciliation: hooks.go executeTmplLifeCycleHook), with the node's current status in scope.
  const running: Promise<void>[] = [];
  const evaluate = (): void => {
    if (!withExit || Object.keys(withExit).every((k) => k === 'exit' || fired.has(k))) return;
    const now = scope.child();
    const current = run.byName.get(nodeName);
    if (current) addNodeToScope(now, `${place.kind}.${hookName}`, current);
    else now.set(`${place.kind}.${hookName}.status`, 'Pending');
    running.push(run.runHooks(nodeName, withExit, now, place.context, fired, hookOpts));
  };
  const unwatch = withExit ? run.watch(evaluate) : () => undefined;
  const node = await run.executeTemplate(nodeName, callSite(call), place.context, { ...base, ...(place.limiter ? { limiter: place.limiter } : {}) });
  unwatch();
  evaluate();
  await Promise.all(running);
  if (withExit) {
    const after = scope.child();
    addNodeToScope(after, `${place.kind}.${hookName}`, node);
    await run.runHooks(nodeName, withExit, after, place.context, fired, { ...hookOpts, final: true });
  }
  return node;
}

/** Runs one task or step (expanded when it loops). */
export async function runCall(place: CallPlace, call: NodeCall, scope: Scope, nodeName: string, displayName: string): Promise<CallResult> {
  const { run, boundary, parent } = place;
  let sub: NodeCall;
  let items: ReturnType<typeof loopItems>;
  try {
    sub = substituteCall(call, scope);
    items = loopItems(sub);
  } catch (error) {
    const node = run.createNode(nodeName, 'Skipped', templateLabel(call), { boundaryId: boundary.id, parentId: parent.id, displayName, phase: 'Error', message: messageOf(error) });
    return { node, children: [], loop: false, phase: node.phase };
  }
  if (items === undefined) {
    const node = await runOne(place, sub, scope, nodeName, displayName, parent.id);
    return { node, children: [], loop: false, phase: node.phase };
  }
  // An empty expansion is a Skipped node, in a DAG and in steps alike (dag.go executeDAGTask, steps.go expandStepGroup).
  if (items.length === 0) {
    const node = run.createNode(nodeName, 'Skipped', templateLabel(call), { boundaryId: boundary.id, parentId: parent.id, displayName, phase: 'Skipped', message: 'Skipped, empty params' });
    return { node, children: [], loop: true, phase: node.phase };
  }
  const group = place.kind === 'tasks' ? run.createNode(nodeName, 'TaskGroup', templateLabel(call), { boundaryId: boundary.id, parentId: parent.id, displayName }) : undefined;
  const { withItems: _i, withParam: _p, withSequence: _s, ...unlooped } = call;
  const children = await Promise.all(
    items.map((item, i) => {
      const expanded = expandItem(nodeName, i, item);
      const itemScope = scope.child();
      for (const [k, v] of expanded.vars) itemScope.set(k, v);
      let itemCall: NodeCall;
      try {
        itemCall = substituteCall(unlooped, itemScope);
      } catch (error) {
        return Promise.resolve(run.createNode(expanded.name, 'Skipped', templateLabel(call), { boundaryId: boundary.id, parentId: group?.id ?? parent.id, displayName: expanded.name.slice(nodeName.length - displayName.length), phase: 'Error', message: messageOf(error) }));
      }
      return runOne(place, itemCall, itemScope, expanded.name, expanded.name.slice(nodeName.length - displayName.length), group?.id ?? parent.id);
    }),
  );
  let phase: NodePhase = 'Succeeded';
  for (const c of children) if (failedOrError(c.phase)) phase = c.phase;
  if (group) run.setPhase(group, phase);
  return { node: group, children, loop: true, phase };
}

export function continuesOn(call: NodeCall, phase: NodePhase): boolean {
  return (phase === 'Failed' && call.continueOn?.failed === true) || (phase === 'Error' && call.continueOn?.error === true);
}
