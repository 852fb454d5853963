/**
 * The one place expressions become Argo syntax: `{{…}}` references in text, govaluate `when` conditions,
 * and `depends` expressions.
 */
import { type ConditionExpr, type DependsExpr, type Expr, type RefExpr, type TextExpr, isExpr } from '../ir/expr.js';

/** The variable a reference names, without braces: `tasks.build.outputs.parameters.digest`. */
export function variableOf(ref: RefExpr): string {
  switch (ref.kind) {
    case 'workflow-param':
      return `workflow.parameters.${ref.name}`;
    case 'input':
      return `inputs.${ref.artifact ? 'artifacts' : 'parameters'}.${ref.name}`;
    case 'node-output':
      // Argo names the exit code on the node (`tasks.X.exitCode`), the result under outputs.
      if (ref.what === 'exitCode') return `${ref.via}.${ref.node}.exitCode`;
      return ref.what === 'parameters' || ref.what === 'artifacts'
        ? `${ref.via}.${ref.node}.outputs.${ref.what}.${ref.name}`
        : `${ref.via}.${ref.node}.outputs.${ref.what}`;
    case 'item':
      return ['item', ...ref.path].join('.');
    case 'variable':
      return ref.name;
  }
}

/** Text with `{{…}}` references. */
export function renderText(e: TextExpr): string {
  switch (e.kind) {
    case 'literal':
      return String(e.value);
    case 'concat':
      return e.parts.map(renderText).join('');
    default:
      return `{{${variableOf(e)}}}`;
  }
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function operand(e: TextExpr, quoted: boolean): string {
  return quoted ? quote(renderText(e)) : renderText(e);
}

function conditionPart(e: ConditionExpr, parent: 'all' | 'any' | 'not'): string {
  const s = renderCondition(e);
  if (e.kind === 'compare' || e.kind === 'truthy' || e.kind === 'not') return parent === 'not' ? `(${s})` : s;
  return e.kind === parent ? s : `(${s})`;
}

/** A `when` condition (govaluate, after Argo substitutes the `{{…}}` references). */
export function renderCondition(e: ConditionExpr): string {
  switch (e.kind) {
    case 'compare':
      return `${operand(e.left, e.quoted)} ${e.op} ${operand(e.right, e.quoted)}`;
    case 'truthy':
      return `${operand(e.value, false)} == true`;
    case 'all':
      return e.items.map((i) => conditionPart(i, 'all')).join(' && ');
    case 'any':
      return e.items.map((i) => conditionPart(i, 'any')).join(' || ');
    case 'not':
      return `!${conditionPart(e.item, 'not')}`;
  }
}

function dependsPart(e: DependsExpr, parent: 'all' | 'any' | 'not'): string {
  const s = renderDepends(e);
  if (e.kind === 'result') return s;
  if (e.kind === 'not') return parent === 'not' ? `(${s})` : s;
  return e.kind === parent ? s : `(${s})`;
}

/** A `depends` expression: `build && (test.Succeeded || test.Skipped) && !lint.Failed`. */
export function renderDepends(e: DependsExpr): string {
  switch (e.kind) {
    case 'result':
      return e.result ? `${e.task}.${e.result}` : e.task;
    case 'all':
      return e.items.map((i) => dependsPart(i, 'all')).join(' && ');
    case 'any':
      return e.items.map((i) => dependsPart(i, 'any')).join(' || ');
    case 'not':
      return `!${dependsPart(e.item, 'not')}`;
  }
}

function exprPath(ref: RefExpr): string {
  const v = variableOf(ref);
  // expr-lang reads dotted names; a segment that is not an identifier is indexed instead: tasks["build-1"].
  return v
    .split('.')
    .map((seg, i) => (i === 0 ? seg : /^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
    .join('');
}

function exprOperand(e: TextExpr, numeric: boolean): string {
  if (e.kind === 'literal') return typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
  if (e.kind === 'concat') return `(${e.parts.map((p) => exprOperand(p, false)).join(' + ')})`;
  return numeric ? `asFloat(${exprPath(e)})` : exprPath(e);
}

function exprLangPart(e: ConditionExpr, parent: 'all' | 'any' | 'not'): string {
  const s = renderExprLang(e);
  if (e.kind === 'compare' || e.kind === 'truthy' || e.kind === 'not') return parent === 'not' ? `(${s})` : s;
  return e.kind === parent ? s : `(${s})`;
}

/**
 * A condition in Argo's expression language (expr-lang), as lifecycle hooks and `{{= … }}` read it:
 * `workflow.status == "Failed"`, `asFloat(tasks.count.outputs.parameters.n) > 2`.
 */
export function renderExprLang(e: ConditionExpr): string {
  switch (e.kind) {
    case 'compare': {
      const numeric = !e.quoted && (e.op !== '==' && e.op !== '!=' ? true : e.right.kind === 'literal' && typeof e.right.value === 'number');
      const right = e.right.kind === 'literal' && typeof e.right.value === 'boolean' ? JSON.stringify(String(e.right.value)) : exprOperand(e.right, numeric);
      return `${exprOperand(e.left, numeric)} ${e.op} ${right}`;
    }
    case 'truthy':
      return `${exprOperand(e.value, false)} == "true"`;
    case 'all':
      return e.items.map((i) => exprLangPart(i, 'all')).join(' && ');
    case 'any':
      return e.items.map((i) => exprLangPart(i, 'any')).join(' || ');
    case 'not':
      return `!${exprLangPart(e.item, 'not')}`;
  }
}

/** Any expression, as the string Argo reads where it appears. */
export function renderExpr(e: Expr): string {
  switch (e.kind) {
    case 'compare':
    case 'truthy':
      return renderCondition(e);
    case 'result':
      return renderDepends(e);
    case 'all':
    case 'any':
    case 'not': {
      const first = e.kind === 'not' ? e.item : e.items[0];
      return first && (first as Expr).kind === 'result' ? renderDepends(e as DependsExpr) : renderCondition(e as ConditionExpr);
    }
    default:
      return renderText(e);
  }
}

/** Plain IR data with every expression node rendered (the result is mutable, unfrozen JSON data). */
export function renderData(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isExpr(value)) return renderExpr(value);
  if (Array.isArray(value)) return value.map(renderData);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = renderData(v);
  }
  return out;
}
