import {
  type CompareOp,
  type ConditionExpr,
  type DependsExpr,
  type LiteralExpr,
  type ScalarType,
  type TextExpr,
  expr,
} from '../ir/expr.js';
import { DiagnosticError } from '../diagnostic.js';
import { renderText } from '../emit/render.js';

declare const valueType: unique symbol;
declare const valueScope: unique symbol;
declare const conditionScope: unique symbol;
declare const dependsScope: unique symbol;

/** A literal an argument or comparison accepts directly. */
export type Literal = string | number | boolean;

/**
 * A typed value known only when the workflow runs: a workflow parameter, a template input, a task output,
 * a loop item. `T` is what it holds; `S` is the scope it belongs to (a pipeline, a DAG, a steps template),
 * so a value of one pipeline cannot be used in another.
 *
 * @example
 * const kind = detect.outputs.kind;            // Value<'code' | 'config' | 'none', S>
 * p.task('build', build, { when: kind.eq('code') });
 */
export class Value<T, S = never> {
  declare readonly [valueType]?: T;
  declare readonly [valueScope]?: S;
  /** The expression this value renders from. */
  readonly expr: TextExpr;
  /** How Argo conditions compare it: numbers and booleans bare, the rest as quoted text. */
  readonly type: ScalarType;

  constructor(e: TextExpr, type: ScalarType) {
    this.expr = e;
    this.type = type;
    Object.freeze(this);
  }

  /** `value == other` as a `when` condition. @example `kind.eq('code')` */
  eq(other: T | Value<T, S>): Condition<S> {
    return compare(this, '==', other);
  }
  /** `value != other`. @example `kind.ne('none')` */
  ne(other: T | Value<T, S>): Condition<S> {
    return compare(this, '!=', other);
  }
  /** `value < other` (numbers). @example `count.lt(3)` */
  lt(this: Value<number, S>, other: number | Value<number, S>): Condition<S> {
    return compare(this, '<', other);
  }
  /** `value <= other` (numbers). */
  le(this: Value<number, S>, other: number | Value<number, S>): Condition<S> {
    return compare(this, '<=', other);
  }
  /** `value > other` (numbers). */
  gt(this: Value<number, S>, other: number | Value<number, S>): Condition<S> {
    return compare(this, '>', other);
  }
  /** `value >= other` (numbers). */
  ge(this: Value<number, S>, other: number | Value<number, S>): Condition<S> {
    return compare(this, '>=', other);
  }

  /**
   * A value has no text until the workflow runs: in a JavaScript template literal (`` `--ctx=${v}` ``) or with
   * `+` it would become "[object Object]" in the YAML. Throws instead, pointing at {@link text}.
   */
  toString(): never {
    throw valueAsString(this);
  }
  /** See {@link Value.toString}. */
  [Symbol.toPrimitive](): never {
    throw valueAsString(this);
  }
}

function valueAsString(v: Value<unknown, unknown>): DiagnosticError {
  return new DiagnosticError([
    {
      code: 'ARG212',
      severity: 'error',
      message: `the typed value ${renderText(v.expr)} was turned into a JavaScript string (a template literal or +), which would write "[object Object]" into the YAML`,
      path: '',
      hint: "write text`--ctx=${value}` (text from '@argots/dsl') instead of a JavaScript template literal: it renders {{…}} and adds the dependency edge",
    },
  ]);
}

/**
 * A `when` condition: built from typed values with `.eq()`, `.ne()`, comparisons and `and`/`or`/`not`,
 * rendered to Argo's govaluate syntax in one place.
 */
export class Condition<S = never> {
  declare readonly [conditionScope]?: S;
  readonly expr: ConditionExpr;
  constructor(e: ConditionExpr) {
    this.expr = e;
    Object.freeze(this);
  }
  /** Both hold. @example `a.eq('x').and(b.ne('y'))` */
  and(...others: readonly Conditional<S>[]): Condition<S> {
    return and(this, ...others);
  }
  /** Either holds. */
  or(...others: readonly Conditional<S>[]): Condition<S> {
    return or(this, ...others);
  }
  /** The opposite. */
  not(): Condition<S> {
    return not(this);
  }
}

/** What `when` accepts: a condition, or a boolean value. */
export type Conditional<S> = Condition<S> | Value<boolean, S>;

/**
 * A `depends` expression over task results: `build.succeeded`, `and(test.succeeded, not(lint.failed))`.
 */
export class Depends<S = never> {
  declare readonly [dependsScope]?: S;
  readonly expr: DependsExpr;
  constructor(e: DependsExpr) {
    this.expr = e;
    Object.freeze(this);
  }
  /** Both hold. */
  and(...others: readonly Depends<S>[]): Depends<S> {
    return and(this, ...others);
  }
  /** Either holds. */
  or(...others: readonly Depends<S>[]): Depends<S> {
    return or(this, ...others);
  }
  /** The opposite. */
  not(): Depends<S> {
    return not(this);
  }
}

function literalType(v: Literal): ScalarType {
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
}

/** A literal as an expression node. */
export function literal(v: Literal): LiteralExpr {
  return expr<LiteralExpr>({ kind: 'literal', value: v });
}

function toText(v: unknown): { e: TextExpr; type: ScalarType } {
  if (v instanceof Value) return { e: v.expr, type: v.type };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
    return { e: literal(v), type: literalType(v) };
  }
  throw new TypeError(`expected a string, number, boolean or typed value, received ${typeof v}`);
}

function compare<S>(left: Value<unknown, S>, op: CompareOp, right: unknown): Condition<S> {
  const r = toText(right);
  const numeric = left.type === 'number' || left.type === 'boolean' || op === '<' || op === '<=' || op === '>' || op === '>=';
  return new Condition<S>(expr({ kind: 'compare', op, left: left.expr, right: r.e, quoted: !numeric }));
}

function conditionOf<S>(c: Conditional<S>): ConditionExpr {
  if (c instanceof Condition) return c.expr;
  if (c instanceof Value) return expr({ kind: 'truthy', value: c.expr });
  throw new TypeError('expected a condition or a boolean value');
}

/**
 * All of the conditions (or `depends` expressions) hold.
 * @example and(change.outputs.kind.eq('code'), p.param('deploy', param.boolean()))
 */
export function and<S>(...items: readonly Conditional<S>[]): Condition<S>;
export function and<S>(...items: readonly Depends<S>[]): Depends<S>;
export function and<S>(...items: readonly (Conditional<S> | Depends<S>)[]): Condition<S> | Depends<S> {
  return combine('all', items);
}

/**
 * Any of the conditions (or `depends` expressions) holds.
 * @example or(build.failed, test.failed)
 */
export function or<S>(...items: readonly Conditional<S>[]): Condition<S>;
export function or<S>(...items: readonly Depends<S>[]): Depends<S>;
export function or<S>(...items: readonly (Conditional<S> | Depends<S>)[]): Condition<S> | Depends<S> {
  return combine('any', items);
}

function combine<S>(kind: 'all' | 'any', items: readonly (Conditional<S> | Depends<S>)[]): Condition<S> | Depends<S> {
  if (items.length === 0) throw new TypeError(`${kind === 'all' ? 'and' : 'or'}() needs at least one operand`);
  if (items.every((i) => i instanceof Depends)) {
    const list = (items as readonly Depends<S>[]).map((i) => i.expr);
    return new Depends<S>(list.length === 1 ? (list[0] as DependsExpr) : expr({ kind, items: list }));
  }
  if (items.some((i) => i instanceof Depends)) {
    throw new TypeError('and()/or() cannot mix `depends` results with `when` conditions');
  }
  const list = (items as readonly Conditional<S>[]).map(conditionOf);
  return new Condition<S>(list.length === 1 ? (list[0] as ConditionExpr) : expr({ kind, items: list }));
}

/**
 * The opposite of a condition (or `depends` expression).
 * @example not(lint.failed)
 */
export function not<S>(item: Conditional<S>): Condition<S>;
export function not<S>(item: Depends<S>): Depends<S>;
export function not<S>(item: Conditional<S> | Depends<S>): Condition<S> | Depends<S> {
  if (item instanceof Depends) return new Depends<S>(expr({ kind: 'not', item: item.expr }));
  return new Condition<S>(expr({ kind: 'not', item: conditionOf(item) }));
}

/**
 * Text with typed values inside, rendered as one Argo string.
 * @example text`registry.acme.io/shop:${p.param('tag', param.string())}`
 */
export function text<S = never>(strings: TemplateStringsArray, ...values: readonly (Literal | Value<unknown, S>)[]): Value<string, S> {
  const parts: TextExpr[] = [];
  strings.forEach((s, i) => {
    if (s !== '') parts.push(literal(s));
    if (i < values.length) parts.push(toText(values[i]).e);
  });
  return new Value<string, S>(expr({ kind: 'concat', parts }), 'string');
}

/**
 * The scope brand of a pipeline, DAG or steps template: values and task handles made inside carry it, so
 * they type-check only where they can be rendered. Named after the builder's name (a string literal).
 */
export interface ScopeBrand<K extends 'pipeline' | 'dag' | 'steps', N extends string> {
  readonly scope: K;
  readonly name: N;
}

/** Text an argument or container field accepts: a literal or a typed value of the scope. */
export type Text<S = never> = string | Value<unknown, S>;
