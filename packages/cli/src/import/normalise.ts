/**
 * Normalisation for comparing Argo documents: what Argo itself does not distinguish. Keys in one order;
 * `templates` and DAG `tasks` by name (both are looked up by name, their order means nothing); parameter
 * values, defaults and enums as text (Argo reads them as strings, so `3` and `"3"` are one value).
 */
import { isRecord } from './source-text.js';

const byName = (a: unknown, b: unknown): number => {
  const x = isRecord(a) ? String(a['name']) : '';
  const y = isRecord(b) ? String(b['name']) : '';
  return x < y ? -1 : x > y ? 1 : 0;
};

function text(v: unknown): unknown {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v;
}

function walk(v: unknown, parentKey: string, grandKey: string): unknown {
  if (Array.isArray(v)) {
    let items = v.map((x) => walk(x, '', parentKey));
    if (parentKey === 'templates' || (parentKey === 'tasks' && grandKey === 'dag')) items = [...items].sort(byName);
    if (parentKey === 'parameters') {
      items = items.map((p) => (isRecord(p) ? { ...p, ...('value' in p ? { value: text(p['value']) } : {}), ...('default' in p ? { default: text(p['default']) } : {}), ...(Array.isArray(p['enum']) ? { enum: p['enum'].map(text) } : {}) } : p));
    }
    return items;
  }
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = walk(v[k], k, parentKey);
    if (isRecord(out['valueFrom']) && 'default' in out['valueFrom']) out['valueFrom'] = { ...out['valueFrom'], default: text(out['valueFrom']['default']) };
    return out;
  }
  return v;
}

/** The normal form of a parsed Argo document, for equality after a round trip. */
export function normaliseDocument(doc: unknown): unknown {
  return walk(doc, '', '');
}

/** Paths (`spec.templates[2].dag`) where two normalised documents differ, at most `limit`. */
export function differingPaths(a: unknown, b: unknown, path = '', out: string[] = [], limit = 8): string[] {
  if (out.length >= limit) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (isRecord(a) && isRecord(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differingPaths(a[k], b[k], path ? `${path}.${k}` : k, out, limit);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => differingPaths(x, b[i], `${path}[${i}]`, out, limit));
  } else out.push(path || '(document)');
  return out;
}
