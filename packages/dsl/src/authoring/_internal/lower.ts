import { type Expr, isExpr } from '../../ir/expr.js';
import { Condition, Depends, Value } from '../value.js';

/** Things that lower themselves (templates → their IR). */
export interface Lowerable {
  lower(): unknown;
}

function isLowerable(v: object): v is Lowerable {
  return typeof (v as Partial<Lowerable>).lower === 'function';
}

/**
 * Copies user data into frozen IR: typed values become expression nodes, templates their IR; `undefined`
 * properties are dropped. Everything else is copied as plain data.
 */
export function lower(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Value || value instanceof Condition || value instanceof Depends) return value.expr as Expr;
  if (isExpr(value)) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(lower));
  if (isLowerable(value)) return value.lower();
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = lower(v);
  }
  return Object.freeze(out);
}

/** Lowers a record of fields (dropping `undefined` ones). */
export function lowerData(value: object | undefined): Readonly<Record<string, unknown>> {
  return value === undefined ? Object.freeze({}) : (lower(value) as Readonly<Record<string, unknown>>);
}
