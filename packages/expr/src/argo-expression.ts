/**
 * Argo Workflows' expression environment and evaluation (`util/expr/env/env.go`, `util/template/
 * expression_template.go`, `github.com/argoproj/pkg/expr`): the flat variables of a node (`inputs.parameters.x`,
 * `tasks.build.outputs.result`, …) are expanded into nested maps, so an expression reads `inputs.parameters.x`
 * or `inputs.parameters['my-param']`; a key that is also the prefix of another is dropped (the more specific
 * wins); the functions `asInt`, `asFloat`, `string`, `jsonpath`, `toJson` and the `sprig` map are added (sprig
 * without `env` and `expandenv`); expr-lang's own `string` builtin is replaced by Argo's.
 */
import { ExprLangError, evaluateExprLang, formatGoValue, fromGoJson, goJsonOf, parseExprLang } from './expr-lang.js';
import { sprigFunction } from './go-template.js';
import { jsonPathLookup } from './jsonpath.js';

const toGoNumber = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

function asInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') {
    if (!/^[+-]?\d+$/.test(value)) throw new ExprLangError(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
    return BigInt(value);
  }
  throw new ExprLangError(`asInt() not supported on ${value === null ? '<nil>' : typeof value} ${formatGoValue(value)}`);
}

function asFloat(value: unknown): number {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const n = Number(value);
    if (value.trim() === '' || value.trim() !== value || Number.isNaN(n)) throw new ExprLangError(`strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`);
    return n;
  }
  throw new ExprLangError(`asFloat() not supported on ${value === null ? '<nil>' : typeof value} ${formatGoValue(value)}`);
}

function sprigMap(): Record<string, unknown> {
  return new Proxy<Record<string, unknown>>(
    {},
    {
      get: (_target, name) => {
        if (typeof name !== 'string' || name === 'env' || name === 'expandenv') return undefined;
        const fn = sprigFunction(name);
        return fn ? (...args: unknown[]) => fn(...args.map(toGoNumber)) : undefined;
      },
      has: (_target, name) => typeof name === 'string' && name !== 'env' && name !== 'expandenv' && sprigFunction(name) !== undefined,
      getOwnPropertyDescriptor: (_target, name) =>
        typeof name === 'string' && sprigFunction(name) && name !== 'env' && name !== 'expandenv'
          ? { configurable: true, enumerable: true, writable: false, value: sprigFunction(name) }
          : undefined,
    },
  );
}

/** The functions Argo adds to every expression's environment. */
export const ARGO_EXPRESSION_FUNCTIONS: Readonly<Record<string, unknown>> = Object.freeze({
  asInt,
  asFloat,
  string: (value: unknown) => formatGoValue(value),
  jsonpath: (json: unknown, path: unknown) => {
    if (typeof json !== 'string' || typeof path !== 'string') throw new ExprLangError('jsonpath(json, path) takes two strings');
    return jsonPathLookup(fromGoJson(json), path);
  },
  toJson: (value: unknown) => goJsonOf(value),
  sprig: sprigMap(),
});

/**
 * The environment an expression sees: `variables` (flat, as Argo keeps them: `inputs.parameters.x` → value)
 * expanded into nested maps, plus Argo's functions.
 */
export function argoExpressionEnv(variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const keys = Object.keys(variables).sort();
  const env: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i] as string;
    const next = keys[i + 1];
    if (next !== undefined && `${next}.`.startsWith(key) && next.startsWith(`${key}.`)) continue; // a parent with a child
    const parts = key.split('.');
    let target: Record<string, unknown> = env;
    let ok = true;
    for (const part of parts.slice(0, -1)) {
      const existing = target[part];
      if (existing === undefined) target = target[part] = {};
      else if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) target = existing as Record<string, unknown>;
      else {
        ok = false;
        break;
      }
    }
    if (ok) target[parts[parts.length - 1] as string] = variables[key];
  }
  return { ...env, ...ARGO_EXPRESSION_FUNCTIONS };
}

/**
 * Evaluates the text of an expression tag (what stands between `{{=` and `}}`) as Argo does: the text is first
 * read as the inside of a JSON string (Argo substitutes in the template's JSON form, so `\"` is a quote), then
 * compiled and run; a `nil` result is an error; the value is printed with Go's `%v`.
 */
export function evaluateArgoExpression(text: string, env: Readonly<Record<string, unknown>>): string {
  let source: string;
  try {
    source = JSON.parse(`"${text}"`) as string;
  } catch {
    source = text;
  }
  const result = evaluateExprLang(parseExprLang(source), env);
  if (result === null || result === undefined) throw new ExprLangError(`failed to evaluate expression ${JSON.stringify(text)}: the result is nil`);
  return formatGoValue(result);
}
