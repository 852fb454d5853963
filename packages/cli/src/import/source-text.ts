/** TypeScript source text for JSON values, names and identifiers (shared by the module generators). */

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A single-quoted TypeScript string literal. */
export function str(value: string): string {
  return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function key(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k);
}

/** A property access: `.name` or `['a-b']`. */
export function prop(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${str(k)}]`;
}

/** `name` first, then the other keys alphabetically: the same order whatever order the YAML had (a fixed point). */
function byKey([a]: [string, unknown], [b]: [string, unknown]): number {
  return a === b ? 0 : a === 'name' ? -1 : b === 'name' ? 1 : a < b ? -1 : 1;
}

/**
 * A TypeScript literal for a JSON value (keys quoted only where needed, in a canonical order). `leaf` may
 * replace a string by code (a typed value); it returns undefined to keep the string.
 */
export function literal(value: unknown, leaf?: (s: string) => string | undefined): string {
  if (Array.isArray(value)) return list(value.map((v) => literal(v, leaf)));
  if (isRecord(value)) return object(Object.entries(value).sort(byKey).map(([k, v]) => `${key(k)}: ${literal(v, leaf)}`));

  if (typeof value === 'string') return (leaf ? leaf(value) : undefined) ?? str(value);
  return JSON.stringify(value ?? null);
}

const reserved = new Set(['default', 'new', 'delete', 'function', 'class', 'const', 'let', 'var', 'return', 'import', 'export', 'switch', 'case', 'for', 'while', 'do', 'if', 'else', 'in', 'of', 'this', 'void', 'with', 'yield', 'try', 'catch', 'finally', 'throw', 'typeof', 'instanceof', 'enum', 'super', 'extends', 'break', 'continue', 'debugger', 'null', 'true', 'false', 'await', 'async', 'interface', 'package', 'private', 'protected', 'public', 'static', 'implements', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity', 'Object', 'String', 'Number', 'Boolean', 'JSON', 'Array']);

/** A camelCase identifier for a name, unique among `taken` (which also holds the imported builder names). */
export function identifier(name: string, taken: Set<string>, suffix = ''): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((p) => p !== '');
  let id = parts.map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1))).join('') || 'value';
  if (/^\d/.test(id)) id = `t${id}`;
  id += suffix;
  let unique = id;
  for (let n = 2; taken.has(unique) || reserved.has(unique); n++) unique = `${id}${n}`;
  taken.add(unique);
  return unique;
}

/** An object literal from its entries: on one line when short, one entry a line otherwise. */
export function object(entries: readonly string[]): string {
  if (entries.length === 0) return '{}';
  const line = `{ ${entries.join(', ')} }`;
  return line.length <= 100 && !line.includes('\n') ? line : `{\n${entries.join(',\n')},\n}`;
}

/** An array literal: on one line when short, one element a line otherwise. */
export function list(items: readonly string[]): string {
  const line = `[${items.join(', ')}]`;
  return line.length <= 100 && !line.includes('\n') ? line : `[\n${items.join(',\n')},\n]`;
}
