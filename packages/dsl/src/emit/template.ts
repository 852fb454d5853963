import type { ArgumentsIR, NodeIR, TemplateIR } from '../ir/template.js';
import { type ConditionExpr, type TextExpr, dependsTasks } from '../ir/expr.js';
import type { CallIR } from '../authoring/template.js';
import type { SourceRef } from '../_internal/source.js';
import { type EmitContext, report } from './context.js';
import { renderCondition, renderData, renderDepends, renderExprLang, renderText } from './render.js';
import { toYaml } from './yaml.js';

type Obj = Record<string, unknown>;

function emitInputs(ir: TemplateIR): Obj | undefined {
  const parameters: Obj[] = [];
  const artifacts: Obj[] = [];
  for (const [name, spec] of Object.entries(ir.inputs)) {
    if (spec.kind === 'artifact') artifacts.push({ name, ...(renderData(spec.artifact) as Obj) });
    else {
      const p: Obj = { name };
      if (spec.default !== undefined) p['default'] = spec.default;
      if (spec.enum) p['enum'] = [...spec.enum];
      if (spec.description !== undefined) p['description'] = spec.description;
      parameters.push(p);
    }
  }
  if (parameters.length === 0 && artifacts.length === 0) return undefined;
  return { ...(parameters.length ? { parameters } : {}), ...(artifacts.length ? { artifacts } : {}) };
}

function emitOutputs(ir: TemplateIR): Obj | undefined {
  const parameters: Obj[] = [];
  const artifacts: Obj[] = [];
  for (const [name, spec] of Object.entries(ir.outputs)) {
    if (spec.kind === 'artifact') {
      artifacts.push({ name, ...(renderData(spec.artifact) as Obj) });
      continue;
    }
    const from = spec.valueFrom;
    const valueFrom: Obj = 'parameter' in from ? { parameter: renderText(from.parameter) } : { ...from };
    if (spec.default !== undefined) valueFrom['default'] = spec.default;
    const p: Obj = { name, valueFrom };
    if (spec.enum) p['enum'] = [...spec.enum];
    if (spec.description !== undefined) p['description'] = spec.description;
    parameters.push(p);
  }
  if (parameters.length === 0 && artifacts.length === 0) return undefined;
  return { ...(parameters.length ? { parameters } : {}), ...(artifacts.length ? { artifacts } : {}) };
}

function emitArguments(args: ArgumentsIR): Obj | undefined {
  if (args.parameters.length === 0 && args.artifacts.length === 0) return undefined;
  const out: Obj = {};
  if (args.parameters.length) out['parameters'] = args.parameters.map((p) => ({ name: p.name, value: renderText(p.value) }));
  if (args.artifacts.length) {
    out['artifacts'] = args.artifacts.map((a) =>
      a.from ? { name: a.name, from: renderText(a.from as TextExpr) } : { name: a.name, ...(renderData(a.spec) as Obj) },
    );
  }
  return out;
}

function isEmptyObject(o: Readonly<Obj>): boolean {
  for (const _ in o) return false;
  return true;
}

/** The `template:` name or `templateRef:` a node (or hook) uses to call a template; emits it if needed. */
export function callTarget(ctx: EmitContext, call: CallIR, fallbackName: string, usedAt?: SourceRef): Obj {
  const ir = call.template;
  if (ir.body.kind === 'ref') {
    const ref: Obj = { name: ir.body.name, template: ir.body.template };
    if (ir.body.clusterScope) ref['clusterScope'] = true;
    return { templateRef: ref };
  }
  return { template: placeTemplate(ctx, ir, ir.name ?? fallbackName, ir.name === undefined ? usedAt : undefined) };
}

/** A hook (or an onExit with arguments): template + arguments + expression. */
function emitHook(ctx: EmitContext, call: CallIR, name: string, expression: unknown): Obj {
  const hook: Obj = { ...callTarget(ctx, call, name) };
  const args = emitArguments(call.arguments);
  if (args) hook['arguments'] = args;
  if (expression !== undefined) hook['expression'] = typeof expression === 'string' ? expression : renderExprLang(expression as ConditionExpr);
  return hook;
}

/** Renders node fields: continueOn, onExit (a template name, or `hooks.exit` when it takes arguments), hooks. */
export function emitHooksAndExit(ctx: EmitContext, fields: Readonly<Obj>, owner: string): Obj {
  if (isEmptyObject(fields)) return {};
  const { onExit, hooks, ...rest } = fields as { onExit?: CallIR; hooks?: Readonly<Record<string, { call: CallIR; expression?: unknown }>> } & Obj;
  const out = renderData(rest) as Obj;
  const hookOut: Obj = {};
  for (const [k, h] of Object.entries(hooks ?? {})) hookOut[k] = emitHook(ctx, h.call, `${owner}-${k}`, h.expression);
  if (onExit) {
    if (onExit.arguments.parameters.length || onExit.arguments.artifacts.length || onExit.template.body.kind === 'ref') {
      hookOut['exit'] = emitHook(ctx, onExit, `${owner}-exit`, undefined);
    } else out['onExit'] = placeTemplate(ctx, onExit.template, onExit.template.name ?? `${owner}-exit`);
  }
  if (Object.keys(hookOut).length) out['hooks'] = hookOut;
  return out;
}

/**
 * `continueOnTask`: a task of the same DAG that sets continueOn. Argo judges depends per DAG (validateDAG):
 * once one task uses depends, no task may set continueOn, so such a DAG is written with dependencies.
 */
function emitNode(ctx: EmitContext, node: NodeIR, path: string, known: ReadonlySet<string>, earlier: ReadonlySet<string>, continueOnTask?: string): Obj {
  ctx.locations.set(path, node.source);
  const out: Obj = { name: node.name, ...callTarget(ctx, { template: node.template, arguments: node.arguments }, node.name, node.source) };
  const args = emitArguments(node.arguments);
  if (args) out['arguments'] = args;
  for (const d of node.template.diagnostics ?? []) {
    const k = node.arguments.parameters.findIndex((p) => p.name === d.path);
    const at = d.source ?? node.source.resolve();
    ctx.diagnostics.push(Object.freeze({ ...d, path: k >= 0 ? `${path}.arguments.parameters[${k}].value` : path, ...(at ? { source: at } : {}) }));
  }
  for (const t of node.inferred) {
    if (earlier.has(t)) continue;
    report(
      ctx,
      'ARG202',
      `${node.via === 'tasks' ? 'task' : 'step'} "${node.name}" reads the outputs of "${t}", which is not ${known.has(t) ? 'an earlier node' : 'a node'} of the same ${node.via === 'tasks' ? 'DAG' : 'steps template'}`,
      path,
      node.source,
      node.via === 'steps'
        ? 'a step can only read the outputs of steps in earlier groups: move it to a later step() call'
        : 'pass values of the same pipeline or DAG; use a workflow parameter to bring a value in from outside',
    );
  }
  if (node.via === 'tasks') {
    const inferred = node.inferred.length === 0 ? node.inferred : node.inferred.filter((t) => earlier.has(t));
    const fields = node.fields as { continueOn?: unknown };
    if (node.depends) {
      const mentioned = dependsTasks(node.depends);
      const extra = inferred.filter((t) => !mentioned.has(t)).map((t) => edge(node, t));
      const explicit = renderDepends(node.depends);
      const wrapped = node.depends.kind === 'any' ? `(${explicit})` : explicit;
      out['depends'] = extra.length ? [wrapped, ...extra].join(' && ') : explicit;
      if (fields.continueOn !== undefined) {
        report(ctx, 'ARG206', `task "${node.name}" sets both "depends" and "continueOn"; Argo rejects the pair`, path, node.source,
          'drop continueOn and test the results you accept instead, for example or(build.succeeded, build.failed)');
      } else if (continueOnTask !== undefined) {
        report(ctx, 'ARG206', `task "${node.name}" sets "depends" while task "${continueOnTask}" of the same DAG sets "continueOn"; Argo rejects continueOn anywhere in a DAG that uses depends`, path, node.source,
          `drop continueOn from "${continueOnTask}" and test the results you accept instead (or(${continueOnTask}.succeeded, ${continueOnTask}.failed)), or use after: [...] here`);
      }
    } else if (inferred.length) {
      if (continueOnTask !== undefined) out['dependencies'] = inferred;
      else out['depends'] = inferred.map((t) => edge(node, t)).join(' && ');
    }
  }
  if (node.when) out['when'] = renderCondition(node.when);
  if (node.loop) {
    if (node.loop.kind === 'items') out['withItems'] = renderData(node.loop.items);
    else if (node.loop.kind === 'param') out['withParam'] = renderText(node.loop.value);
    else out['withSequence'] = renderData(node.loop.sequence);
  }
  Object.assign(out, emitHooksAndExit(ctx, node.fields, node.name));
  return out;
}

/** The `depends` term for an inferred edge: `X.Succeeded` when the node reads X's outputs, `X` for `after`. */
function edge(node: NodeIR, task: string): string {
  return node.readsOutputsOf.includes(task) ? `${task}.Succeeded` : task;
}

function templatePath(ctx: EmitContext, index: number): string {
  return `${ctx.templatesPath}[${index}]`;
}

function emitBody(ctx: EmitContext, ir: TemplateIR, path: string): Obj {
  const body = ir.body;
  switch (body.kind) {
    case 'leaf': {
      const value = renderData(body.value) as Obj;
      if (body.key === 'resource' && typeof value['manifest'] === 'object' && value['manifest'] !== null) {
        value['manifest'] = toYaml(value['manifest']);
      }
      return { [body.key]: value };
    }
    case 'dag': {
      const names = new Set(body.tasks.map((t) => t.name));
      const earlier = new Set<string>();
      const tasks: Obj[] = [];
      const continueOnTask = body.tasks.find((t) => (t.fields as { continueOn?: unknown }).continueOn !== undefined)?.name;
      body.tasks.forEach((t, j) => {
        const p = `${path}.dag.tasks[${j}]`;
        if (earlier.has(t.name)) {
          report(ctx, 'ARG201', `DAG "${ir.name ?? ''}" has two tasks named "${t.name}"`, p, t.source, 'give every task of a DAG its own name');
        }
        tasks.push(emitNode(ctx, t, p, names, earlier, continueOnTask));
        earlier.add(t.name);
      });
      if (tasks.length === 0) {
        report(ctx, 'ARG210', `DAG "${ir.name ?? ''}" has no tasks`, path, ir.source, 'add at least one p.task(...)');
      }
      return { dag: { tasks, ...(renderData(body.fields) as Obj) } };
    }
    case 'steps': {
      const names = new Set(body.groups.flatMap((g) => g.map((s) => s.name)));
      const earlier = new Set<string>();
      const groups = body.groups.map((group, g) => {
        const seen = group.map((s, k) => {
          const p = `${path}.steps[${g}][${k}]`;
          if (earlier.has(s.name) || group.slice(0, k).some((o) => o.name === s.name)) {
            report(ctx, 'ARG201', `steps template "${ir.name ?? ''}" has two steps named "${s.name}"`, p, s.source, 'give every step its own name');
          }
          return emitNode(ctx, s, p, names, earlier);
        });
        for (const s of group) earlier.add(s.name);
        return seen;
      });
      if (groups.length === 0) {
        report(ctx, 'ARG210', `steps template "${ir.name ?? ''}" has no steps`, path, ir.source, 'add at least one s.step(...)');
      }
      return { steps: groups };
    }
    case 'ref':
      throw new TypeError('a templateRef is called, never emitted');
  }
}

/**
 * Places a template in the resource's `templates` list (once per name) and returns its name. Two different
 * templates under one name are reported (ARG203).
 */
export function placeTemplate(ctx: EmitContext, ir: TemplateIR, name: string, usedAt?: SourceRef): string {
  const source = usedAt ?? ir.source;
  const existing = ctx.byName.get(name);
  if (existing) {
    if (existing.ir !== ir) {
      const a = (existing.json ??= JSON.stringify(ctx.templates[existing.index]));
      const probe = emitTemplateObject({ ...ctx, byName: new Map(ctx.byName), templates: [...ctx.templates], locations: new Map(), diagnostics: [] }, ir, name, templatePath(ctx, existing.index), source);
      if (JSON.stringify(probe) !== a) {
        report(ctx, 'ARG203', `two different templates are named "${name}"`, templatePath(ctx, existing.index), source,
          `rename one of them (template.named('...')), or reuse the same template object`);
      }
    }
    return name;
  }
  const index = ctx.templates.length;
  ctx.byName.set(name, { ir, index, json: undefined });
  ctx.templates.push({});
  ctx.templates[index] = emitTemplateObject(ctx, ir, name, templatePath(ctx, index), source);
  return name;
}

function emitTemplateObject(ctx: EmitContext, ir: TemplateIR, name: string, path: string, source: SourceRef): Obj {
  ctx.locations.set(path, source);
  const out: Obj = { name };
  const inputs = emitInputs(ir);
  if (inputs) out['inputs'] = inputs;
  const outputs = emitOutputs(ir);
  if (outputs) out['outputs'] = outputs;
  Object.assign(out, emitBody(ctx, ir, path));
  Object.assign(out, renderData(ir.fields) as Obj);
  return out;
}
