/**
 * The subset of gjson path syntax that Sensors use (https://github.com/tidwall/gjson/blob/master/SYNTAX.md):
 * dot-separated keys, `\` escapes (`labels.app\.kubernetes\.io/name`), `*` and `?` wildcards in keys (the
 * first matching key wins), array indices as keys (`commits.0.id`), `#` for an array's length and `#.key`
 * to collect a key over an array's elements. Queries (`#(...)`), modifiers (`@reverse`) and multipaths are
 * reported as unsupported rather than evaluated differently from Argo.
 */

export type GjsonResult =
  | { readonly exists: true; readonly value: unknown }
  | { readonly exists: false; readonly unsupported?: string };

export interface GjsonPathPart {
  readonly key: string;
  /** The part contains an unescaped `*` or `?`. */
  readonly wildcard: boolean;
}

/** Splits a gjson path into parts; returns a reason when the path uses syntax simulate does not support. */
export function parseGjsonPath(path: string): { parts: GjsonPathPart[] } | { unsupported: string } {
  const parts: GjsonPathPart[] = [];
  let key = '';
  let wildcard = false;
  for (let i = 0; i < path.length; i += 1) {
    const c = path[i] as string;
    if (c === '\\') {
      const next = path[i + 1];
      if (next !== undefined) key += next;
      i += 1;
      continue;
    }
    if (c === '.' || c === '|') {
      parts.push({ key, wildcard });
      key = '';
      wildcard = false;
      continue;
    }
    if (c === '*' || c === '?') wildcard = true;
    if (key === '' && (c === '@' || c === '!' || c === '[' || c === '{')) {
      return { unsupported: `gjson modifiers, literals and multipaths ("${path}") are not supported by simulate` };
    }
    if (c === '#' && path[i + 1] === '(') {
      return { unsupported: `gjson queries ("${path}") are not supported by simulate` };
    }
    key += c;
  }
  parts.push({ key, wildcard });
  return { parts };
}

const cache = new Map<string, { parts: GjsonPathPart[] } | { unsupported: string }>();
const wildcardCache = new Map<string, RegExp>();

function wildcardRegex(pattern: string): RegExp {
  let re = wildcardCache.get(pattern);
  if (!re) {
    const body = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, 's');
    wildcardCache.set(pattern, re);
  }
  return re;
}

function walk(document: unknown, parts: readonly GjsonPathPart[], from: number): GjsonResult {
  let value = document;
  for (let i = from; i < parts.length; i += 1) {
    const part = parts[i] as GjsonPathPart;
    if (Array.isArray(value)) {
      if (part.key === '#') {
        if (i === parts.length - 1) return { exists: true, value: value.length };
        const collected: unknown[] = [];
        for (const element of value) {
          const r = walk(element, parts, i + 1);
          if (r.exists) collected.push(r.value);
        }
        return { exists: true, value: collected };
      }
      if (!/^\d+$/.test(part.key)) return MISSING;
      const index = Number(part.key);
      if (index >= value.length) return MISSING;
      value = value[index];
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (part.wildcard) {
        const re = wildcardRegex(part.key);
        let found = false;
        for (const k in record) {
          if (Object.prototype.hasOwnProperty.call(record, k) && re.test(k)) {
            value = record[k];
            found = true;
            break;
          }
        }
        if (!found) return MISSING;
      } else {
        if (!Object.prototype.hasOwnProperty.call(record, part.key)) return MISSING;
        value = record[part.key];
      }
    } else return MISSING;
  }
  return { exists: true, value };
}

const MISSING: GjsonResult = Object.freeze({ exists: false });

/** Reads `path` from `document` with gjson semantics. */
export function gjsonGet(document: unknown, path: string): GjsonResult {
  let parsed = cache.get(path);
  if (!parsed) {
    parsed = parseGjsonPath(path);
    if (cache.size > 10_000) cache.clear();
    cache.set(path, parsed);
  }
  if ('unsupported' in parsed) return { exists: false, unsupported: parsed.unsupported };
  if (path === '') return { exists: false };
  return walk(document, parsed.parts, 0);
}
