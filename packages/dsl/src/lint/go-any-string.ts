/**
 * Argo's parameter `value`, `default` and `enum` items are `AnyString` in Go: its `UnmarshalJSON` accepts a
 * JSON number or boolean and keeps its text (`value: 3` is the string "3"; `value: true` is "true"). Reading
 * YAML as Argo does, those become strings before the schema (which says string) sees them.
 */
export function anyStringsAsText(value: unknown): unknown {
  return walk(value, false);
}

const text = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? JSON.stringify(v) : v);

function walk(value: unknown, inParameters: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, inParameters));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (inParameters && (key === 'value' || key === 'default')) out[key] = text(v);
    else if (inParameters && key === 'enum' && Array.isArray(v)) out[key] = v.map(text);
    else if (inParameters && key === 'valueFrom' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const from = { ...(v as Record<string, unknown>) };
      if ('default' in from) from['default'] = text(from['default']);
      out[key] = walk(from, false);
    } else out[key] = walk(v, key === 'parameters' && Array.isArray(v));
  }
  return out;
}
