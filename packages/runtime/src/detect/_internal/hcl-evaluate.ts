/**
 * Evaluates HCL expressions (see `hcl-expression.ts`) the way hashicorp/hcl's `hclsyntax` does, over plain
 * values: strings, numbers, booleans, null, lists and objects. A template that is one interpolation and
 * nothing else gives its value unconverted (`"${LIST}"` is the list, `"${NULL_VAR}"` is null); anything else
 * is concatenated as text, and a null, list or object inside text is an error, as in HCL. Whatever cannot be
 * evaluated — an unknown variable or function, a wrong type — throws `HclEvalError`; nothing is ever
 * guessed or read as empty.
 */
import { HclSyntaxError, SPLAT_ITEM, parseTemplate } from './hcl-expression.js';
import type { HclNode } from './hcl-expression.js';

export type HclValue = string | number | boolean | null | readonly HclValue[] | { readonly [key: string]: HclValue };

export class HclEvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HclEvalError';
  }
}

/** A function: its arguments already evaluated. */
export type HclFunction = (args: readonly HclValue[]) => HclValue;

export interface HclContext {
  /** The value of a name in scope; `undefined` when nothing of that name is in scope. */
  readonly variable: (name: string) => HclValue | undefined;
  /** Names in scope, for the "did you mean" in an error. */
  readonly names: () => readonly string[];
  readonly fn: (name: string) => HclFunction | undefined;
}

export const isList = (v: HclValue | undefined): v is readonly HclValue[] => Array.isArray(v);
export const isMap = (v: HclValue | undefined): v is { readonly [key: string]: HclValue } => typeof v === 'object' && v !== null && !Array.isArray(v);

export function typeName(v: HclValue | undefined): string {
  if (v === null || v === undefined) return 'null';
  if (isList(v)) return 'a list';
  if (isMap(v)) return 'an object';
  return `a ${typeof v}`;
}

/** HCL's conversion to string: numbers and booleans convert, null and collections do not. */
export function asString(v: HclValue, what: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  throw new HclEvalError(`${what} must be a string, received ${typeTextOf(v)}`);
}

function typeTextOf(v: HclValue): string {
  return v === null ? 'null' : typeName(v);
}

export function asNumber(v: HclValue, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new HclEvalError(`${what} must be a number, received ${v === null ? 'null' : typeof v === 'string' ? `"${v}"` : typeName(v)}`);
}

export function asBool(v: HclValue, what: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new HclEvalError(`${what} must be true or false, received ${v === null ? 'null' : typeof v === 'string' ? `"${v}"` : typeName(v)}`);
}

/** Numbers print as cty does: integers without a fraction, others in their shortest form. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? BigInt(n).toString() : String(n);
}

export function equal(a: HclValue, b: HclValue): boolean {
  if (isList(a) && isList(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i] ?? null));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && equal(a[k] ?? null, b[k] ?? null));
  }
  if (typeof a === 'number' && typeof b === 'string') return formatNumber(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === formatNumber(b);
  return a === b;
}

function describeNode(n: HclNode): string {
  switch (n.k) {
    case 'var':
      return n.name;
    case 'attr':
      return `${describeNode(n.of)}.${n.name}`;
    case 'index':
      return `${describeNode(n.of)}[...]`;
    case 'call':
      return `${n.name}(...)`;
    default:
      return 'the value';
  }
}

function closest(name: string, names: readonly string[]): string | undefined {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0] ?? 0;
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = d[j] ?? 0;
        d[j] = Math.min((d[j] ?? 0) + 1, (d[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return d[b.length] ?? Infinity;
  };
  const best = [...names].sort((x, y) => dist(name, x) - dist(name, y))[0];
  return best !== undefined && dist(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function scoped(ctx: HclContext, locals: ReadonlyMap<string, HclValue>): HclContext {
  return {
    variable: (name) => (locals.has(name) ? locals.get(name) : ctx.variable(name)),
    names: () => [...locals.keys(), ...ctx.names()],
    fn: ctx.fn,
  };
}

function arithmetic(op: string, l: HclValue, r: HclValue): HclValue {
  const a = asNumber(l, `the left side of "${op}"`);
  const b = asNumber(r, `the right side of "${op}"`);
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new HclEvalError('division by zero');
      return a / b;
    case '%':
      if (b === 0) throw new HclEvalError('modulo by zero');
      return a % b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

export function evaluate(node: HclNode, ctx: HclContext): HclValue {
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'tpl': {
      const only = node.parts.length === 1 ? node.parts[0] : undefined;
      if (only !== undefined && typeof only !== 'string') return evaluate(only, ctx);
      let out = '';
      for (const part of node.parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const v = evaluate(part, ctx);
        if (v === null) throw new HclEvalError(`${describeNode(part)} is null, and a null value cannot be part of a string (use it alone, or give it a value)`);
        if (isList(v) || isMap(v)) throw new HclEvalError(`${describeNode(part)} is ${typeName(v)}, which cannot be part of a string (join it first: join(",", ...))`);
        out += asString(v, describeNode(part));
      }
      return out;
    }
    case 'var': {
      const v = ctx.variable(node.name);
      if (v === undefined) {
        if (node.name === SPLAT_ITEM) throw new HclEvalError('a splat step outside a splat');
        const near = closest(node.name, ctx.names());
        throw new HclEvalError(`unknown variable "${node.name}"${near ? ` (did you mean "${near}"?)` : ''}; declare it with variable "${node.name}" { default = ... }`);
      }
      return v;
    }
    case 'attr': {
      const of = evaluate(node.of, ctx);
      if (!isMap(of)) throw new HclEvalError(`${describeNode(node.of)} is ${typeName(of)}, so it has no attribute "${node.name}"`);
      const v = of[node.name];
      if (v === undefined || !Object.hasOwn(of, node.name)) {
        throw new HclEvalError(`${describeNode(node.of)} has no attribute "${node.name}"; it has: ${Object.keys(of).map((k) => `"${k}"`).join(', ') || '(none)'}`);
      }
      return v;
    }
    case 'index': {
      const of = evaluate(node.of, ctx);
      const key = evaluate(node.key, ctx);
      if (isList(of)) {
        const i = asNumber(key, 'a list index');
        if (!Number.isInteger(i) || i < 0 || i >= of.length) throw new HclEvalError(`index ${formatNumber(i)} is out of range for ${describeNode(node.of)}, which has ${of.length} element(s)`);
        return of[i] ?? null;
      }
      if (isMap(of)) {
        const k = asString(key, 'an object key');
        if (!Object.hasOwn(of, k)) throw new HclEvalError(`${describeNode(node.of)} has no element "${k}"`);
        return of[k] ?? null;
      }
      throw new HclEvalError(`${describeNode(node.of)} is ${typeName(of)}, which cannot be indexed`);
    }
    case 'splat': {
      const of = evaluate(node.of, ctx);
      if (of === null) return [];
      const list = isList(of) ? of : [of];
      return list.map((item) => evaluate(node.each, scoped(ctx, new Map([[SPLAT_ITEM, item]]))));
    }
    case 'tuple':
      return node.items.map((i) => evaluate(i, ctx));
    case 'object': {
      const out: Record<string, HclValue> = {};
      for (const [k, v] of node.entries) out[asString(evaluate(k, ctx), 'an object key')] = evaluate(v, ctx);
      return out;
    }
    case 'call':
      return call(node, ctx);
    case 'unary': {
      const x = evaluate(node.x, ctx);
      return node.op === '!' ? !asBool(x, 'the operand of "!"') : -asNumber(x, 'the operand of "-"');
    }
    case 'binary': {
      if (node.op === '&&' || node.op === '||') {
        const l = asBool(evaluate(node.l, ctx), `the left side of "${node.op}"`);
        const r = asBool(evaluate(node.r, ctx), `the right side of "${node.op}"`);
        return node.op === '&&' ? l && r : l || r;
      }
      const l = evaluate(node.l, ctx);
      const r = evaluate(node.r, ctx);
      if (node.op === '==') return equal(l, r);
      if (node.op === '!=') return !equal(l, r);
      return arithmetic(node.op, l, r);
    }
    case 'cond':
      return asBool(evaluate(node.c, ctx), 'the condition of "? :"') ? evaluate(node.t, ctx) : evaluate(node.f, ctx);
    case 'for':
      return forExpression(node, ctx);
  }
}

function forExpression(node: Extract<HclNode, { k: 'for' }>, ctx: HclContext): HclValue {
  const coll = evaluate(node.coll, ctx);
  let pairs: [HclValue, HclValue][];
  if (isList(coll)) pairs = coll.map((v, i) => [i, v]);
  else if (isMap(coll)) pairs = Object.keys(coll).sort().map((k) => [k, coll[k] ?? null]);
  else throw new HclEvalError(`a for expression needs a list or an object to iterate, received ${typeName(coll)}`);
  const list: HclValue[] = [];
  const obj: Record<string, HclValue> = {};
  const groups: Record<string, HclValue[]> = {};
  for (const [k, v] of pairs) {
    const locals = new Map<string, HclValue>([[node.value, v]]);
    if (node.key !== undefined) locals.set(node.key, k);
    const inner = scoped(ctx, locals);
    if (node.cond && !asBool(evaluate(node.cond, inner), 'the "if" of a for expression')) continue;
    const value = evaluate(node.valueExpr, inner);
    if (!node.object || !node.keyExpr) {
      list.push(value);
      continue;
    }
    const key = asString(evaluate(node.keyExpr, inner), 'a for expression key');
    if (node.group) (groups[key] ??= []).push(value);
    else if (Object.hasOwn(obj, key)) throw new HclEvalError(`the for expression gives the key "${key}" twice; add "..." after the value to group them`);
    else obj[key] = value;
  }
  return node.object ? (node.group ? groups : obj) : list;
}

function call(node: Extract<HclNode, { k: 'call' }>, ctx: HclContext): HclValue {
  if (node.name === 'try' || node.name === 'can') {
    // Special forms (hcl ext/tryfunc): their arguments are evaluated one by one, errors caught.
    for (const arg of node.args) {
      try {
        const v = evaluate(arg, ctx);
        if (node.name === 'can') return true;
        return v;
      } catch (e) {
        if (!(e instanceof HclEvalError)) throw e;
        if (node.name === 'can') return false;
      }
    }
    if (node.name === 'can') throw new HclEvalError('can() takes one argument');
    throw new HclEvalError(`no argument of try() could be evaluated (${node.args.length} tried)`);
  }
  const fn = ctx.fn(node.name);
  if (!fn) throw new HclEvalError(`unknown function "${node.name}"`);
  let args = node.args.map((a) => evaluate(a, ctx));
  if (node.expand) {
    const last = args[args.length - 1];
    if (!isList(last)) throw new HclEvalError(`the "..." after the last argument of ${node.name}() needs a list, received ${typeName(last)}`);
    args = [...args.slice(0, -1), ...last];
  }
  try {
    return fn(args);
  } catch (e) {
    if (e instanceof HclEvalError) throw new HclEvalError(`${node.name}(): ${e.message}`);
    throw e;
  }
}

/**
 * A value as hcl2json gives it (literal JSON whose strings are HCL templates), evaluated: every string
 * read as a template, lists and objects element by element (object keys are templates too).
 */
export function evaluateJsonValue(value: unknown, ctx: HclContext): HclValue {
  if (typeof value === 'string') {
    try {
      return evaluate(parseTemplate(value), ctx);
    } catch (e) {
      if (e instanceof HclSyntaxError) throw new HclEvalError(`${e.message} in ${JSON.stringify(value)}`);
      throw e;
    }
  }
  if (Array.isArray(value)) return value.map((v) => evaluateJsonValue(v, ctx));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, HclValue> = {};
    for (const [k, v] of Object.entries(value)) out[asString(evaluateJsonValue(k, ctx), 'an object key')] = evaluateJsonValue(v, ctx);
    return out;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  throw new HclEvalError(`unexpected ${typeof value} value`);
}
