import {
  type CommandDefinition,
  type InputSpec as ContractInput,
  type OutputSpec as ContractOutput,
  RUNTIME_BINARY,
  type ShapeType,
  commands,
  encodeInput,
  outputPath,
  toArgv,
} from '@argots/contract';
import type { IIoK8sApiCoreV1SecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { UNKNOWN_SOURCE } from '../_internal/source.js';
import type { Diagnostic } from '../diagnostic.js';
import { type ContainerSpec, normalizeContainer } from './container-spec.js';
import { lower } from './_internal/lower.js';
import type { OutputSpec } from './output.js';
import type { Json, ParamSpec } from './param.js';
import { type Args, type Call, Template, type TemplateFields, type TemplateScope, lowerArguments } from './template.js';

type KindType<K> = K extends 'boolean' ? boolean : K extends 'integer' ? number : K extends 'string-list' ? readonly string[] : K extends 'json' ? Json : string;
type InputType<I> = I extends { readonly enum: readonly (infer E extends string)[] } ? E : I extends ContractInput ? KindType<I['kind']> : never;
type OutputTypeOf<O> = O extends { readonly enum: readonly (infer E extends string)[] }
  ? E
  : O extends { readonly shape: infer Sh }
    ? ShapeType<Sh>
    : O extends { readonly format: 'json' }
      ? Json
      : string;

/** A runtime command's inputs, as template parameter declarations. */
export type CommandParams<C extends CommandDefinition> = {
  readonly [K in keyof C['inputs']]: ParamSpec<InputType<C['inputs'][K]>, C['inputs'][K] extends { readonly required: true } ? true : false>;
};
/** A runtime command's outputs, as output declarations (enum outputs give typed `.eq()`). */
export type CommandOutputs<C extends CommandDefinition> = { readonly [K in keyof C['outputs']]: OutputSpec<OutputTypeOf<C['outputs'][K]>> };

/** The container every runtime step runs as unless the author says otherwise: non-root, no privileges. */
export const RUNTIME_SECURITY_CONTEXT: Readonly<IIoK8sApiCoreV1SecurityContext> = Object.freeze({
  runAsNonRoot: true,
  runAsUser: 65532,
  allowPrivilegeEscalation: false,
  capabilities: Object.freeze({ drop: Object.freeze(['ALL']) as unknown as string[] }),
});

/** The runtime image the default `steps` use. Pass your own with `runtimeSteps({ image })`. */
export const DEFAULT_RUNTIME_IMAGE = 'ghcr.io/argots/runtime:0.1.0';

export interface RuntimeStepOptions {
  /** The image that holds `argots-runtime`. */
  readonly image: string;
  /** Replaces the non-root default. */
  readonly securityContext?: Readonly<IIoK8sApiCoreV1SecurityContext>;
  /** More container fields: resources, env, volumeMounts, imagePullPolicy, … */
  readonly container?: Omit<ContainerSpec<TemplateScope>, 'image' | 'command' | 'args' | 'securityContext'>;
  /** Template fields: retryStrategy, activeDeadlineSeconds, metadata, volumes, … */
  readonly template?: TemplateFields;
  /** Where the runtime writes output files (default the contract's). */
  readonly outputDir?: string;
}

function toSpec(spec: ContractInput): ParamSpec {
  return Object.freeze({
    kind: 'param',
    type: spec.kind === 'integer' ? 'number' : spec.kind === 'boolean' ? 'boolean' : spec.kind === 'string' ? 'string' : 'json',
    required: spec.required === true,
    default: undefined,
    enum: spec.enum ? Object.freeze([...spec.enum]) : undefined,
    description: undefined,
  });
}

function toOutput(name: string, spec: ContractOutput, outputDir: string | undefined): OutputSpec {
  return Object.freeze({
    kind: 'output',
    type: spec.format === 'json' ? 'json' : 'string',
    valueFrom: Object.freeze({ path: outputPath(name, outputDir) }),
    enum: spec.enum ? Object.freeze([...spec.enum]) : undefined,
    default: undefined,
    description: undefined,
  });
}

/**
 * A step that runs `argots-runtime <command>`: a container template whose argv is the contract's `toArgv`
 * (each value one argv element: a literal or a `{{…}}` reference, never shell source), with one output
 * parameter per contract output, read from the contract's output path.
 *
 * @example
 * p.task('promote', runtimeStep(promote, { image: build.outputs.digest, from: 'dev', to: 'staging' }, { image: RUNTIME }));
 */
export function runtimeStep<const C extends CommandDefinition, S = never>(
  command: C,
  inputs: Args<CommandParams<C>, S>,
  options: RuntimeStepOptions,
): Call<CommandOutputs<C>, S> {
  // Located by the task or step that runs it (one stack capture per task, not two).
  const source = UNKNOWN_SOURCE;
  if (typeof options?.image !== 'string' || options.image === '') {
    throw new TypeError(`runtime step "${command.name}": the runtime image must be given (options.image), received ${JSON.stringify(options?.image)}`);
  }
  const given = Object.keys(inputs as object).filter((k) => (inputs as Record<string, unknown>)[k] !== undefined);
  for (const key of given) {
    if (!(key in command.inputs)) {
      throw new TypeError(`runtime step "${command.name}" has no input "${key}"; it takes ${Object.keys(command.inputs).map((k) => `"${k}"`).join(', ')}`);
    }
  }
  const missing = Object.entries(command.inputs).filter(([k, s]) => s.required && !given.includes(k)).map(([k]) => k);
  if (missing.length) {
    throw new TypeError(`runtime step "${command.name}" needs ${missing.map((k) => `"${k}"`).join(', ')}`);
  }
  const problems: Diagnostic[] = [];
  for (const key of given) {
    const spec = command.inputs[key] as ContractInput;
    const value = (inputs as Record<string, unknown>)[key];
    if (typeof value !== 'string' || spec.kind !== 'string') continue;
    const expected = spec.enum && !spec.enum.includes(value)
      ? `one of ${spec.enum.map((e) => `"${e}"`).join(', ')}`
      : spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(value)
        ? `a value like "${spec.example ?? spec.pattern}"`
        : undefined;
    if (expected) {
      problems.push({
        code: 'ARG211',
        severity: 'error',
        message: `runtime step "${command.name}": input "${key}" must be ${expected}, received ${JSON.stringify(value)}`,
        path: key,
        hint: `${spec.description} Pass a valid literal, or a parameter or task output checked at run time.`,
      });
    }
  }
  const ordered = Object.keys(command.inputs).filter((k) => given.includes(k));
  const declared = Object.fromEntries(ordered.map((k) => [k, toSpec(command.inputs[k] as ContractInput)]));
  const argv = toArgv(command, Object.fromEntries(ordered.map((k) => [k, `{{inputs.parameters.${k}}}`])));
  if (options.outputDir !== undefined) argv.push('--output-dir', options.outputDir);
  const outputs = Object.fromEntries(
    Object.entries(command.outputs).map(([k, s]) => [k, toOutput(k, s, options.outputDir)]),
  );
  const containerValue = lower(
    normalizeContainer({
      ...(options.container ?? {}),
      image: options.image,
      command: [RUNTIME_BINARY],
      args: argv,
      securityContext: options.securityContext ?? RUNTIME_SECURITY_CONTEXT,
    }),
  ) as Readonly<Record<string, unknown>>;
  const template = new Template<CommandParams<C>, CommandOutputs<C>>(
    Object.freeze({
      kind: 'template',
      type: 'container',
      name: undefined,
      inputs: Object.freeze(declared),
      outputs: Object.freeze(outputs),
      body: Object.freeze({ kind: 'leaf', key: 'container', value: containerValue }),
      fields: lower(options.template ?? {}) as Readonly<Record<string, unknown>>,
      source,
      ...(problems.length ? { diagnostics: Object.freeze(problems) } : {}),
    }),
  );
  void lowerArguments;
  return template.call(inputs);
}

/** Literal inputs of a runtime command run outside a step (an init container): strings, lists, booleans. */
export type RuntimeContainerInputs<C extends CommandDefinition> = {
  readonly [K in keyof C['inputs']]?: InputType<C['inputs'][K]>;
};

/** A container (for a template's `initContainers` or `sidecars`) that runs one runtime command. */
export interface RuntimeContainer {
  readonly name: string;
  readonly image: string;
  readonly command: string[];
  readonly args: string[];
  readonly [field: string]: unknown;
}

/**
 * A container that runs `argots-runtime <command>` with literal inputs — for work that must happen inside
 * another step's pod, such as an init container writing short-lived registry credentials for a build. Its
 * argv comes from the contract (`toArgv`), as a step's does; required inputs must be given.
 *
 * @example
 * fields: { initContainers: [runtimeContainer(registryLogin, 'registry-login', { env: ['dev'], file: '/docker/config.json' }, { image })] }
 */
export function runtimeContainer<const C extends CommandDefinition>(
  command: C,
  name: string,
  inputs: RuntimeContainerInputs<C>,
  options: { readonly image: string; readonly [field: string]: unknown },
): RuntimeContainer {
  const given = inputs as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(given)) {
    if (!(key in command.inputs)) throw new TypeError(`runtime container "${name}": command "${command.name}" has no input "${key}"; it takes ${Object.keys(command.inputs).map((k) => `"${k}"`).join(', ')}`);
  }
  const missing = Object.entries(command.inputs).filter(([k, spec]) => spec.required && given[k] === undefined).map(([k]) => k);
  if (missing.length) throw new TypeError(`runtime container "${name}": command "${command.name}" needs ${missing.map((k) => `"${k}"`).join(', ')}`);
  const encoded = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined).map(([k, v]) => [k, encodeInput(command.inputs[k] as ContractInput, v)]));
  return Object.freeze({ securityContext: RUNTIME_SECURITY_CONTEXT, ...options, name, command: [RUNTIME_BINARY], args: toArgv(command, encoded) });
}

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type Commands = typeof commands;

/** Typed runtime steps, one per contract command: `steps.detectChanges({...})`, `steps.promote({...})`, … */
export type RuntimeSteps = {
  readonly [K in keyof Commands as Camel<K & string>]: <S = never>(
    inputs: Args<CommandParams<Commands[K]>, S>,
    options?: Partial<RuntimeStepOptions>,
  ) => Call<CommandOutputs<Commands[K]>, S>;
};

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Runtime steps bound to a runtime image (and other defaults).
 * @example const steps = runtimeSteps({ image: 'registry.acme.io/argots-runtime:1.2.0' });
 */
export function runtimeSteps(defaults: RuntimeStepOptions): RuntimeSteps {
  const out: Record<string, unknown> = {};
  for (const [name, command] of Object.entries(commands)) {
    out[camel(name)] = (inputs: Record<string, unknown>, options: Partial<RuntimeStepOptions> = {}) =>
      runtimeStep(command as CommandDefinition, inputs as never, { ...defaults, ...options });
  }
  return Object.freeze(out) as RuntimeSteps;
}

/** Runtime steps with {@link DEFAULT_RUNTIME_IMAGE}. */
export const steps: RuntimeSteps = runtimeSteps({ image: DEFAULT_RUNTIME_IMAGE });
