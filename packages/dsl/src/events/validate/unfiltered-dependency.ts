import { type Reporter, asArray, isRecord, quote } from './_internal/reporter.js';

/** EventSource types whose events anyone able to reach the endpoint (or any repository of an app) can send. */
const OPEN_TYPES = new Set(['github', 'gitlab', 'bitbucket', 'bitbucketserver', 'gitea', 'webhook', 'slack', 'stripe', 'sns', 'azureEventsHub']);

/** The EventSource types each EventSource name defines (`spec.github`, `spec.calendar`…). */
export function eventSourceTypes(objects: readonly unknown[]): Map<string, Set<string>> {
  const types = new Map<string, Set<string>>();
  for (const o of objects) {
    if (!isRecord(o) || o['kind'] !== 'EventSource' || !isRecord(o['metadata']) || !isRecord(o['spec'])) continue;
    const spec = o['spec'];
    types.set(String(o['metadata']['name']), new Set(Object.keys(spec).filter((k) => isRecord(spec[k]))));
  }
  return types;
}

/**
 * ARG336 (warning): a dependency with no filters at all fires on every event of its EventSource — every
 * repository, branch and event type a webhook delivers. Not reported when the EventSource is given and is
 * not a webhook-like type (a calendar tick needs no filter).
 */
export function checkUnfilteredDependencies(r: Reporter, sensor: Record<string, unknown>, types: ReadonlyMap<string, ReadonlySet<string>>): void {
  const spec = isRecord(sensor['spec']) ? sensor['spec'] : {};
  asArray(spec['dependencies']).forEach((d, i) => {
    if (!isRecord(d)) return;
    const filters = isRecord(d['filters']) ? d['filters'] : {};
    const any = ['data', 'exprs', 'context', 'time', 'script'].some((k) => {
      const v = filters[k];
      return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '';
    });
    if (any) return;
    const known = types.get(String(d['eventSourceName']));
    if (known && ![...known].some((t) => OPEN_TYPES.has(t))) return;
    r.report(
      'ARG336',
      ['spec', 'dependencies', i],
      `dependency ${quote(d['name'])} has no filters: it fires on every event of EventSource ${quote(d['eventSourceName'])} (any repository, branch or event type it receives)`,
      'add filters.data on the repository (body.repository.full_name), the branch (body.ref) and the event type (headers.X-Github-Event.0)',
      'warning',
    );
  });
}
