import type { IComGithubArgoprojArgoWorkflowsV4PkgApisWorkflowV1alpha1Template as ITemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Template';
import { lower, lowerData } from './_internal/lower.js';
import { type SourceRef, captureSource } from '../_internal/source.js';
import { type TextExpr, expr } from '../ir/expr.js';
import type { ArgumentsIR, Data, TemplateIR } from '../ir/template.js';
import type { ArtifactSpec, OutputSpecs } from './output.js';
import type { Json, ParamSpec, ParamSpecs } from './param.js';
import { Value, literal } from './value.js';

declare const callOutputs: unique symbol;
declare const callScope: unique symbol;
declare const callRequires: unique symbol;
declare const artifactScope: unique symbol;
declare const templateScope: unique symbol;

/** The scope of values inside a template's own body (`{{inputs.parameters.X}}`). */
export type TemplateScope = typeof templateScope;

/** Inputs a template declares: parameters and artifacts. */
export type InputSpecs = Readonly<Record<string, ParamSpec | ArtifactSpec>>;

/** A reference to an artifact (an output of a task, an input of a template). */
export class ArtifactRef<S = never> {
  declare readonly [artifactScope]?: S;
  readonly expr: TextExpr;
  constructor(e: TextExpr) {
    this.expr = e;
    Object.freeze(this);
  }
}

type RequiredKeys<I> = { [K in keyof I]: I[K] extends ParamSpec<unknown, true> ? K : never }[keyof I];
type OptionalKeys<I> = Exclude<keyof I, RequiredKeys<I>>;

/** What a literal argument for a value of type `T` may be. */
export type LiteralOf<T> = [T] extends [Json]
  ? string | number | boolean | readonly unknown[] | Readonly<Record<string, unknown>>
  : [T] extends [readonly string[]]
    ? readonly string[]
    : T;

/** What an argument for a value of type `T` may be: a literal, or a typed value of the scope `S`. */
export type ArgValue<T, S> =
  | LiteralOf<T>
  | Value<T, S>
  | ([T] extends [readonly string[]] ? Value<Json, S> : never)
  | ([T] extends [boolean] ? Value<'true' | 'false', S> : never);

/** One argument, for a parameter or an artifact declaration. */
export type ArgOf<P, S> = P extends ParamSpec<infer T, boolean> ? ArgValue<T, S> : P extends ArtifactSpec ? ArtifactRef<S> | ArtifactSpec : never;

/** The arguments a template with inputs `I` takes, typed: required ones must be given. */
export type Args<I, S> = { readonly [K in RequiredKeys<I>]: ArgOf<I[K], S> } & {
  readonly [K in OptionalKeys<I>]?: ArgOf<I[K], S>;
};

/**
 * Something a task or step can run: a template without required inputs, or a template called with its
 * arguments (`template.call({...})`, `steps.promote({...})`). `O` are its outputs; `S` the scope its
 * arguments come from.
 */
export interface Callable<O = OutputSpecs, S = never> {
  readonly [callOutputs]?: O;
  readonly [callScope]?: S;
  readonly [callRequires]?: never;
  /** The template and the arguments it is called with. */
  toCall(): CallIR;
}

export interface CallIR {
  readonly template: TemplateIR;
  readonly arguments: ArgumentsIR;
}

/** A template called with its arguments. */
export class Call<O, S = never> implements Callable<O, S> {
  declare readonly [callOutputs]?: O;
  declare readonly [callScope]?: S;
  declare readonly [callRequires]?: never;
  readonly #call: CallIR;
  constructor(call: CallIR) {
    this.#call = call;
    Object.freeze(this);
  }
  toCall(): CallIR {
    return this.#call;
  }
}

/** The fields every template can carry, typed by Argo's model (an escape hatch for what builders leave out). */
export type TemplateFields = Readonly<
  Omit<ITemplate, 'name' | 'inputs' | 'outputs' | 'container' | 'script' | 'resource' | 'suspend' | 'http' | 'containerSet' | 'dag' | 'steps' | 'data' | 'plugin'>
>;

const EMPTY_ARGS: ArgumentsIR = Object.freeze({ parameters: Object.freeze([]), artifacts: Object.freeze([]) });

function argText(value: unknown): TextExpr {
  if (value instanceof Value) return value.expr;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return literal(value);
  return literal(JSON.stringify(value));
}

/** Lowers typed arguments (checked against the declared inputs) to the arguments IR. */
export function lowerArguments(template: TemplateIR, args: Readonly<Record<string, unknown>>): ArgumentsIR {
  const parameters: { name: string; value: TextExpr }[] = [];
  const artifacts: { name: string; from?: TextExpr; spec?: Data }[] = [];
  for (const key of Object.keys(args)) {
    const value = args[key];
    if (value === undefined) continue;
    const decl = template.inputs[key];
    if (!decl) {
      const known = Object.keys(template.inputs);
      throw new TypeError(
        `template "${template.name ?? '(unnamed)'}" has no input "${key}"; it declares ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'none'}`,
      );
    }
    if (decl.kind === 'artifact') {
      if (value instanceof ArtifactRef) artifacts.push(Object.freeze({ name: key, from: value.expr }));
      else artifacts.push(Object.freeze({ name: key, spec: lowerData((value as ArtifactSpec).artifact) }));
    } else {
      parameters.push(Object.freeze({ name: key, value: argText(value) }));
    }
  }
  return Object.freeze({ parameters: Object.freeze(parameters), artifacts: Object.freeze(artifacts) });
}

/** The typed values of a template's inputs, for use inside its body. */
export type InputValues<I> = {
  readonly [K in keyof I]: I[K] extends ParamSpec<infer T, boolean> ? Value<T, TemplateScope> : ArtifactRef<TemplateScope>;
};

/** Builds the `{{inputs.…}}` values of a template's declared inputs. */
export function inputValues<I extends InputSpecs>(inputs: I): InputValues<I> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(inputs)) {
    out[name] =
      spec.kind === 'artifact'
        ? new ArtifactRef(expr({ kind: 'input', name, artifact: true, type: 'string' }))
        : new Value(expr({ kind: 'input', name, artifact: false, type: spec.type }), spec.type);
  }
  return Object.freeze(out) as InputValues<I>;
}

/**
 * A reusable Argo template. Immutable: `with(...)` returns a new template. Call it from a task or step,
 * with `template.call(args)` when it has inputs.
 *
 * @example
 * const hello = container('hello', { container: { image: 'alpine:3.20', command: ['echo', 'hi'] } });
 * p.task('hello', hello);
 */
export class Template<I extends InputSpecs = InputSpecs, O extends OutputSpecs = OutputSpecs> {
  declare readonly [callOutputs]?: O;
  declare readonly [callScope]?: never;
  declare readonly [callRequires]?: RequiredKeys<I>;
  readonly ir: TemplateIR;

  constructor(ir: TemplateIR) {
    this.ir = ir;
    Object.freeze(this);
  }

  get name(): string | undefined {
    return this.ir.name;
  }

  /**
   * Calls the template with typed arguments.
   * @example p.task('build', build.call({ tag: push.after }))
   */
  call<S = never>(args: Args<I, S>): Call<O, S> {
    return new Call<O, S>(Object.freeze({ template: this.ir, arguments: lowerArguments(this.ir, args as Readonly<Record<string, unknown>>) }));
  }

  toCall(): CallIR {
    return Object.freeze({ template: this.ir, arguments: EMPTY_ARGS });
  }

  /**
   * Sets template fields (retryStrategy, synchronization, memoize, metadata, nodeSelector, …), typed by
   * Argo's model. Returns a new template.
   * @example build.with({ retryStrategy: { limit: 2, retryPolicy: 'OnError' }, activeDeadlineSeconds: 600 })
   */
  with(fields: TemplateFields): Template<I, O> {
    return new Template<I, O>(Object.freeze({ ...this.ir, fields: Object.freeze({ ...this.ir.fields, ...lowerData(fields) }) }));
  }

  /** The same template under another name. */
  named(name: string): Template<I, O> {
    return new Template<I, O>(Object.freeze({ ...this.ir, name }));
  }

  /** @internal the IR, for lowering. */
  lower(): TemplateIR {
    return this.ir;
  }
}

/** Shared by the template builders: common options every template takes. */
export interface TemplateBase<I extends InputSpecs, O extends OutputSpecs> {
  readonly inputs?: I;
  readonly outputs?: O;
  /** Any other template field, typed by Argo's model. */
  readonly fields?: TemplateFields;
}

/** @internal builds a template IR. */
export function makeTemplate<I extends InputSpecs, O extends OutputSpecs>(
  type: TemplateIR['type'],
  name: string | undefined,
  base: TemplateBase<I, O>,
  body: TemplateIR['body'],
  source: SourceRef = captureSource(),
): Template<I, O> {
  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new TypeError(`a template name must be a non-empty string, received ${JSON.stringify(name)}`);
  }
  return new Template<I, O>(
    Object.freeze({
      kind: 'template',
      type,
      name,
      inputs: Object.freeze({ ...(base.inputs ?? {}) }) as I,
      outputs: Object.freeze({ ...(base.outputs ?? {}) }) as O,
      body: Object.freeze(body),
      fields: lowerData(base.fields),
      source,
    }),
  );
}

/** Lowers a value or a function of the template's inputs to IR data. */
export function lowerBody<I extends InputSpecs, T>(inputs: I | undefined, value: T | ((inputs: InputValues<I>) => T)): Data {
  const resolved = typeof value === 'function' ? (value as (i: InputValues<I>) => T)(inputValues(inputs ?? ({} as I))) : value;
  return lower(resolved) as Data;
}

export type { ParamSpecs };
