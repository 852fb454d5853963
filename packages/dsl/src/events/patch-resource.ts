/**
 * The escape hatch for Sensors and EventSources (what `.patch()` is for Workflows): a patch of the emitted
 * object, merged key by key (arrays and scalars replaced, `null` removes a key), validated again.
 */
import { DiagnosticError } from '../diagnostic.js';
import { SYNTH, isSynthesizable } from '../synthesizable.js';
import { brandResource } from './_internal/synth-brand.js';
import type { EventSource } from './types/event-source.js';
import type { Sensor } from './types/sensor.js';
import { validateEventResources } from './validate/validate-event-resources.js';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(target: Readonly<Record<string, unknown>>, patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else if (isPlainObject(v) && isPlainObject(out[k])) out[k] = merge(out[k] as Record<string, unknown>, v);
    else out[k] = JSON.parse(JSON.stringify(v)) as unknown;
  }
  return out;
}

/**
 * A Sensor or EventSource with fields no builder option covers. The patch is plain data, not checked against the
 * `Sensor`/`EventSource` types: those declare what the builders write, and Argo Events accepts more (older trigger
 * fields, every event source kind). Validation runs on the result.
 * @example patchResource(sensor('ci', { dependencies, triggers }), { spec: { template: { container: { env: [...] } } } })
 */
export function patchResource<T extends Sensor | EventSource>(resource: T, patch: Readonly<Record<string, unknown>>): T {
  const emitted = isSynthesizable(resource) ? resource[SYNTH]()[0] : undefined;
  const location = emitted?.source?.resolve();
  const merged = merge(JSON.parse(JSON.stringify(resource)) as Record<string, unknown>, patch) as unknown as T;
  const errors = validateEventResources([merged]).filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new DiagnosticError(errors.map((d) => (location ? { ...d, source: location } : d)));
  return brandResource(merged, location);
}
