import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { createAncestry, dagGraph } from '../_internal/dag-graph.js';
import { readExpression } from '../_internal/expression.js';
import { arrayAt, isObject, objectAt, show, stringAt, type JsonObject, type JsonPath } from '../_internal/json.js';
import { resolveHolder } from '../_internal/resolve-holder.js';
import { checkVariable, globalScope, itemScopeOf, templateScope, type NodeInfo, type Scope } from '../_internal/scope.js';
import { templateTypeOf } from '../_internal/template-kind.js';
import { tagsOf, walkStrings } from '../_internal/walk.js';

function checkText(ctx: WorkflowContext, template: string, text: string, path: JsonPath, scope: Scope): void {
  for (const tag of tagsOf(text)) {
    if (tag.startsWith('=')) {
      const reading = readExpression(tag.slice(1));
      if (reading.problem) {
        ctx.reporter.report({
          code: 'ARG092',
          beyondArgo: true,
          path,
          message: `template ${template}: expression "{{${tag}}}" does not parse: ${reading.problem}`,
          hint: 'expressions use expr-lang syntax: {{=inputs.parameters.x == "y" ? "a" : "b"}}',
        });
      }
      for (const chain of new Set(reading.chains)) {
        const problem = checkVariable(scope, chain, true);
        if (!problem) continue;
        ctx.reporter.report({
          code: problem.code === 'ARG090' ? 'ARG092' : problem.code,
          beyondArgo: true,
          path,
          message: `template ${template}: expression "{{${tag}}}" reads "${chain}", which is not in scope: ${problem.message}`,
          hint: problem.hint,
        });
      }
      continue;
    }
    const problem = checkVariable(scope, tag);
    if (!problem) continue;
    ctx.reporter.report({
      code: problem.code,
      ...(problem.beyondArgo ? { beyondArgo: true } : {}),
      path,
      message: `template ${template}: "{{${tag}}}" cannot be resolved: ${problem.message}`,
      hint: problem.hint,
    });
  }
}

/**
 * Lifecycle hook `expression`s are expr-lang without `{{ }}` (`steps["build"].status == "Running"`): they must
 * parse and read only names in scope. Beyond Argo (a warning in lint).
 */
function checkHookExpressions(ctx: WorkflowContext, holder: JsonObject, path: JsonPath, scope: Scope, label: string): void {
  const hooks = objectAt(holder, 'hooks');
  if (!hooks) return;
  for (const [name, hook] of Object.entries(hooks)) {
    const expression = stringAt(hook, 'expression');
    if (expression === undefined || expression.includes('{{')) continue;
    const p = [...path, 'hooks', name, 'expression'];
    const reading = readExpression(expression);
    if (reading.problem) {
      ctx.reporter.report({
        code: 'ARG092',
        beyondArgo: true,
        path: p,
        message: `${label}: hook "${name}" expression "${expression}" does not parse: ${reading.problem}`,
        hint: 'hook expressions use expr-lang syntax: steps["build"].status == "Running"',
      });
    }
    for (const chain of new Set(reading.chains)) {
      const problem = checkVariable(scope, chain, true);
      if (!problem) continue;
      ctx.reporter.report({
        code: 'ARG092',
        beyondArgo: true,
        path: p,
        message: `${label}: hook "${name}" expression reads "${chain}", which is not in scope: ${problem.message}`,
        hint: problem.hint,
      });
    }
  }
}

function walk(ctx: WorkflowContext, template: string, value: unknown, path: JsonPath, scope: Scope, skip: readonly string[] = []): void {
  walkStrings(value, path, (text, p) => checkText(ctx, template, text, p, scope), skip);
}

/** An inline template has its own inputs: its variables are not the step's (not checked here). */
const INLINE: readonly string[] = ['inline'];
/** `hooks` are walked on their own: the exit hook runs after its node and reads the node's own outputs. */
const EXIT_HOOK_APART: readonly string[] = ['inline', 'hooks'];

/**
 * A node's hooks. The `exit` hook runs once the node has finished, so Argo lets its arguments read the node's
 * own outputs (`{{steps.a.outputs.result}}` in the exit hook of step "a"); other hooks see what the node sees.
 */
function walkExitHook(ctx: WorkflowContext, label: string, node: JsonObject, path: JsonPath, scope: Scope): void {
  const hooks = objectAt(node, 'hooks');
  if (!hooks) return;
  const self = stringAt(node, 'name');
  for (const [name, hook] of Object.entries(hooks)) {
    const own: Scope = name === 'exit' && self !== undefined ? { ...scope, visible: (n) => n === self || scope.visible(n), sameGroup: (n) => n !== self && (scope.sameGroup?.(n) ?? false) } : scope;
    walk(ctx, label, hook, [...path, 'hooks', name], own, ['expression']);
  }
}

function nodeInfo(ctx: WorkflowContext, holder: JsonObject): NodeInfo {
  const resolved = resolveHolder(ctx, holder);
  return {
    template: resolved.status === 'found' ? resolved.template : undefined,
    looped: holder['withItems'] !== undefined || holder['withParam'] !== undefined || holder['withSequence'] !== undefined,
  };
}

function stepsTemplate(ctx: WorkflowContext, { template, path }: TemplateEntry, base: Scope, label: string): void {
  const groups = arrayAt(template, 'steps').map((g) => (Array.isArray(g) ? g : arrayAt(g, 'steps')));
  const all = new Map<string, NodeInfo>();
  const groupOf = new Map<string, number>();
  groups.forEach((group, g) => group.forEach((step) => {
    const name = stringAt(step, 'name');
    if (name !== undefined && isObject(step) && !all.has(name)) { all.set(name, nodeInfo(ctx, step)); groupOf.set(name, g); }
  }));
  walk(ctx, label, template, path, { ...base, nodeKind: 'steps', nodes: all }, ['name', 'steps']);
  groups.forEach((group, g) => group.forEach((step, s) => {
    // (Only nodes with hooks: the label and path are built for those alone.)
    if (isObject(step) && step['hooks'] !== undefined) checkHookExpressions(ctx, step, [...path, 'steps', g, s], { ...base, nodeKind: 'steps', nodes: all }, `step ${show(step['name'])}`);
  }));
  groups.forEach((group, g) => {
    const visible = (n: string): boolean => (groupOf.get(n) ?? g) < g;
    const sameGroup = (n: string): boolean => groupOf.get(n) === g;
    group.forEach((step, s) => {
      if (!isObject(step)) return;
      const scope: Scope = { ...base, nodeKind: 'steps', nodes: all, visible, sameGroup, item: itemScopeOf(step) };
      walk(ctx, label, step, [...path, 'steps', g, s], scope, EXIT_HOOK_APART);
      walkExitHook(ctx, label, step, [...path, 'steps', g, s], scope);
    });
  });
}

function dagTemplate(ctx: WorkflowContext, { template, path }: TemplateEntry, base: Scope, label: string): void {
  const dag = objectAt(template, 'dag') ?? {};
  const tasks = arrayAt(dag, 'tasks');
  const ancestry = createAncestry(dagGraph(tasks));
  const all = new Map<string, NodeInfo>();
  for (const task of tasks) {
    const name = stringAt(task, 'name');
    if (name !== undefined && isObject(task) && !all.has(name)) all.set(name, nodeInfo(ctx, task));
  }
  walk(ctx, label, template, path, { ...base, nodeKind: 'tasks', nodes: all }, ['name', 'dag']);
  walk(ctx, label, dag, [...path, 'dag'], { ...base, nodeKind: 'tasks', nodes: all }, ['tasks']);
  tasks.forEach((task, t) => {
    if (isObject(task) && task['hooks'] !== undefined) checkHookExpressions(ctx, task, [...path, 'dag', 'tasks', t], { ...base, nodeKind: 'tasks', nodes: all }, `task ${show(task['name'])}`);
  });
  tasks.forEach((task, t) => {
    if (!isObject(task)) return;
    const name = stringAt(task, 'name') ?? '';
    const visible = (n: string): boolean => ancestry(name).has(n);
    const scope: Scope = { ...base, nodeKind: 'tasks', nodes: all, visible, item: itemScopeOf(task) };
    walk(ctx, label, task, [...path, 'dag', 'tasks', t], scope, EXIT_HOOK_APART);
    walkExitHook(ctx, label, task, [...path, 'dag', 'tasks', t], scope);
  });
}

/**
 * Every `{{tag}}` under Argo's checked roots (item, steps, inputs, outputs, pod, workflow, tasks) resolves where it
 * is used; `{{= … }}` expressions parse and read only variables in scope; `tasks.X` anywhere must be upstream.
 */
export function variables(ctx: WorkflowContext): void {
  const globals = globalScope(ctx.spec, ctx.kind === 'WorkflowTemplate' || ctx.kind === 'ClusterWorkflowTemplate');
  checkHookExpressions(ctx, ctx.spec, ctx.specPath, templateScope(globals, {}), ctx.kind);
  for (const entry of ctx.templates) {
    const base = templateScope(globals, entry.template);
    const label = show(entry.template['name']);
    const type = templateTypeOf(entry.template);
    if (type === 'steps') stepsTemplate(ctx, entry, base, label);
    else if (type === 'dag') dagTemplate(ctx, entry, base, label);
    else walk(ctx, label, entry.template, entry.path, base, ['name']);
  }
}
