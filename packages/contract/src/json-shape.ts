/**
 * The shape of a JSON output, declared once in the command's contract: the DSL types loop items and their
 * fields from it (`withParam: change.outputs.services` gives `item.get('kind')` typed `'code' | 'config' |
 * 'none'`), and the runtime's tests check that what a command writes has that shape.
 */

/** `'string'`, `'number'`, `'boolean'`, an enum (`['code', 'config']`), a list, or an object's fields. */
export type JsonShape =
  | 'string'
  | 'number'
  | 'boolean'
  | readonly [string, ...string[]]
  | { readonly list: JsonShape }
  | { readonly fields: Readonly<Record<string, JsonShape>> };

/** The TypeScript type a shape describes. */
export type ShapeType<S> = S extends 'string'
  ? string
  : S extends 'number'
    ? number
    : S extends 'boolean'
      ? boolean
      : S extends readonly (infer E extends string)[]
        ? E
        : S extends { readonly list: infer L }
          ? readonly ShapeType<L>[]
          : S extends { readonly fields: infer F }
            ? { readonly [K in keyof F]: ShapeType<F[K]> }
            : unknown;

const isEnum = (shape: JsonShape): shape is readonly [string, ...string[]] => Array.isArray(shape);

/** Where `value` departs from `shape` (`[1].kind: expected one of "code", "config", received "x"`), or undefined. */
export function shapeProblem(value: unknown, shape: JsonShape, at = ''): string | undefined {
  const here = at === '' ? 'the value' : at;
  if (shape === 'string' || shape === 'number' || shape === 'boolean') {
    return typeof value === shape ? undefined : `${here}: expected a ${shape}, received ${JSON.stringify(value)}`;
  }
  if (isEnum(shape)) {
    return typeof value === 'string' && shape.includes(value) ? undefined : `${here}: expected one of ${shape.map((s) => JSON.stringify(s)).join(', ')}, received ${JSON.stringify(value)}`;
  }
  if ('list' in shape) {
    if (!Array.isArray(value)) return `${here}: expected a list, received ${JSON.stringify(value)}`;
    for (let i = 0; i < value.length; i++) {
      const problem = shapeProblem(value[i], shape.list, `${at}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (!('fields' in shape)) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${here}: expected an object, received ${JSON.stringify(value)}`;
  for (const [key, field] of Object.entries(shape.fields) as [string, JsonShape][]) {
    if (!(key in value)) return `${at === '' ? '' : `${at}.`}${key}: missing`;
    const problem = shapeProblem((value as Record<string, unknown>)[key], field, at === '' ? key : `${at}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}
