/**
 * Trigger parameters (pkg/sensors/triggers/params.go), reproduced: the value of a parameter comes from the
 * last event of `src.dependencyName` — `dataTemplate` (or `contextTemplate`), then `dataKey` (or
 * `contextKey`), then the `value` default — and is written at `dest` (an sjson path) with `operation`.
 */
import type { ArgoEvent } from './argo-event.js';
import type { TriggerParameter, TriggerParameterSource } from '../events/types/sensor.js';
import { executeGoTemplate, gjsonGet, gjsonString, gjsonType, goJson, sjsonSet } from '@argots/expr';

/** Where a resolved value came from. */
export type ParameterOrigin = 'dataTemplate' | 'dataKey' | 'contextTemplate' | 'contextKey' | 'value' | 'event';

export interface ResolvedValue {
  readonly value: string;
  /** gjson type name of the value read (`String`, `Number`, `JSON`, …); `String` for templates and defaults. */
  readonly type: string;
  readonly origin: ParameterOrigin;
  /** Why an earlier source was passed over (template errors, missing keys). */
  readonly notes: readonly string[];
}

export class ParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParameterError';
  }
}

/** Resolves one parameter source; `undefined` when its dependency has no event and there is no default. */
export function resolveParameterValue(src: TriggerParameterSource, events: ReadonlyMap<string, ArgoEvent>): ResolvedValue | undefined {
  const event = events.get(src.dependencyName);
  const notes: string[] = [];
  if (!event) {
    if (src.value !== undefined) return { value: src.value, type: 'String', origin: 'value', notes: [`no event for "${src.dependencyName}"`] };
    return undefined;
  }
  const useContext = Boolean(src.contextKey || src.contextTemplate);
  const useData = Boolean(src.dataKey || src.dataTemplate);
  if (!useContext && !useData) {
    if (src.value !== undefined) return { value: src.value, type: 'String', origin: 'value', notes };
    return { value: JSON.stringify(event), type: 'String', origin: 'event', notes };
  }
  const payload = useData ? event.data : event.context;
  const template = useData ? src.dataTemplate : src.contextTemplate;
  const key = useData ? src.dataKey : src.contextKey;
  if (template) {
    try {
      const out = executeGoTemplate(template, payload);
      if (out !== '' && out !== '<no value>') return { value: out, type: 'String', origin: useData ? 'dataTemplate' : 'contextTemplate', notes };
      notes.push(`template evaluated to empty string or no value: ${template}`);
    } catch (error) {
      notes.push(`template failed: ${(error as Error).message}`);
    }
  }
  if (key) {
    const found = gjsonGet(payload, key);
    if (found.exists) {
      const type = gjsonType(found.value);
      const value = type === 'JSON' || type === 'Null' ? goJson(found.value) : gjsonString(found.value);
      return { value, type, origin: useData ? 'dataKey' : 'contextKey', notes };
    }
    notes.push(found.unsupported ?? `key ${key} does not exist in the event payload`);
  }
  if (src.value !== undefined) return { value: src.value, type: 'String', origin: 'value', notes };
  throw new ParameterError(`unable to resolve '${src.dependencyName}' parameter value: ${notes.join('; ')}`);
}

/** One parameter after resolution, for reports. */
export interface AppliedParameter {
  readonly dest: string;
  readonly dependencyName: string;
  /** `null` when the parameter was skipped (its dependency has no event and it has no default). */
  readonly value: string | null;
  readonly origin: ParameterOrigin | 'skipped';
  readonly notes: readonly string[];
}

/** Applies parameters to a JSON object (a trigger template or a resource); throws {@link ParameterError}. */
export function applyParameters(
  target: unknown,
  parameters: readonly TriggerParameter[],
  events: ReadonlyMap<string, ArgoEvent>,
  applied: AppliedParameter[],
): unknown {
  let doc = target;
  for (const parameter of parameters) {
    const resolved = resolveParameterValue(parameter.src, events);
    if (!resolved) {
      applied.push({ dest: parameter.dest, dependencyName: parameter.src.dependencyName, value: null, origin: 'skipped', notes: [`no event for "${parameter.src.dependencyName}" and no default value`] });
      continue;
    }
    let value = resolved.value;
    let type = resolved.type;
    const op = parameter.operation ?? '';
    if (op === 'append' || op === 'prepend') {
      const current = gjsonGet(doc, parameter.dest);
      if (current.exists) {
        type = 'String';
        value = op === 'append' ? gjsonString(current.value) + value : value + gjsonString(current.value);
      }
    } else if (op !== '' && op !== 'overwrite') {
      throw new ParameterError(`unsupported trigger parameter operation: ${op}`);
    }
    let inserted: unknown = value;
    if (type !== 'String' && parameter.src.useRawData) {
      try {
        inserted = JSON.parse(value) as unknown;
      } catch {
        inserted = value;
      }
    }
    try {
      doc = sjsonSet(doc, parameter.dest, inserted);
    } catch (error) {
      throw new ParameterError(`dest "${parameter.dest}": ${(error as Error).message}`);
    }
    applied.push({ dest: parameter.dest, dependencyName: parameter.src.dependencyName, value, origin: resolved.origin, notes: resolved.notes });
  }
  return doc;
}
