/**
 * `{{tag}}` substitution as Argo's `util/template` does it (simple tags and `{{= … }}` expression tags), over
 * strings and over whole template objects (Argo substitutes the template's JSON text; substituting each string
 * of the structure gives the same result without JSON escaping concerns).
 */
import { evaluateExpressionTag } from './expression.js';
import type { Scope } from './scope.js';

/** The prefixes Argo's validator resolves (`workflow/validate/validate.go`, resolveAllVariables). */
const CHECKED_PREFIXES = ['item', 'steps.', 'inputs.', 'outputs.', 'pod.', 'workflow.', 'tasks.', 'node.', 'retries', 'lastRetry.'];

export class UnresolvedVariableError extends Error {
  override readonly name = 'UnresolvedVariableError';
  constructor(
    readonly tag: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SubstituteOptions {
  /** Leave tags the scope cannot resolve as they are (Argo's first passes); otherwise they fail. */
  readonly allowUnresolved: boolean;
}

const TAG = /\{\{(.*?)\}\}/gs;

/** Substitutes every tag in `text`. Throws {@link UnresolvedVariableError} when a tag cannot be resolved. */
export function substituteString(text: string, scope: Scope, options: SubstituteOptions): string {
  if (!text.includes('{{')) return text;
  return text.replace(TAG, (whole, inner: string) => {
    const tag = inner.trim();
    if (tag.startsWith('=')) {
      try {
        return evaluateExpressionTag(inner.replace(/^\s*=/, ''), scope);
      } catch (error) {
        if (options.allowUnresolved) return whole;
        throw new UnresolvedVariableError(whole, `failed to evaluate expression ${whole}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const value = scope.get(tag);
    if (value !== undefined) return value;
    if (options.allowUnresolved || !CHECKED_PREFIXES.some((p) => tag === p || tag.startsWith(p))) return whole;
    throw new UnresolvedVariableError(whole, `failed to resolve ${whole}`);
  });
}

/** Substitutes every string in a JSON-like value (keys are left alone). */
export function substituteDeep<T>(value: T, scope: Scope, options: SubstituteOptions): T {
  if (typeof value === 'string') return substituteString(value, scope, options) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => substituteDeep(v, scope, options)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteDeep(v, scope, options);
    return out as T;
  }
  return value;
}

/** The first tag with a checked prefix left in a value, if any (a leaf must not run with one). */
export function findUnresolved(value: unknown): string | undefined {
  if (typeof value === 'string') {
    for (const m of value.matchAll(TAG)) {
      const tag = (m[1] ?? '').trim();
      if (tag.startsWith('=') || CHECKED_PREFIXES.some((p) => tag === p || tag.startsWith(p))) return m[0];
    }
    return undefined;
  }
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findUnresolved(v);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) {
      const found = findUnresolved(v);
      if (found) return found;
    }
  }
  return undefined;
}
