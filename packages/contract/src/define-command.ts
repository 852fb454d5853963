/**
 * The one definition of a runtime command: its name, typed inputs, the Argo output parameters it writes,
 * and how inputs map to argv. `@argots/dsl` reads it to emit a step; `@argots/runtime` reads it to parse
 * that step's argv. Neither side restates it.
 */

import type { JsonShape } from './json-shape.js';

/** The kinds of value an input can carry. On argv every value is one string (Argo parameters are strings). */
export type InputKind = 'string' | 'boolean' | 'integer' | 'string-list' | 'json';

export interface InputSpec<K extends InputKind = InputKind> {
  readonly kind: K;
  readonly description: string;
  /** Required inputs must be given; optional ones are left off argv when absent. */
  readonly required?: boolean;
  /** Allowed values (strings only). */
  readonly enum?: readonly string[];
  /** A regular expression (anchored by the parser) the string value must match. */
  readonly pattern?: string;
  /** Shown in errors and docs: an example of a valid value. */
  readonly example?: string;
  /**
   * `true` when the value may come from an untrusted source (a webhook payload, a branch name, a commit
   * message). It is then only ever passed as one argv element, never interpolated into shell source.
   */
  readonly untrusted?: boolean;
}

export interface OutputSpec {
  readonly description: string;
  /** How the string written to the output file is to be read: plain text, or JSON. */
  readonly format?: 'text' | 'json';
  /** For text outputs with a closed set of values (used by `when` conditions in the DSL). */
  readonly enum?: readonly string[];
  /** For JSON outputs: the value's shape, which types loop items in the DSL (`withParam`). */
  readonly shape?: JsonShape;
}

export interface CommandDefinition<
  N extends string = string,
  I extends Readonly<Record<string, InputSpec>> = Readonly<Record<string, InputSpec>>,
  O extends Readonly<Record<string, OutputSpec>> = Readonly<Record<string, OutputSpec>>,
> {
  /** kebab-case command name: `argots-runtime <name>`. */
  readonly name: N;
  readonly summary: string;
  readonly inputs: I;
  readonly outputs: O;
}

/** Defines a runtime command. The definition is frozen. */
export function defineCommand<
  const N extends string,
  const I extends Readonly<Record<string, InputSpec>>,
  const O extends Readonly<Record<string, OutputSpec>>,
>(definition: CommandDefinition<N, I, O>): CommandDefinition<N, I, O> {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new TypeError(`command name "${definition.name}" must be kebab-case`);
  }
  for (const key of [...Object.keys(definition.inputs), ...Object.keys(definition.outputs)]) {
    if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) throw new TypeError(`command "${definition.name}": "${key}" must be camelCase`);
  }
  for (const [key, spec] of Object.entries(definition.inputs)) {
    if (spec.pattern && spec.example === undefined) {
      throw new TypeError(`command "${definition.name}": input "${key}" has a pattern, so it needs an example`);
    }
    if (spec.pattern && spec.example !== undefined && !new RegExp(`^(?:${spec.pattern})$`).test(spec.example)) {
      throw new TypeError(`command "${definition.name}": the example of input "${key}" does not match its pattern`);
    }
  }
  return Object.freeze({
    ...definition,
    inputs: Object.freeze({ ...definition.inputs }),
    outputs: Object.freeze({ ...definition.outputs }),
  });
}

type ValueOfKind<K extends InputKind> = K extends 'string'
  ? string
  : K extends 'boolean'
    ? boolean
    : K extends 'integer'
      ? number
      : K extends 'string-list'
        ? readonly string[]
        : unknown;

type ValueOf<S extends InputSpec> = S extends { readonly enum: readonly (infer E extends string)[] }
  ? E
  : ValueOfKind<S['kind']>;

type RequiredKeys<I> = { [K in keyof I]: I[K] extends { readonly required: true } ? K : never }[keyof I];
type OptionalKeys<I> = Exclude<keyof I, RequiredKeys<I>>;

/** The typed inputs of a command, as the runtime receives them after parsing. */
export type InputsOf<C extends CommandDefinition> = {
  readonly [K in RequiredKeys<C['inputs']>]: ValueOf<C['inputs'][K]>;
} & {
  readonly [K in OptionalKeys<C['inputs']>]?: ValueOf<C['inputs'][K]>;
};

/** The outputs of a command: every declared output is written, as a string. */
export type OutputsOf<C extends CommandDefinition> = { readonly [K in keyof C['outputs']]: string };

/** `configFiles` → `config-files`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `config-files` → `configFiles`. */
export function inputKey(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The binary every compiled runtime step runs. */
export const RUNTIME_BINARY = 'argots-runtime';

/** Where the runtime writes output parameter files inside a pod (Argo reads them with `valueFrom.path`). */
export const DEFAULT_OUTPUT_DIR = '/tmp/argots/outputs';

/** The file an output is written to, relative to the output directory. */
export function outputPath(outputName: string, outputDir: string = DEFAULT_OUTPUT_DIR): string {
  return `${outputDir.replace(/\/+$/, '')}/${outputName}`;
}
