/**
 * The one place `{{= … }}` expressions are evaluated (expr-lang with Argo's environment, from @argots/expr):
 * tags, `retryStrategy.expression`, hook expressions and `valueFrom.expression` all come through here.
 */
import { argoExpressionEnv, evaluateArgoExpression, evaluateExprLang, parseExprLang } from '@argots/expr';
import type { Scope } from './scope.js';

/** The text of a `{{= … }}` tag, evaluated and printed as Go's `%v` prints it. Throws on any error. */
export function evaluateExpressionTag(text: string, scope: Scope): string {
  return evaluateArgoExpression(text, argoExpressionEnv(scope.flat()));
}

/** An expression evaluated to a boolean (hooks, retry expressions): true only for `true`. */
export function evaluateExpressionBool(text: string, scope: Scope): boolean {
  const source = text.trim().replace(/^\{\{=?/, '').replace(/\}\}$/, '');
  return evaluateExprLang(parseExprLang(source), argoExpressionEnv(scope.flat())) === true;
}
