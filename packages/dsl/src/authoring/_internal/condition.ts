import { type ConditionExpr, expr } from '../../ir/expr.js';
import { Condition, type Conditional, Value } from '../value.js';

/** The expression of a `when` (a condition, or a boolean value meaning `== true`). */
export function conditionExpr(c: Conditional<unknown>): ConditionExpr {
  if (c instanceof Condition) return c.expr;
  if (c instanceof Value) return expr({ kind: 'truthy', value: c.expr });
  throw new TypeError('a condition must be built from typed values (`x.eq(...)`, `and(...)`) or be a boolean value');
}
