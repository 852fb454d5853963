/**
 * Checks Argo's validator makes at submission (`workflow/validate/validate.go`), before anything runs: every
 * template a node calls exists (in the files given), no DAG has a cycle or names an unknown task, `depends`
 * parses, and every workflow parameter has a value.
 */
import { findCycle } from '../scheduler/dag.js';
import { DependsError, dependsTasks, taskDepends } from '../scheduler/depends.js';
import type { NodeCall, Template } from '../model/workflow.js';
import type { LoadedWorkflow, TemplateContext } from './loaded-workflow.js';
import { resolveTemplateRef } from './loaded-workflow.js';
import { PLUGIN_HINT, pluginRefusal } from './plugin-refusal.js';
import { RunInputError } from './run-input-error.js';

export function preflight(wf: LoadedWorkflow, replaced: ReadonlySet<string>): void {
  const entry = wf.spec.entrypoint;
  if (entry === undefined) throw new RunInputError('RUN110', `${wf.context.source}: spec.entrypoint is not set`, 'name the template to start with in spec.entrypoint');
  const seen = new Set<Template>();
  const where = (ctx: TemplateContext, t: Template, what: string): string => `${ctx.source} template "${t.name ?? 'inline'}" ${what}`;
  const check = (ctx: TemplateContext, from: string, call: Pick<NodeCall, 'template' | 'templateRef' | 'inline'>): void => {
    if (call.inline) return visit(ctx, call.inline);
    if (call.templateRef) {
      if (replaced.has(call.templateRef.template)) return;
      const r = resolveTemplateRef(wf, call.templateRef);
      if (typeof r === 'string') throw new RunInputError('RUN111', `${from}: ${r}`, 'pass the file holding that WorkflowTemplate, or --replace-template NAME=FILE');
      return visit(r.context, r.template);
    }
    if (call.template === undefined) throw new RunInputError('RUN112', `${from}: names no template`, 'set template: NAME (or templateRef)');
    if (replaced.has(call.template)) return;
    const t = ctx.templates.get(call.template);
    if (!t) throw new RunInputError('RUN111', `${from}: template "${call.template}" not found in ${ctx.source}`, `the templates there are: ${[...ctx.templates.keys()].join(', ')}`);
    visit(ctx, t);
  };
  const hooksOf = (ctx: TemplateContext, from: string, hooks: NodeCall['hooks'], onExit: string | undefined): void => {
    for (const [name, h] of Object.entries(hooks ?? {})) check(ctx, `${from} hook "${name}"`, h);
    if (onExit !== undefined) check(ctx, `${from} onExit`, { template: onExit });
  };
  const visit = (ctx: TemplateContext, t: Template): void => {
    if (seen.has(t)) return;
    seen.add(t);
    if (t.plugin !== undefined) throw new RunInputError('RUN115', pluginRefusal(t.name ?? 'inline', t.plugin, ctx.source), PLUGIN_HINT);
    if (t.dag) {
      const tasks = new Map(t.dag.tasks.map((x) => [x.name, x]));
      const deps = new Map<string, Set<string>>();
      for (const task of t.dag.tasks) {
        try {
          deps.set(task.name, dependsTasks(taskDepends(task, tasks)));
        } catch (error) {
          if (error instanceof DependsError) throw new RunInputError('RUN113', `${where(ctx, t, `task "${task.name}"`)}: ${error.message}`, 'depends combines TASK or TASK.Result (Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed) with &&, || and !');
          throw error;
        }
      }
      const cycle = findCycle(deps);
      if (cycle) throw new RunInputError('RUN114', `${where(ctx, t, 'dag')} has a cycle: ${cycle}`, 'remove one of the dependencies in the cycle');
      for (const task of t.dag.tasks) {
        check(ctx, where(ctx, t, `task "${task.name}"`), task);
        hooksOf(ctx, where(ctx, t, `task "${task.name}"`), task.hooks, task.onExit);
      }
    }
    for (const group of t.steps ?? []) {
      for (const step of group) {
        check(ctx, where(ctx, t, `step "${step.name}"`), step);
        hooksOf(ctx, where(ctx, t, `step "${step.name}"`), step.hooks, step.onExit);
      }
    }
  };
  check(wf.context, `${wf.context.source} spec.entrypoint`, { template: entry });
  hooksOf(wf.context, `${wf.context.source} spec`, wf.spec.hooks, wf.spec.onExit);
}
