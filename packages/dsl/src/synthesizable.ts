import type { SourceRef } from './_internal/source.js';
import type { Diagnostic, SourceLocation } from './diagnostic.js';

/** The brand of values `synth` accepts: a function returning the resources they emit. */
export const SYNTH: unique symbol = Symbol.for('argots.synth');

/** One resource a synthesizable value emits. */
export interface SynthesizedResource {
  /** The Kubernetes object (plain JSON data). */
  readonly object: Readonly<Record<string, unknown>>;
  /** The builder call that made it. */
  readonly source: SourceRef | undefined;
  /** Emitted path (`spec.templates[1].dag.tasks[0]`, `''` for the object) → builder call. */
  readonly locations?: ReadonlyMap<string, SourceRef>;
  /** Builder-level problems (ARG200–ARG299). */
  readonly diagnostics?: readonly Diagnostic[];
}

/** A value `synth` can turn into files: pipelines, workflow templates, Sensors, EventSources. */
export interface Synthesizable {
  readonly [SYNTH]: () => readonly SynthesizedResource[];
}

/**
 * True when `value` can be synthesized (carries the `Symbol.for('argots.synth')` brand).
 * @example exports.filter(([, v]) => isSynthesizable(v))
 */
export function isSynthesizable(value: unknown): value is Synthesizable {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as Partial<Synthesizable>)[SYNTH] === 'function'
  );
}

/** A source reference to a fixed location (for resources built from data, not builder calls). */
export function sourceAt(location: SourceLocation | undefined): SourceRef {
  return { resolve: () => location };
}
