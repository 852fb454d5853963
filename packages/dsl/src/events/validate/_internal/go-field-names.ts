/** A field written in another case than the API's, as Go's `encoding/json` reads it. */
export interface RenamedField {
  /** Path of the field as written. */
  readonly path: readonly (string | number)[];
  readonly written: string;
  readonly field: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Go's `encoding/json` matches a JSON key to a struct field case-insensitively when no field has the exact
 * name (Argo Events reads `openwhisk` as `openWhisk`, `Log` as `log`). Walks `value` beside the JSON `schema`
 * and returns a copy where each such key carries the API's spelling, with the list of renamed keys (callers
 * warn: the manifest works, but says something else).
 */
export function withGoFieldNames(schema: unknown, value: unknown): { value: unknown; renamed: RenamedField[] } {
  const renamed: RenamedField[] = [];
  const walk = (s: unknown, v: unknown, path: readonly (string | number)[]): unknown => {
    if (!isObject(s)) return v;
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((item, i) => {
        const next = walk(s['items'], item, [...path, i]);
        if (next !== item) changed = true;
        return next;
      });
      return changed ? out : v;
    }
    if (!isObject(v)) return v;
    const properties = isObject(s['properties']) ? s['properties'] : {};
    const known = Object.keys(properties);
    let changed = false;
    const out: Json = {};
    for (const [key, child] of Object.entries(v)) {
      let name = key;
      if (!(key in properties)) {
        const match = known.find((k) => k.toLowerCase() === key.toLowerCase());
        if (match !== undefined && !(match in v)) {
          name = match;
          renamed.push({ path: [...path, key], written: key, field: match });
          changed = true;
        }
      }
      const childSchema = name in properties ? properties[name] : s['additionalProperties'];
      const next = walk(childSchema, child, [...path, name]);
      if (next !== child) changed = true;
      out[name] = next;
    }
    return changed ? out : v;
  };
  return { value: walk(schema, value, []), renamed };
}
