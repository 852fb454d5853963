/**
 * Two pipelines that share one GitHub connection each bring the EventSource it describes. When the two differ
 * only in what they listen to — the `events` of one GitHub webhook (`push` here, `pull_request` there), or
 * different webhooks (one per repository) — they are one EventSource listening to the union: that is what
 * each pipeline asked for, and Sensors filter by event type anyway. Anything else (a different URL, secret,
 * GitHub App, port for one webhook, namespace, event bus…) is a real conflict: the reason says which field.
 */

type Obj = Readonly<Record<string, unknown>>;

/** The merged EventSource, or why the two cannot be merged (`spec.github.acme-shop.webhook.url differs: …`). */
export type EventSourceMerge = { readonly merged: Obj } | { readonly conflict: string };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The first path at which `a` and `b` differ, with both values, for the message. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (same(a, b)) return undefined;
  if (isObj(a) && isObj(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[key], b[key], `${path}.${key}`);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));
  return `${path} differs: ${show(a)} and ${show(b)}`;
}

/** Merges `b` into `a` (both EventSource objects of one name); deterministic: events and ports sorted. */
export function mergeEventSources(a: Obj, b: Obj): EventSourceMerge {
  const specA = (a['spec'] ?? {}) as Obj;
  const specB = (b['spec'] ?? {}) as Obj;
  const rest = (o: Obj, spec: Obj) => ({ ...o, spec: { ...spec, github: undefined, service: undefined } });
  const outside = firstDifference(rest(a, specA), rest(b, specB), '');
  if (outside) return { conflict: outside.slice(1) };
  const githubA = (specA['github'] ?? {}) as Record<string, Obj>;
  const githubB = (specB['github'] ?? {}) as Record<string, Obj>;
  const github: Record<string, Obj> = { ...githubA };
  for (const [key, hook] of Object.entries(githubB)) {
    const mine = github[key];
    if (!mine) {
      github[key] = hook;
      continue;
    }
    const d = firstDifference({ ...mine, events: undefined }, { ...hook, events: undefined }, `spec.github.${key}`);
    if (d) return { conflict: d };
    const events = [...new Set([...((mine['events'] ?? []) as string[]), ...((hook['events'] ?? []) as string[])])].sort();
    github[key] = { ...mine, events };
  }
  const ports = new Map<number, unknown>();
  for (const spec of [specA, specB]) {
    for (const p of (((spec['service'] ?? {}) as Obj)['ports'] ?? []) as Obj[]) ports.set(Number(p['port']), p);
  }
  const spec: Record<string, unknown> = {};
  // Key order as `eventSource()` writes it.
  for (const [key, value] of Object.entries(specA)) {
    if (key === 'github') spec[key] = Object.fromEntries(Object.keys(github).sort().map((k) => [k, github[k]]));
    else if (key === 'service') spec[key] = { ...(value as Obj), ports: [...ports].sort(([x], [y]) => x - y).map(([, p]) => p) };
    else spec[key] = value;
  }
  if (!('github' in spec) && Object.keys(github).length > 0) spec['github'] = github;
  if (!('service' in spec) && ports.size > 0) spec['service'] = { ports: [...ports].sort(([x], [y]) => x - y).map(([, p]) => p) };
  return { merged: { ...a, spec } };
}
