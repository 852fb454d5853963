/**
 * Where a trigger parameter's value comes from: a typed payload value (`push.payload.after`), or an explicit
 * source (`{ dependency: 'push', dataTemplate: '{{ .Input.body.ref | lower }}', value: 'main' }`).
 */
import type { TriggerParameterSource } from './types/sensor.js';
import { PAYLOAD, dataKeyOf, isPayloadRef, type PayloadRef } from './payload-handle.js';
import { compact } from './_internal/synth-brand.js';

export interface ExplicitParameterSource {
  readonly dependency: string;
  readonly dataKey?: string;
  readonly dataTemplate?: string;
  readonly contextKey?: string;
  readonly contextTemplate?: string;
  /** The default when the event has no value (or the dependency has no event). */
  readonly value?: string;
  /** Insert JSON values (objects, numbers) as JSON rather than as strings. */
  readonly useRawData?: boolean;
}

export type ParameterSource = PayloadRef | ExplicitParameterSource;

/** Lowers a parameter source to Argo's `src`. */
export function toTriggerSource(source: ParameterSource): TriggerParameterSource {
  if (isPayloadRef(source)) return { dependencyName: source[PAYLOAD].dependencyName, dataKey: dataKeyOf(source) };
  return compact({
    dependencyName: source.dependency,
    dataKey: source.dataKey,
    dataTemplate: source.dataTemplate,
    contextKey: source.contextKey,
    contextTemplate: source.contextTemplate,
    value: source.value,
    useRawData: source.useRawData,
  }) as TriggerParameterSource;
}
