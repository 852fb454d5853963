import type { ScalarType } from '../ir/expr.js';

declare const specType: unique symbol;
declare const jsonText: unique symbol;

/** JSON text: what a `json` parameter or output holds (a string Argo passes around unchanged). */
export type Json = string & { readonly [jsonText]: true };

/**
 * The declaration of an input parameter (of a workflow, or of a template). `T` is the type its value has;
 * `R` whether a caller must supply it (no default).
 */
export interface ParamSpec<T = unknown, R extends boolean = boolean> {
  readonly kind: 'param';
  readonly type: ScalarType;
  readonly required: R;
  readonly default: string | undefined;
  readonly enum: readonly string[] | undefined;
  readonly description: string | undefined;
  readonly [specType]?: T;
}

interface ParamOptions<T> {
  /** Makes the parameter optional. */
  readonly default?: T;
  readonly description?: string;
}

function spec<T, R extends boolean>(type: ScalarType, options: ParamOptions<unknown> & { enum?: readonly string[] }): ParamSpec<T, R> {
  const d = options.default;
  return Object.freeze({
    kind: 'param',
    type,
    required: (d === undefined) as R,
    default: d === undefined ? undefined : typeof d === 'string' ? d : JSON.stringify(d),
    enum: options.enum ? Object.freeze([...options.enum]) : undefined,
    description: options.description,
  });
}

type Req<O> = O extends { readonly default: unknown } ? false : true;

/**
 * Declares parameters: workflow parameters (`p.param`) and template inputs.
 * @example
 * const env = p.param('env', param.enum(['dev', 'staging', 'prod'], { default: 'dev' }));
 * const inputs = { tag: param.string(), replicas: param.number({ default: 1 }) };
 */
export const param = Object.freeze({
  /** Free text. */
  string<const O extends ParamOptions<string> = {}>(options?: O): ParamSpec<string, Req<O>> {
    return spec('string', options ?? {});
  },
  /** One of a closed set of strings; `.eq()` on its value only accepts those. */
  enum<const E extends string, const O extends ParamOptions<NoInfer<E>> = {}>(values: readonly [E, ...E[]], options?: O): ParamSpec<E, Req<O>> {
    return spec('string', { ...(options ?? {}), enum: values });
  },
  /** A number (Argo passes it as text; conditions compare it as a number). */
  number<const O extends ParamOptions<number> = {}>(options?: O): ParamSpec<number, Req<O>> {
    return spec('number', options ?? {});
  },
  /** `true` or `false`. */
  boolean<const O extends ParamOptions<boolean> = {}>(options?: O): ParamSpec<boolean, Req<O>> {
    return spec('boolean', { ...(options ?? {}), enum: ['true', 'false'] });
  },
  /** JSON text (a list to fan out over with `withParam`, an object). */
  json<const O extends ParamOptions<unknown> = {}>(options?: O): ParamSpec<Json, Req<O>> {
    return spec('json', options ?? {});
  },
});

/** The value type a parameter declaration holds. */
export type ParamType<P> = P extends ParamSpec<infer T, boolean> ? T : never;

/** A record of parameter declarations. */
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;
