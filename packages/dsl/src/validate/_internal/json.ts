/** Small readers over untyped JSON: Argo objects arrive as plain data. */
export type JsonObject = Readonly<Record<string, unknown>>;
export type JsonPath = readonly (string | number)[];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, key: string): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const v = value[key];
  return isObject(v) ? v : undefined;
}

export function arrayAt(value: unknown, key: string): readonly unknown[] {
  if (!isObject(value)) return [];
  const v = value[key];
  return Array.isArray(v) ? v : [];
}

export function stringAt(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return undefined;
  const v = value[key];
  return typeof v === 'string' ? v : undefined;
}

export function has(value: unknown, key: string): boolean {
  return isObject(value) && value[key] !== undefined && value[key] !== null;
}

/** `spec.templates[2].dag.tasks[0].depends` */
export function renderPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Quotes a received value for a message: strings in double quotes, the rest as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}
