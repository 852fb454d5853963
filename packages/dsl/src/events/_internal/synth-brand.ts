/**
 * The DSL's synthesis brand, `Symbol.for('argots.synth')`: a value carrying it is synthesizable — the branded
 * function returns the resources it emits. Attached non-enumerably so emitted objects stay plain data.
 */
import type { SourceLocation } from '../../diagnostic.js';

export const SYNTH: unique symbol = Symbol.for('argots.synth') as never;

/** Freezes `resource` deeply and brands it as emitting itself (`synth` reads `{ object, source }`). */
export function brandResource<T extends object>(resource: T, location?: SourceLocation): T {
  deepFreeze(resource);
  const branded = { ...resource } as T;
  const emitted = Object.freeze([Object.freeze({ object: resource, source: { resolve: () => location } })]);
  Object.defineProperty(branded, SYNTH, { value: () => emitted, enumerable: false });
  return Object.freeze(branded);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  for (const v of Object.values(value)) deepFreeze(v);
  Object.freeze(value);
}

/** Drops keys whose value is undefined, keeping the given key order (deterministic output). */
export type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

export function compact<T extends Record<string, unknown>>(record: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out as Compact<T>;
}
