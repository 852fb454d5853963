import { isObject, type JsonPath } from './json.js';

/**
 * Calls `visit` for every string inside `value` that contains `{{` (keys excluded), with its path. The path
 * is built only for strings that are visited (this runs over every field of every template).
 */
export function walkStrings(value: unknown, path: JsonPath, visit: (text: string, path: JsonPath) => void, skip: readonly string[] = []): void {
  const trail: (string | number)[] = [...path];
  const go = (v: unknown, top: boolean): void => {
    if (typeof v === 'string') {
      if (v.includes('{{')) visit(v, [...trail]);
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i += 1) {
        trail.push(i);
        go(v[i], false);
        trail.pop();
      }
      return;
    }
    if (!isObject(v)) return;
    for (const key in v) {
      if (top && skip.includes(key)) continue;
      trail.push(key);
      go(v[key], false);
      trail.pop();
    }
  };
  go(value, true);
}

/** The `{{…}}` tags of a string, trimmed, each once, in order. */
export function tagsOf(text: string): string[] {
  const open = text.indexOf('{{');
  if (open >= 0 && text.indexOf('{{', open + 2) < 0) {
    const close = text.indexOf('}}', open + 2);
    return close < 0 ? [] : [text.slice(open + 2, close).trim()];
  }
  const tags: string[] = [];
  for (const m of text.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const tag = (m[1] ?? '').trim();
    if (!tags.includes(tag)) tags.push(tag);
  }
  return tags;
}
