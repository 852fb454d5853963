/**
 * JSONPath as github.com/oliveagle/jsonpath reads it (Argo Workflows' `jsonpath(json, path)` expression function):
 * `$`, `.key`, `['key']`, `[n]` (negative from the end), `[a,b]`, `[start:end]`, `[*]`, and filters
 * `[?(@.key)]`, `[?(@.key op value)]` with `== != < <= > >= =~`. Recursive descent (`..`) is not supported
 * upstream either.
 */
import { compileRe2 } from './re2.js';

export class JsonPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonPathError';
  }
}

type Step =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'indexes'; readonly indexes: readonly number[] }
  | { readonly kind: 'range'; readonly from: number | undefined; readonly to: number | undefined }
  | { readonly kind: 'all' }
  | { readonly kind: 'filter'; readonly path: readonly string[]; readonly op: string | undefined; readonly value: unknown };

function parse(path: string): Step[] {
  if (!path.startsWith('$')) throw new JsonPathError(`should start with '$': ${path}`);
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.') throw new JsonPathError(`recursive descent "..": not supported: ${path}`);
      const m = /^[^.[]+/.exec(path.slice(i + 1));
      if (!m) throw new JsonPathError(`expected a key after "." at ${i}: ${path}`);
      steps.push(m[0] === '*' ? { kind: 'all' } : { kind: 'key', key: m[0] });
      i += 1 + m[0].length;
    } else if (c === '[') {
      const close = findClose(path, i);
      const body = path.slice(i + 1, close).trim();
      steps.push(bracket(body, path));
      i = close + 1;
    } else throw new JsonPathError(`unexpected "${c}" at ${i}: ${path}`);
  }
  return steps;
}

function findClose(path: string, open: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let j = open; j < path.length; j += 1) {
    const c = path[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth += 1;
    else if (c === ']' || c === ')') {
      depth -= 1;
      if (depth === 0 && c === ']') return j;
    }
  }
  throw new JsonPathError(`unclosed "[": ${path}`);
}

function literal(text: string): unknown {
  const t = text.trim();
  if (/^'.*'$/.test(t) || /^".*"$/.test(t)) return t.slice(1, -1);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null') return null;
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  if (/^\/.*\/$/.test(t)) return t;
  throw new JsonPathError(`cannot read the value ${t}`);
}

function bracket(body: string, path: string): Step {
  if (body === '*' || body === ':') return { kind: 'all' };
  if (/^'.*'$/.test(body) || /^".*"$/.test(body)) return { kind: 'key', key: body.slice(1, -1) };
  if (body.startsWith('?(') && body.endsWith(')')) {
    const inner = body.slice(2, -1).trim();
    const m = /^@((?:\.[A-Za-z0-9_-]+)+)\s*(?:(==|!=|<=|>=|<|>|=~)\s*(.+))?$/.exec(inner);
    if (!m) throw new JsonPathError(`filter not supported: ${body} in ${path}`);
    return { kind: 'filter', path: (m[1] as string).slice(1).split('.'), op: m[2], value: m[3] === undefined ? undefined : literal(m[3]) };
  }
  if (/^-?\d*:-?\d*$/.test(body)) {
    const [a, b] = body.split(':') as [string, string];
    return { kind: 'range', from: a === '' ? undefined : Number(a), to: b === '' ? undefined : Number(b) };
  }
  if (/^-?\d+(\s*,\s*-?\d+)*$/.test(body)) return { kind: 'indexes', indexes: body.split(',').map((x) => Number(x.trim())) };
  throw new JsonPathError(`cannot read "[${body}]" in ${path}`);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  if (op === '=~') {
    const re = compileRe2(String(b).replace(/^\/|\/$/g, ''));
    if (!re.ok) throw new JsonPathError(re.error);
    return typeof a === 'string' && re.regex.test(a);
  }
  if (op === '==') return a === b;
  if (op === '!=') return a !== b;
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function index(list: readonly unknown[], i: number, path: string): unknown {
  const k = i < 0 ? list.length + i : i;
  if (k < 0 || k >= list.length) throw new JsonPathError(`index out of range: len: ${list.length}, idx: ${i} in ${path}`);
  return list[k];
}

/**
 * Looks `path` up in `document` (a value decoded from JSON). A missing key or an index out of range is an error,
 * as in oliveagle/jsonpath; a wildcard, range or filter gives a list.
 */
export function jsonPathLookup(document: unknown, path: string): unknown {
  let current: unknown = document;
  let multi = false;
  for (const step of parse(path)) {
    const apply = (value: unknown): unknown[] => {
      switch (step.kind) {
        case 'key':
          if (!isRecord(value) || !(step.key in value)) throw new JsonPathError(`key error: ${step.key} not found in object`);
          return [value[step.key]];
        case 'indexes':
          if (!Array.isArray(value)) throw new JsonPathError(`object is not Slice`);
          return step.indexes.map((i) => index(value, i, path));
        case 'range': {
          if (!Array.isArray(value)) throw new JsonPathError(`object is not Slice`);
          const from = step.from === undefined ? 0 : step.from < 0 ? value.length + step.from : step.from;
          const to = step.to === undefined ? value.length : step.to < 0 ? value.length + step.to : step.to;
          return value.slice(from, to);
        }
        case 'all':
          if (Array.isArray(value)) return [...value];
          if (isRecord(value)) return Object.keys(value).sort().map((k) => value[k]);
          throw new JsonPathError('object is not Slice');
        case 'filter': {
          if (!Array.isArray(value)) throw new JsonPathError('object is not Slice');
          return value.filter((item) => {
            let v: unknown = item;
            for (const k of step.path) {
              if (!isRecord(v) || !(k in v)) return false;
              v = v[k];
            }
            return step.op === undefined ? true : compare(step.op, v, step.value);
          });
        }
      }
    };
    if (multi) current = (current as unknown[]).flatMap(apply);
    else {
      const out = apply(current);
      if (step.kind === 'key' || (step.kind === 'indexes' && step.indexes.length === 1)) current = out[0];
      else {
        current = out;
        multi = true;
      }
    }
  }
  return current;
}
