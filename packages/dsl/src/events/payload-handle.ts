/**
 * Typed handles on a webhook payload. `push.payload.head_commit.message` is a {@link PayloadRef} naming the
 * gjson path `body.head_commit.message` of the trigger's dependency; a field that does not exist on the
 * event's payload type (from @octokit/webhooks-types) does not compile. Array elements are reached with
 * `at`: `push.payload.commits.at(0).id` → `body.commits.0.id`.
 */
export const PAYLOAD: unique symbol = Symbol.for('argots.payload') as never;

/** Where a payload value comes from: a dependency and the path inside its event data. */
export interface PayloadPath {
  readonly dependencyName: string;
  /** Keys under `body`, unescaped. */
  readonly path: readonly string[];
  /** What this value is, for messages: `push to acme/shop`. */
  readonly trigger: string;
}

/** A reference to one value of a trigger's payload; `T` is its TypeScript type. */
export interface PayloadRef<T = unknown> {
  readonly [PAYLOAD]: PayloadPath;
  /** Phantom: the value's type (never present at run time). */
  readonly __payloadType?: T;
}

type Handle<T> = NonNullable<T> extends readonly (infer E)[]
  ? { at(index: number): PayloadHandle<E> }
  : NonNullable<T> extends string | number | boolean
    ? unknown
    : NonNullable<T> extends object
      ? { readonly [K in keyof NonNullable<T> & string]-?: PayloadHandle<NonNullable<T>[K]> }
      : unknown;

/** A payload value you can pass as a parameter, and whose fields are payload values too. */
export type PayloadHandle<T> = PayloadRef<T> & Handle<T>;

export function isPayloadRef(value: unknown): value is PayloadRef {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && PAYLOAD in value;
}

/** The gjson data key of a payload path: `body.` + keys with `.`, `*`, `?` escaped. */
export function dataKeyOf(ref: PayloadRef): string {
  return ['body', ...ref[PAYLOAD].path.map((k) => k.replace(/[\\.*?|#@]/g, '\\$&'))].join('.');
}

/** Creates the root handle of a dependency's payload. */
export function payloadHandle<T>(dependencyName: string, trigger: string, path: readonly string[] = []): PayloadHandle<T> {
  const info: PayloadPath = Object.freeze({ dependencyName, path: Object.freeze([...path]), trigger });
  const target = Object.freeze({ [PAYLOAD]: info });
  return new Proxy(target, {
    get(t, key) {
      if (key === PAYLOAD) return info;
      if (typeof key === 'symbol') return undefined;
      if (key === 'toJSON') return () => dataKeyOf(t as PayloadRef);
      if (key === 'then') return undefined;
      if (key === 'at') return (index: number) => payloadHandle(dependencyName, trigger, [...path, String(index)]);
      return payloadHandle(dependencyName, trigger, [...path, key]);
    },
    has(_t, key) {
      return key === PAYLOAD;
    },
  }) as unknown as PayloadHandle<T>;
}
