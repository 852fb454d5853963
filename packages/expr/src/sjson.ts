/**
 * The subset of sjson (https://github.com/tidwall/sjson) that trigger parameters use for `dest`: dot-separated
 * keys with `\` escapes, array indices, and `-1` to append to an array. Missing parents are created: an array
 * when the next key is an index or `-1`, an object otherwise.
 */

export function parseSjsonPath(path: string): string[] | { invalid: string } {
  if (path === '') return { invalid: 'the path is empty' };
  const parts: string[] = [];
  let key = '';
  for (let i = 0; i < path.length; i += 1) {
    const c = path[i] as string;
    if (c === '\\') {
      const next = path[i + 1];
      if (next === undefined) return { invalid: 'the path ends with a lone "\\"' };
      key += next;
      i += 1;
    } else if (c === '.') {
      if (key === '') return { invalid: `the path "${path}" has an empty key` };
      parts.push(key);
      key = '';
    } else if (c === '*' || c === '?' || c === '#' || c === '|') {
      return { invalid: `"${c}" is not allowed in an sjson path ("${path}")` };
    } else key += c;
  }
  if (key === '') return { invalid: `the path "${path}" has an empty key` };
  parts.push(key);
  return parts;
}

const isIndex = (key: string): boolean => /^(?:-1|\d+)$/.test(key);

function setIn(container: unknown, parts: readonly string[], value: unknown): unknown {
  const [head, ...rest] = parts;
  if (head === undefined) return value;
  if (Array.isArray(container) && isIndex(head)) {
    const copy = [...container];
    const index = head === '-1' ? copy.length : Number(head);
    while (copy.length < index) copy.push(null);
    copy[index] = setIn(copy[index], rest, value);
    return copy;
  }
  if (container !== null && typeof container === 'object' && !Array.isArray(container)) {
    const record = container as Record<string, unknown>;
    return { ...record, [head]: setIn(record[head], rest, value) };
  }
  if (isIndex(head)) {
    const index = head === '-1' ? 0 : Number(head);
    const fresh: unknown[] = Array.from({ length: index }, () => null);
    fresh[index] = setIn(undefined, rest, value);
    return fresh;
  }
  return { [head]: setIn(undefined, rest, value) };
}

/** Returns a copy of `document` with `value` set at `path` (throws on an invalid path). */
export function sjsonSet(document: unknown, path: string, value: unknown): unknown {
  const parts = parseSjsonPath(path);
  if (!Array.isArray(parts)) throw new Error(parts.invalid);
  return setIn(document, parts, value);
}
