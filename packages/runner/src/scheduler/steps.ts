/**
 * Steps templates (`workflow/controller/steps.go`): groups run in order, the steps of a group in parallel; a
 * group fails when one of its steps Failed or Errored without `continueOn`, and then the steps node stops with
 * that phase; `steps.<name>.*` of every earlier group are in scope; `parallelism` bounds running steps.
 */
import type { TemplateContext } from '../load/loaded-workflow.js';
import type { RunNode } from '../model/node.js';
import { failedOrError } from '../model/node.js';
import type { Template } from '../model/workflow.js';
import type { Scope } from '../variables/scope.js';
import { compositeOutputs } from './composite-outputs.js';
import { Limiter } from './limiter.js';
import { addAggregateToScope, addNodeToScope } from './node-scope.js';
import { continuesOn, runCall } from './run-call.js';
import { messageOf } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

export async function executeSteps(run: WorkflowRun, node: RunNode, tmpl: Template, context: TemplateContext, scope: Scope): Promise<void> {
  const groups = tmpl.steps ?? [];
  const s = scope.child();
  const limiter = tmpl.parallelism ? new Limiter(tmpl.parallelism) : undefined;
  for (let i = 0; i < groups.length; i += 1) {
    const steps = groups[i] ?? [];
    const group = run.createNode(`${node.name}[${i}]`, 'StepGroup', node.templateName, { boundaryId: node.id, parentId: node.id, displayName: `[${i}]` });
    if (run.stopped) {
      run.setPhase(group, 'Failed', run.stopReason);
      run.setPhase(node, 'Failed', run.stopReason);
      return;
    }
    const place = { run, parent: group, boundary: node, context, limiter, kind: 'steps' as const };
    const results = await Promise.all(steps.map((step) => runCall(place, step, s, `${group.name}.${step.name}`, step.name)));
    let failed: RunNode | undefined;
    steps.forEach((step, k) => {
      const r = results[k];
      if (!r) return;
      if (r.loop) {
        const fake = r.node ?? ({ ...group, phase: r.phase } as RunNode);
        addAggregateToScope(s, `steps.${step.name}`, fake, r.children);
        for (const c of r.children) if (failedOrError(c.phase) && !continuesOn(step, c.phase)) failed ??= c;
      } else if (r.node) {
        addNodeToScope(s, `steps.${step.name}`, r.node);
        if (failedOrError(r.node.phase) && !continuesOn(step, r.node.phase)) failed ??= r.node;
      }
    });
    if (failed) {
      const message = `child '${failed.name}' ${failed.phase === 'Error' ? 'errored' : 'failed'}`;
      run.setPhase(group, failed.phase, message);
      run.setPhase(node, failed.phase, message);
      return;
    }
    run.setPhase(group, 'Succeeded');
  }
  if (run.stopped) {
    run.setPhase(node, 'Failed', run.stopReason);
    return;
  }
  try {
    compositeOutputs(run, node, tmpl, s);
  } catch (error) {
    run.setPhase(node, 'Error', messageOf(error));
    return;
  }
  run.setPhase(node, 'Succeeded');
}
