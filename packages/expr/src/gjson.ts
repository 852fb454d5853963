/**
 * gjson paths (https://github.com/tidwall/gjson/blob/master/SYNTAX.md), which Argo Events' data filters, expr
 * filter fields and trigger parameters (`dataKey`) read, over parsed JSON values:
 * - keys separated by `.` or `|`, `\` escapes (`labels.app\.kubernetes\.io/name`), `*` and `?` wildcards in
 *   keys (the first matching key wins), array indices as keys (`commits.0.id`);
 * - `#` for an array's length, `#.key` to collect a key over an array's elements;
 * - queries: `#(last=="Murphy")` (first match) and `#(age>45)#` (all matches), with `==` (or `=`), `!=`, `<`,
 *   `<=`, `>`, `>=`, `%` (like: `*` and `?` wildcards) and `!%`; `#(%"*a*")` over scalar elements; a path
 *   without an operator matches when it exists; nested queries (`#(nets.#(=="fb"))#`);
 * - dot against pipe after `#` and `#(…)#`: `.rest` applies `rest` to each element, `|rest` to the result;
 * - modifiers: `@reverse`, `@this`, `@valid`, `@ugly`, `@pretty`, `@flatten` (`{"deep":true}`), `@join`,
 *   `@keys`, `@values`, `@tostr`, `@fromstr`; an unknown `@name` is a key, as in gjson; `@group` and `@dig`
 *   are reported as unsupported;
 * - multipaths: `[a,b]` (an array of what exists) and `{a,"k":b}` (an object keyed by each path's last key,
 *   or the given key, `_` when none), and literals `!true`, `!false`, `!null`, `!42`, `!"text"`.
 * What simulate cannot evaluate faithfully is reported (`unsupported`) rather than evaluated differently.
 */

export type GjsonResult =
  | { readonly exists: true; readonly value: unknown }
  | { readonly exists: false; readonly unsupported?: string };

type Sep = '.' | '|' | '';
type QueryOp = '' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '%' | '!%';

/** One component of a parsed gjson path, with the separator that precedes it. */
export type GjsonPathPart =
  | { readonly kind: 'key'; readonly key: string; readonly wildcard: boolean; readonly sep: Sep }
  | { readonly kind: 'count'; readonly sep: Sep }
  | { readonly kind: 'query'; readonly left: GjsonPath; readonly op: QueryOp; readonly right: string; readonly all: boolean; readonly sep: Sep }
  | { readonly kind: 'modifier'; readonly name: string; readonly arg: unknown; readonly sep: Sep }
  | { readonly kind: 'multi'; readonly object: boolean; readonly members: readonly { readonly key: string | undefined; readonly path: GjsonPath }[]; readonly sep: Sep }
  | { readonly kind: 'literal'; readonly value: unknown; readonly sep: Sep };

export interface GjsonPath {
  readonly parts: readonly GjsonPathPart[];
}

const MODIFIERS = new Set(['reverse', 'this', 'valid', 'ugly', 'pretty', 'flatten', 'join', 'keys', 'values', 'tostr', 'fromstr']);
const UNSUPPORTED_MODIFIERS = new Set(['group', 'dig']);

class Unsupported extends Error {}

/** The index just after the bracket that closes the one at `open`, skipping strings. */
function closing(path: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [pairs[path[open] as string] as string];
  for (let i = open + 1; i < path.length; i += 1) {
    const c = path[i] as string;
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (c === '"') {
      for (i += 1; i < path.length && path[i] !== '"'; i += 1) if (path[i] === '\\') i += 1;
      continue;
    }
    if (c in pairs) stack.push(pairs[c] as string);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Unsupported(`unbalanced "${path[open]}" in "${path}"`);
}

/** Splits on top-level commas (outside strings and brackets). */
function splitTop(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '\\') i += 1;
    else if (c === '"') for (i += 1; i < text.length && text[i] !== '"'; i += 1) { if (text[i] === '\\') i += 1; }
    else if (c === '(' || c === '[' || c === '{') i = closing(text, i) - 1;
    else if (c === ',') {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** A JSON literal at the start of `text` (for `!literal` and modifier arguments); its value and length. */
function jsonPrefix(text: string): { value: unknown; length: number } | undefined {
  const m = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text);
  if (m) return { value: JSON.parse(m[0]) as unknown, length: m[0].length };
  if (text[0] === '"') {
    for (let i = 1; i < text.length; i += 1) {
      if (text[i] === '\\') i += 1;
      else if (text[i] === '"') return { value: JSON.parse(text.slice(0, i + 1)) as unknown, length: i + 1 };
    }
    return undefined;
  }
  if (text[0] === '{' || text[0] === '[') {
    const end = closing(text, 0);
    return { value: JSON.parse(text.slice(0, end)) as unknown, length: end };
  }
  return undefined;
}

function parseQuery(body: string): { left: GjsonPath; op: QueryOp; right: string } {
  // The operator is the first one outside strings and nested brackets.
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i] as string;
    if (c === '\\') {
      i += 1;
      continue;
    }
    if (c === '"') throw new Unsupported(`a quoted key in the query "#(${body})"`);
    if (c === '(' || c === '[' || c === '{') {
      i = closing(body, i) - 1;
      continue;
    }
    const two = body.slice(i, i + 2);
    let op: QueryOp | undefined;
    let width = 0;
    if (two === '==' || two === '!=' || two === '<=' || two === '>=' || two === '!%') [op, width] = [two, 2];
    else if (c === '=') [op, width] = ['==', 1];
    else if (c === '<' || c === '>' || c === '%') [op, width] = [c, 1];
    if (op !== undefined) {
      const leftText = body.slice(0, i).trim();
      return { left: leftText === '' ? { parts: [] } : parsePath(leftText), op, right: body.slice(i + width).trim() };
    }
  }
  return { left: parsePath(body.trim()), op: '', right: '' };
}

function parsePath(path: string): GjsonPath {
  const parts: GjsonPathPart[] = [];
  let i = 0;
  let sep: Sep = '';
  while (i <= path.length) {
    const c = path[i];
    if (c === undefined) {
      if (sep !== '' || parts.length === 0) parts.push({ kind: 'key', key: '', wildcard: false, sep });
      break;
    }
    let part: GjsonPathPart;
    if (c === '[' || c === '{') {
      const end = closing(path, i);
      const members = splitTop(path.slice(i + 1, end - 1)).map((member) => {
        if (c === '{' && member.startsWith('"')) {
          const key = jsonPrefix(member);
          const rest = key ? member.slice(key.length).trimStart() : '';
          if (key && typeof key.value === 'string' && rest.startsWith(':')) return { key: key.value, path: parsePath(rest.slice(1).trim()) };
        }
        return { key: undefined, path: parsePath(member) };
      });
      part = { kind: 'multi', object: c === '{', members, sep };
      i = end;
    } else if (c === '!' && parts.length === 0) {
      const literal = jsonPrefix(path.slice(i + 1));
      if (!literal) throw new Unsupported(`the literal "${path.slice(i)}" is not JSON`);
      part = { kind: 'literal', value: literal.value, sep };
      i += 1 + literal.length;
    } else if (c === '#' && path[i + 1] === '(') {
      const end = closing(path, i + 1);
      const all = path[end] === '#';
      part = { kind: 'query', ...parseQuery(path.slice(i + 2, end - 1)), all, sep };
      i = end + (all ? 1 : 0);
    } else if (c === '#' && (path[i + 1] === undefined || path[i + 1] === '.' || path[i + 1] === '|')) {
      part = { kind: 'count', sep };
      i += 1;
    } else if (c === '@' && /^@[A-Za-z]/.test(path.slice(i))) {
      const name = /^@([A-Za-z0-9_]+)/.exec(path.slice(i))?.[1] as string;
      if (UNSUPPORTED_MODIFIERS.has(name)) throw new Unsupported(`the gjson modifier "@${name}" is not supported by simulate`);
      if (MODIFIERS.has(name)) {
        i += 1 + name.length;
        let arg: unknown;
        if (path[i] === ':') {
          const parsed = jsonPrefix(path.slice(i + 1));
          if (parsed) {
            arg = parsed.value;
            i += 1 + parsed.length;
          } else {
            let j = i + 1;
            while (j < path.length && path[j] !== '.' && path[j] !== '|') j += 1;
            arg = path.slice(i + 1, j);
            i = j;
          }
        }
        part = { kind: 'modifier', name, arg, sep };
      } else part = keyPart();
    } else part = keyPart();
    parts.push(part);
    const next = path[i];
    if (next === '.' || next === '|') {
      sep = next;
      i += 1;
    } else if (next === undefined) break;
    else throw new Unsupported(`unexpected "${next}" at ${i} in "${path}"`);
  }
  return { parts };

  function keyPart(): GjsonPathPart {
    let key = '';
    let wildcard = false;
    while (i < path.length && path[i] !== '.' && path[i] !== '|') {
      const ch = path[i] as string;
      if (ch === '\\') {
        const escaped = path[i + 1];
        if (escaped !== undefined) key += escaped;
        i += 2;
        continue;
      }
      if (ch === '*' || ch === '?') wildcard = true;
      key += ch;
      i += 1;
    }
    return { kind: 'key', key, wildcard, sep };
  }
}

/** Parses a gjson path; returns a reason when it uses syntax simulate does not support or cannot read. */
export function parseGjsonPath(path: string): { path: GjsonPath } | { unsupported: string } {
  try {
    return { path: parsePath(path) };
  } catch (error) {
    if (error instanceof Unsupported || error instanceof SyntaxError) return { unsupported: error.message };
    throw error;
  }
}

const cache = new Map<string, { path: GjsonPath } | { unsupported: string }>();
const wildcardCache = new Map<string, RegExp>();

/** gjson's match.Match: `*` any run, `?` any one character, `\` escapes; the whole string must match. */
function wildcardRegex(pattern: string): RegExp {
  let re = wildcardCache.get(pattern);
  if (!re) {
    let body = '';
    for (let i = 0; i < pattern.length; i += 1) {
      const c = pattern[i] as string;
      if (c === '\\' && i + 1 < pattern.length) {
        i += 1;
        body += (pattern[i] as string).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      } else body += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
    re = new RegExp(`^${body}$`, 's');
    if (wildcardCache.size > 10_000) wildcardCache.clear();
    wildcardCache.set(pattern, re);
  }
  return re;
}

const MISSING: GjsonResult = Object.freeze({ exists: false });
const found = (value: unknown): GjsonResult => ({ exists: true, value });

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** gjson's queryMatches: the element's value at the query's path against the right-hand side. */
function queryMatches(element: unknown, part: Extract<GjsonPathPart, { kind: 'query' }>): boolean {
  const r = part.left.parts.length === 0 ? found(element) : walk(element, part.left.parts, 0);
  if (!r.exists) return false;
  if (part.op === '') return true;
  let rpv = part.right;
  if (rpv.startsWith('"')) {
    const literal = jsonPrefix(rpv);
    rpv = literal && typeof literal.value === 'string' ? literal.value : rpv.slice(1);
  }
  const value = r.value;
  if (typeof value === 'string') {
    switch (part.op) {
      case '==':
        return value === rpv;
      case '!=':
        return value !== rpv;
      case '<':
        return value < rpv;
      case '<=':
        return value <= rpv;
      case '>':
        return value > rpv;
      case '>=':
        return value >= rpv;
      case '%':
        return wildcardRegex(rpv).test(value);
      case '!%':
        return !wildcardRegex(rpv).test(value);
    }
  }
  if (typeof value === 'number') {
    const rpn = Number.parseFloat(rpv);
    const n = Number.isNaN(rpn) ? 0 : rpn;
    switch (part.op) {
      case '==':
        return value === n;
      case '!=':
        return value !== n;
      case '<':
        return value < n;
      case '<=':
        return value <= n;
      case '>':
        return value > n;
      case '>=':
        return value >= n;
      default:
        return false;
    }
  }
  if (value === true) {
    if (part.op === '==') return rpv === 'true';
    if (part.op === '!=') return rpv !== 'true';
    if (part.op === '>') return rpv === 'false';
    if (part.op === '>=') return true;
    return false;
  }
  if (value === false) {
    if (part.op === '==') return rpv === 'false';
    if (part.op === '!=') return rpv !== 'false';
    if (part.op === '<') return rpv === 'true';
    if (part.op === '<=') return true;
    return false;
  }
  return false;
}

function lastKeyName(path: GjsonPath): string {
  const last = path.parts[path.parts.length - 1];
  return last?.kind === 'key' && !last.wildcard && last.key !== '' ? last.key : '_';
}

function flatten(values: readonly unknown[], deep: boolean): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) out.push(...(deep ? flatten(v, true) : v));
    else out.push(v);
  }
  return out;
}

function applyModifier(value: unknown, part: Extract<GjsonPathPart, { kind: 'modifier' }>): GjsonResult {
  switch (part.name) {
    case 'this':
    case 'valid':
    case 'ugly':
    case 'pretty':
      return found(value);
    case 'reverse':
      if (Array.isArray(value)) return found([...value].reverse());
      if (isRecord(value)) return found(Object.fromEntries(Object.entries(value).reverse()));
      return found(value);
    case 'flatten':
      return Array.isArray(value) ? found(flatten(value, isRecord(part.arg) && part.arg['deep'] === true)) : found(value);
    case 'join': {
      if (!Array.isArray(value)) return found(value);
      const joined: Record<string, unknown> = {};
      for (const element of value) if (isRecord(element)) Object.assign(joined, element);
      return found(joined);
    }
    case 'keys':
      if (isRecord(value)) return found(Object.keys(value));
      return Array.isArray(value) ? found([]) : MISSING;
    case 'values':
      if (isRecord(value)) return found(Object.values(value));
      return Array.isArray(value) ? found(value) : MISSING;
    case 'tostr':
      return found(JSON.stringify(value));
    case 'fromstr':
      if (typeof value !== 'string') return MISSING;
      try {
        return found(JSON.parse(value) as unknown);
      } catch {
        return MISSING;
      }
    default:
      return MISSING;
  }
}

function walk(document: unknown, parts: readonly GjsonPathPart[], from: number): GjsonResult {
  let value = document;
  for (let i = from; i < parts.length; i += 1) {
    const part = parts[i] as GjsonPathPart;
    const next = parts[i + 1];
    switch (part.kind) {
      case 'literal':
        value = part.value;
        continue;
      case 'modifier': {
        const r = applyModifier(value, part);
        if (!r.exists) return r;
        value = r.value;
        continue;
      }
      case 'multi': {
        if (part.object) {
          const out: Record<string, unknown> = {};
          for (const m of part.members) {
            const r = walk(value, m.path.parts, 0);
            if (r.exists) out[m.key ?? lastKeyName(m.path)] = r.value;
          }
          value = out;
        } else {
          const out: unknown[] = [];
          for (const m of part.members) {
            const r = walk(value, m.path.parts, 0);
            if (r.exists) out.push(r.value);
          }
          value = out;
        }
        continue;
      }
      case 'count':
        if (!Array.isArray(value)) {
          if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, '#')) {
            value = value['#'];
            continue;
          }
          return MISSING;
        }
        if (next === undefined) return found(value.length);
        if (next.sep === '|') {
          value = value.length;
          continue;
        }
        return found(collect(value, parts, i + 1));
      case 'query': {
        if (!Array.isArray(value)) return MISSING;
        if (part.all) {
          const matches = value.filter((element) => queryMatches(element, part));
          if (next !== undefined && next.sep === '.') return found(collect(matches, parts, i + 1));
          value = matches;
          continue;
        }
        const match = value.find((element) => queryMatches(element, part));
        if (match === undefined) return MISSING;
        value = match;
        continue;
      }
      case 'key': {
        if (Array.isArray(value)) {
          if (!/^\d+$/.test(part.key)) return MISSING;
          const index = Number(part.key);
          if (index >= value.length) return MISSING;
          value = value[index];
        } else if (isRecord(value)) {
          if (part.wildcard) {
            const re = wildcardRegex(part.key);
            let hit = false;
            for (const k in value) {
              if (Object.prototype.hasOwnProperty.call(value, k) && re.test(k)) {
                value = value[k];
                hit = true;
                break;
              }
            }
            if (!hit) return MISSING;
          } else {
            if (!Object.prototype.hasOwnProperty.call(value, part.key)) return MISSING;
            value = value[part.key];
          }
        } else return MISSING;
        continue;
      }
    }
  }
  return found(value);
}

/** `.rest` after `#` or `#(…)#`: `rest` applied to each element; what does not exist is left out. */
function collect(elements: readonly unknown[], parts: readonly GjsonPathPart[], from: number): unknown[] {
  const out: unknown[] = [];
  for (const element of elements) {
    const r = walk(element, parts, from);
    if (r.exists) out.push(r.value);
  }
  return out;
}

/** Reads `path` from `document` with gjson semantics. */
export function gjsonGet(document: unknown, path: string): GjsonResult {
  if (path === '') return MISSING;
  let parsed = cache.get(path);
  if (!parsed) {
    parsed = parseGjsonPath(path);
    if (cache.size > 10_000) cache.clear();
    cache.set(path, parsed);
  }
  if ('unsupported' in parsed) return { exists: false, unsupported: parsed.unsupported };
  return walk(document, parsed.path.parts, 0);
}
