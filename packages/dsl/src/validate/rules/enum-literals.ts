import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, isObject, objectAt, show, stringAt, type JsonObject, type JsonPath } from '../_internal/json.js';
import { resolveHolder } from '../_internal/resolve-holder.js';

/**
 * **beyond** Argo: literals checked against the enums they meet, so a typo that only `tsc` would catch (or
 * that JavaScript, a cast or hand-written YAML lets through) is not a condition that can never hold.
 * - ARG067: a literal argument for an input declared with `enum` (`severity: 'LOW'` where the enum is
 *   `['low', 'high']`) — Argo would fail the node at run time.
 * - ARG068: a `when` comparing another node's enum output parameter with a literal outside the enum
 *   (`'{{tasks.detect.outputs.parameters.kind}}' == 'cod'`) — the task would be skipped every time.
 */
export function enumLiterals(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const nodes: { node: JsonObject; path: JsonPath; label: string }[] = [];
  const dag = objectAt(template, 'dag');
  if (dag) {
    arrayAt(dag, 'tasks').forEach((t, i) => {
      if (isObject(t)) nodes.push({ node: t, path: [...path, 'dag', 'tasks', i], label: `task ${show(t['name'])}` });
    });
  }
  if (Array.isArray(template['steps'])) {
    arrayAt(template, 'steps').forEach((group, g) => {
      (Array.isArray(group) ? group : arrayAt(group, 'steps')).forEach((s, i) => {
        if (isObject(s)) nodes.push({ node: s, path: [...path, 'steps', g, i], label: `step ${show(s['name'])}` });
      });
    });
  }
  if (nodes.length === 0) return;
  const callees = new Map<string, JsonObject>();
  for (const { node } of nodes) {
    const name = stringAt(node, 'name');
    const resolved = resolveHolder(ctx, node);
    if (name !== undefined && resolved.status === 'found') callees.set(name, resolved.template);
  }
  for (const { node, path: p, label } of nodes) {
    const callee = callees.get(stringAt(node, 'name') ?? '');
    if (callee) checkArguments(ctx, node, callee, p, label);
    const when = stringAt(node, 'when');
    if (when !== undefined) checkWhen(ctx, when, callees, [...p, 'when'], label);
  }
}

function enumOf(parameters: readonly unknown[], name: string): readonly string[] | undefined {
  const declared = parameters.find((d) => isObject(d) && d['name'] === name);
  const values = isObject(declared) ? declared['enum'] : undefined;
  return Array.isArray(values) && values.length > 0 ? values.map(String) : undefined;
}

const list = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

function checkArguments(ctx: WorkflowContext, node: JsonObject, callee: JsonObject, p: JsonPath, label: string): void {
  const declared = arrayAt(objectAt(callee, 'inputs'), 'parameters');
  arrayAt(objectAt(node, 'arguments'), 'parameters').forEach((a, i) => {
    if (!isObject(a)) return;
    const value = a['value'];
    const name = stringAt(a, 'name');
    if (name === undefined || value === undefined || value === null || typeof value === 'object') return;
    const text = String(value);
    if (text.includes('{{')) return;
    const allowed = enumOf(declared, name);
    if (!allowed || allowed.includes(text)) return;
    ctx.reporter.report({
      code: 'ARG067',
      beyondArgo: true,
      path: [...p, 'arguments', 'parameters', i, 'value'],
      message: `${label}: argument "${name}" must be one of the enum ${list(allowed)} of template ${show(callee['name'])}, received ${JSON.stringify(text)}`,
      hint: `use one of ${list(allowed)} (enum values are case-sensitive)`,
    });
  });
}

// `'{{tasks.a.outputs.parameters.kind}}' == 'code'`, either side, quoted or bare (the DSL writes the quoted form).
const TAG = String.raw`'?\{\{\s*(tasks|steps)\.([A-Za-z0-9][-A-Za-z0-9]*)\.outputs\.parameters\.([-A-Za-z0-9_]+)\s*\}\}'?`;
const LITERAL = String.raw`('[^']*'|"[^"]*"|[A-Za-z0-9_.-]+)`;
const COMPARISONS = [
  new RegExp(`${TAG}\\s*(==|!=)\\s*${LITERAL}`, 'g'),
  new RegExp(`${LITERAL}\\s*(==|!=)\\s*${TAG}`, 'g'),
];

function checkWhen(ctx: WorkflowContext, when: string, callees: ReadonlyMap<string, JsonObject>, p: JsonPath, label: string): void {
  const reported = new Set<string>();
  COMPARISONS.forEach((re, form) => {
    for (const m of when.matchAll(re)) {
      const [node, output, op, raw] = form === 0 ? [m[2], m[3], m[4], m[5]] : [m[4], m[5], m[2], m[1]];
      if (!node || !output || !raw) continue;
      const literal = /^['"]/.test(raw) ? raw.slice(1, -1) : raw;
      if (literal.includes('{{')) continue;
      const callee = callees.get(node);
      const allowed = callee ? enumOf(arrayAt(objectAt(callee, 'outputs'), 'parameters'), output) : undefined;
      if (!allowed || allowed.includes(literal) || reported.has(`${node}.${output}=${literal}`)) continue;
      reported.add(`${node}.${output}=${literal}`);
      ctx.reporter.report({
        code: 'ARG068',
        beyondArgo: true,
        path: p,
        message: `${label}: when compares output "${output}" of "${node}" ${op} ${JSON.stringify(literal)}, but that output is one of ${list(allowed)}: the condition is ${op === '==' ? 'never' : 'always'} true`,
        hint: `compare with one of ${list(allowed)} (enum values are case-sensitive)`,
      });
    }
  });
}
