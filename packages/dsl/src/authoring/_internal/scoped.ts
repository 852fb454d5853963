import type { OutputSpec, OutputSpecs } from '../output.js';
import type { ParamSpec } from '../param.js';
import { ArtifactRef, inputValues, type InputSpecs, type TemplateBase } from '../template.js';
import { Value } from '../value.js';

/** A DAG's or steps template's inputs as values of its scope `S`. */
export type ScopedInputs<I, S> = {
  readonly [K in keyof I]: I[K] extends ParamSpec<infer T, boolean> ? Value<T, S> : ArtifactRef<S>;
};

/** Values a DAG or steps body returns for the outputs it declared with `output.returned()`. */
export type Returned<O, S> = { readonly [K in keyof O]?: Value<unknown, S> | ArtifactRef<S> };

export function scopedInputs<I extends InputSpecs, S>(inputs: I): ScopedInputs<I, S> {
  // The same `{{inputs.…}}` values a leaf template gets, branded with the DAG's or steps' scope.
  return inputValues(inputs) as unknown as ScopedInputs<I, S>;
}

/** Fills outputs declared with `output.returned()` from what the body returned. */
export function withReturnedOutputs<I extends InputSpecs, O extends OutputSpecs>(
  spec: TemplateBase<I, O>,
  returned: Readonly<Record<string, unknown>> | void,
): TemplateBase<I, O> {
  if (!spec.outputs) return spec;
  const outputs: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(spec.outputs)) {
    if (o.kind === 'output' && 'returned' in o.valueFrom) {
      const v = returned ? returned[name] : undefined;
      if (!(v instanceof Value)) {
        throw new TypeError(`output "${name}" is declared with output.returned(), so the body must return a value for it; received ${v === undefined ? 'nothing' : typeof v}`);
      }
      outputs[name] = Object.freeze({ ...o, type: v.type, valueFrom: Object.freeze({ parameter: v.expr }) }) satisfies OutputSpec;
    } else if (o.kind === 'artifact' && returned && returned[name] instanceof ArtifactRef) {
      outputs[name] = Object.freeze({ ...o, artifact: Object.freeze({ ...o.artifact, from: (returned[name] as ArtifactRef<unknown>).expr }) });
    } else outputs[name] = o;
  }
  return { ...spec, outputs: Object.freeze(outputs) as unknown as O };
}
