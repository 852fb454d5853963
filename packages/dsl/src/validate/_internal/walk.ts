import { isObject, type JsonPath } from './json.js';

/** Calls `visit` for every string inside `value` (keys excluded), with its path. */
export function walkStrings(value: unknown, path: JsonPath, visit: (text: string, path: JsonPath) => void, skip: readonly string[] = []): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) visit(value, path);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkStrings(v, [...path, i], visit));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (skip.includes(key)) continue;
    walkStrings(v, [...path, key], visit);
  }
}

/** The `{{…}}` tags of a string, trimmed, each once, in order. */
export function tagsOf(text: string): string[] {
  const tags: string[] = [];
  for (const m of text.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const tag = (m[1] ?? '').trim();
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}
