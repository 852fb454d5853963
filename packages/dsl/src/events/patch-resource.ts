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
import { mergePatch as merge } from '../_internal/merge-patch.js';

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
