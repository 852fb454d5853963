/**
 * Evaluates merged bake definitions the way buildx's `bake/hclparser` does: variables (the environment
 * overrides a default, converted to the default's or the declared type; `default = null` stays null, so an
 * arg set from it is left out and the Dockerfile's own default applies), user `function` blocks (hcl
 * `ext/userfunc`: `params`, `variadic_params`, `result`), buildx's standard functions, every HCL expression
 * (see `hcl-expression.ts`), and `matrix` blocks (one target per combination, named by `name`). Each target
 * block is evaluated on its own and then merged into an earlier block of the same name like buildx's
 * `Target.Merge`; `inherits` merges evaluated parents the same way. Groups may name a matrix target (all its
 * instances) or one generated instance. Whatever cannot be evaluated is an error naming the target and
 * attribute: a value is never read as empty because it could not be computed.
 */
import { RuntimeError } from '../../runtime-error.js';
import { HclEvalError, asString, evaluateJsonValue, isList, isMap, typeName } from './hcl-evaluate.js';
import { HclSyntaxError } from './hcl-expression.js';
import { HCL_FUNCTION_NAMES, hclFunction } from './hcl-functions.js';
import type { HclContext, HclFunction, HclValue } from './hcl-evaluate.js';
import type { BakeTarget } from '../bake-definition.js';

type Obj = Record<string, unknown>;
type Env = Readonly<Record<string, string | undefined>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bake blocks as read from every file, before evaluation. A target may be defined by several blocks. */
export interface RawBake {
  readonly variables: Map<string, Obj>;
  readonly functions: Map<string, Obj>;
  readonly groups: Map<string, Obj>;
  readonly targets: Map<string, Obj[]>;
}

/** Attributes buildx's `Target.Merge` merges key by key (a null value leaves the earlier one). */
export const MAP_ATTRIBUTES: ReadonlySet<string> = new Set(['args', 'labels', 'contexts', 'extra-hosts']);
/** Attributes `Target.Merge` appends to; every other attribute is replaced by the later definition. */
const LIST_ATTRIBUTES = new Set(['annotations', 'attest', 'cache-from', 'entitlements', 'inherits', 'no-cache-filter', 'policy', 'secret', 'ssh', 'ulimits']);

const dedupe = <T>(list: readonly T[]): T[] => {
  const seen = new Set<string>();
  return list.filter((v) => {
    const key = JSON.stringify(v);
    return seen.has(key) ? false : (seen.add(key), true);
  });
};

/** `later` merged into `earlier` as buildx's `Target.Merge` does, for a target defined again and for `inherits`. */
function mergeTarget(earlier: Obj, later: Obj): Obj {
  const out: Obj = { ...earlier };
  for (const [key, value] of Object.entries(later)) {
    if (value === null || value === undefined) continue;
    if (MAP_ATTRIBUTES.has(key) && isObj(value)) {
      const merged: Obj = isObj(out[key]) ? { ...out[key] } : {};
      for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) merged[k] = v;
      out[key] = merged;
    } else if (LIST_ATTRIBUTES.has(key) && Array.isArray(value)) {
      out[key] = dedupe([...(Array.isArray(out[key]) ? out[key] : []), ...value]);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const HINT = 'check it with: docker buildx bake --print; argots evaluates HCL expressions and the functions buildx ships';

function evalError(subject: string, e: unknown): RuntimeError {
  if (e instanceof HclEvalError || e instanceof HclSyntaxError) {
    const unknownFn = /unknown function "([^"]+)"/.exec(e.message)?.[1];
    return new RuntimeError('RUN827', `${subject} could not be evaluated: ${e.message}`, {
      hint: unknownFn ? `buildx's functions are: ${HCL_FUNCTION_NAMES.join(', ')}; or define it with function "${unknownFn}" { params = [...] result = ... }` : HINT,
    });
  }
  return e as RuntimeError;
}

/** `"${name}"`, as hcl2json gives a bare name (a function parameter, a variable type). */
function bareName(v: unknown): string | undefined {
  return typeof v === 'string' ? /^\$\{\s*([A-Za-z_][A-Za-z0-9_-]*(?:\(\s*[A-Za-z_]+\s*\))?)\s*\}$/.exec(v)?.[1] : undefined;
}

/** Go's `strconv.ParseBool`. */
function parseBool(name: string, text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new RuntimeError('RUN827', `bake variable "${name}" is a boolean, but the environment gives "${text}"`, { hint: `set ${name} to true or false` });
}

/** An environment value converted as buildx converts it: to the declared type, else to the default's type. */
function fromEnvironment(name: string, text: string, type: string | undefined, fallback: HclValue): HclValue {
  const kind = type ?? (typeof fallback === 'boolean' ? 'bool' : typeof fallback === 'number' ? 'number' : 'string');
  if (kind === 'bool') return parseBool(name, text);
  if (kind === 'number') {
    if (text.trim() === '' || !Number.isFinite(Number(text))) {
      throw new RuntimeError('RUN827', `bake variable "${name}" is a number, but the environment gives "${text}"`, { hint: `set ${name} to a number` });
    }
    return Number(text);
  }
  if (/^(list|set|tuple)\(/.test(kind)) return text === '' ? [] : text.split(',').map((s) => s.trim());
  return text;
}

function builtins(): Map<string, HclValue> {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return new Map<string, HclValue>([
    ['BAKE_CMD_CONTEXT', '.'],
    ['BAKE_LOCAL_PLATFORM', `linux/${arch[process.arch] ?? process.arch}`],
  ]);
}

/** The evaluation context of a bake definition: its variables (resolved on first use) and functions. */
function globalContext(raw: RawBake, env: Env): HclContext {
  const values = new Map<string, HclValue>();
  const resolving: string[] = [];
  const builtin = builtins();
  const user = new Map<string, HclFunction>();
  const ctx: HclContext = {
    variable: (name) => {
      if (values.has(name)) return values.get(name);
      const body = raw.variables.get(name);
      if (!body) return builtin.get(name);
      if (resolving.includes(name)) throw new HclEvalError(`variable "${name}" refers to itself: ${[...resolving, name].join(' → ')}`);
      resolving.push(name);
      try {
        const d = body['default'];
        let fallback: HclValue;
        try {
          fallback = d === undefined ? '' : evaluateJsonValue(d, ctx);
        } catch (e) {
          if (e instanceof HclEvalError && !e.message.startsWith('variable "')) throw new HclEvalError(`variable "${name}": ${e.message}`);
          throw e;
        }
        const fromEnv = env[name];
        const type = bareName(body['type']);
        const value = fromEnv !== undefined ? fromEnvironment(name, fromEnv, type, fallback) : fallback;
        values.set(name, value);
        return value;
      } finally {
        resolving.pop();
      }
    },
    names: () => [...raw.variables.keys(), ...builtin.keys()],
    fn: (name) => user.get(name) ?? hclFunction(name),
  };
  for (const [name, body] of raw.functions) user.set(name, userFunction(name, body, ctx));
  return ctx;
}

/** A `function` block (hcl `ext/userfunc`): its parameters in scope over the global variables, `result` evaluated. */
function userFunction(name: string, body: Obj, global: HclContext): HclFunction {
  const params = Array.isArray(body['params']) ? body['params'].map(bareName) : undefined;
  const variadic = body['variadic_params'] === undefined ? undefined : bareName(body['variadic_params']);
  if (!params || params.some((p) => p === undefined) || (body['variadic_params'] !== undefined && variadic === undefined)) {
    throw new RuntimeError('RUN821', `bake function "${name}": "params" must be a list of parameter names`, { hint: `write it like function "${name}" { params = [a, b] result = ... }` });
  }
  if (!('result' in body)) throw new RuntimeError('RUN821', `bake function "${name}" has no "result"`, { hint: `write it like function "${name}" { params = [a] result = "\${a}" }` });
  const names = params as string[];
  return (args) => {
    if (args.length < names.length || (variadic === undefined && args.length > names.length)) {
      throw new HclEvalError(`takes ${variadic === undefined ? '' : 'at least '}${names.length} argument(s) (${[...names, ...(variadic ? [`${variadic}...`] : [])].join(', ')}), received ${args.length}`);
    }
    const locals = new Map<string, HclValue>(names.map((p, i) => [p, args[i] ?? null]));
    if (variadic !== undefined) locals.set(variadic, args.slice(names.length));
    const ctx: HclContext = {
      variable: (n) => (locals.has(n) ? locals.get(n) : global.variable(n)),
      names: () => [...locals.keys(), ...global.names()],
      fn: global.fn,
    };
    return evaluateJsonValue(body['result'], ctx);
  };
}

function withLocals(ctx: HclContext, locals: ReadonlyMap<string, HclValue>): HclContext {
  return {
    variable: (n) => (locals.has(n) ? locals.get(n) : ctx.variable(n)),
    names: () => [...locals.keys(), ...ctx.names()],
    fn: ctx.fn,
  };
}

/** Every combination of the matrix values, in buildx's order (the first key varies slowest). */
function combinations(matrix: { readonly [key: string]: HclValue }): Map<string, HclValue>[] {
  let combos: Map<string, HclValue>[] = [new Map()];
  for (const [key, values] of Object.entries(matrix)) {
    const list = isList(values) ? values : [values];
    combos = combos.flatMap((c) => list.map((v) => new Map([...c, [key, v]])));
  }
  return combos;
}

/** One target block's attributes evaluated (`matrix` and `name` excluded). */
function evaluateBlock(name: string, body: Obj, ctx: HclContext): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'matrix' || key === 'name') continue;
    try {
      out[key] = evaluateJsonValue(value, ctx);
    } catch (e) {
      throw evalError(`bake target "${name}": "${key}"`, e);
    }
  }
  return out;
}

interface Evaluated {
  /** Every target by its final name (matrix instances by their generated names), blocks merged. */
  readonly targets: Map<string, Obj>;
  /** A target block's name → the names it produced (itself, or its matrix instances). */
  readonly instances: Map<string, string[]>;
}

function evaluateTargets(raw: RawBake, ctx: HclContext): Evaluated {
  const targets = new Map<string, Obj>();
  const instances = new Map<string, string[]>();
  const add = (block: string, name: string, value: Obj): void => {
    targets.set(name, mergeTarget(targets.get(name) ?? {}, value));
    const list = instances.get(block) ?? [];
    if (!list.includes(name)) list.push(name);
    instances.set(block, list);
  };
  for (const [name, bodies] of raw.targets) {
    for (const body of bodies) {
      if (body['matrix'] === undefined || body['matrix'] === null) {
        add(name, name, evaluateBlock(name, body, ctx));
        continue;
      }
      let matrix: HclValue;
      try {
        matrix = evaluateJsonValue(body['matrix'], ctx);
      } catch (e) {
        throw evalError(`bake target "${name}": "matrix"`, e);
      }
      if (!isMap(matrix) || !Object.values(matrix).every(isList)) {
        throw new RuntimeError('RUN821', `bake target "${name}": "matrix" must be a map of names to lists of values, received ${typeName(matrix)}`, {
          hint: 'write it like matrix = { queue = ["email", "billing"] }',
        });
      }
      for (const combo of combinations(matrix)) {
        const local = withLocals(ctx, combo);
        let instance: string;
        try {
          instance = body['name'] === undefined
            ? `${name}-${[...combo.values()].map((v) => asString(v, 'a matrix value')).join('-')}`
            : asString(evaluateJsonValue(body['name'], local), 'the name');
        } catch (e) {
          throw evalError(`bake target "${name}": "name"`, e);
        }
        if (!/^[a-zA-Z0-9_-]+$/.test(instance)) {
          throw new RuntimeError('RUN821', `bake target "${name}": the matrix gives the name "${instance}", which is not a valid target name`, {
            hint: 'names may hold letters, digits, "_" and "-"; use sanitize(...) in "name"',
          });
        }
        add(name, instance, evaluateBlock(instance, body, local));
      }
    }
  }
  return { targets, instances };
}

/** A target with its `inherits` resolved: parents merged in order, then the target itself (buildx's `Config.target`). */
function expandTarget(ev: Evaluated, name: string, seen: readonly string[]): Obj {
  if (seen.includes(name)) {
    throw new RuntimeError('RUN822', `bake target "${name}" inherits from itself: ${[...seen, name].join(' → ')}`, { hint: 'remove the cycle from "inherits"' });
  }
  const body = ev.targets.get(name);
  if (!body) {
    throw new RuntimeError('RUN823', `bake target "${name}" is not defined; expected one of: ${[...ev.targets.keys()].map((k) => `"${k}"`).join(', ')}`, {
      hint: `define target "${name}" in a bake file, or remove it from the "inherits" that names it`,
    });
  }
  const inherits = body['inherits'];
  if (inherits !== undefined && !(Array.isArray(inherits) && inherits.every((p) => typeof p === 'string'))) {
    throw new RuntimeError('RUN821', `bake target "${seen[seen.length - 1] ?? name}": "inherits" must be a list of target names, received ${typeName(inherits as HclValue)}`, { hint: 'write it like inherits = ["_common"]' });
  }
  let parents: Obj = {};
  for (const parent of inherits ?? []) parents = mergeTarget(parents, expandTarget(ev, parent, [...seen, name]));
  const { inherits: _own, ...rest } = mergeTarget(parents, body);
  return rest;
}

function stringList(name: string, key: string, v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) {
    throw new RuntimeError('RUN821', `bake target "${name}": "${key}" must be a list of strings, received ${typeName(v as HclValue)}${typeof v === 'string' ? ` ("${v.slice(0, 40)}")` : ''}`, {
      hint: `write it like ${key} = ["...", "..."], or make the expression give a list (split(",", ...))`,
    });
  }
  return dedupe(v.map((x) => asString(x, `an element of "${key}"`)));
}

function toTarget(name: string, body: Obj): BakeTarget {
  const { context, dockerfile, target, tags, platforms, args, ...rest } = body;
  const str = (key: string, v: unknown): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new RuntimeError('RUN821', `bake target "${name}": "${key}" must be a string, received ${typeName(v as HclValue)}`, { hint: `write it like ${key} = "..."` });
    return v;
  };
  if (args !== undefined && args !== null && !(isObj(args) && Object.values(args).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)))) {
    throw new RuntimeError('RUN821', `bake target "${name}": "args" must be a map of names to strings, received ${typeName(args as HclValue)}`, { hint: 'write it like args = { NAME = "value" }' });
  }
  const t = str('target', target);
  const d = str('dockerfile', dockerfile);
  return {
    name,
    context: str('context', context) ?? '.',
    dockerfile: d !== undefined && d !== '' ? d : 'Dockerfile',
    ...(t !== undefined ? { target: t } : {}),
    // buildx's Target.normalize drops repeated tags and platforms.
    tags: stringList(name, 'tags', tags),
    platforms: stringList(name, 'platforms', platforms),
    // A null arg (a variable with default = null) is left out: the Dockerfile's ARG default applies.
    args: isObj(args) ? Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null).map(([k, v]) => [k, asString(v as HclValue, `args.${k}`)])) : {},
    attributes: rest,
  };
}

/** The targets of a group (or a target name), resolved and evaluated. */
export function resolveBake(raw: RawBake, env: Env): (group: string) => BakeTarget[] {
  let evaluated: Evaluated | undefined;
  return (group) => {
    const ctx = globalContext(raw, env);
    evaluated ??= evaluateTargets(raw, ctx);
    const ev = evaluated;
    const out: BakeTarget[] = [];
    const seen = new Set<string>();
    const visit = (name: string, path: readonly string[]): void => {
      if (path.includes(name)) {
        throw new RuntimeError('RUN824', `bake group "${name}" contains itself: ${[...path, name].join(' → ')}`, {
          hint: `remove "${name}" from the "targets" of "${path[path.length - 1] ?? name}" to break the cycle`,
        });
      }
      const g = raw.groups.get(name);
      if (g) {
        let targets: HclValue;
        try {
          targets = evaluateJsonValue(g['targets'], ctx);
        } catch (e) {
          throw evalError(`bake group "${name}": "targets"`, e);
        }
        if (!isList(targets) || !targets.every((t) => typeof t === 'string')) {
          throw new RuntimeError('RUN821', `bake group "${name}": "targets" must be a list of target or group names, received ${typeName(targets)}`, { hint: `write it like group "${name}" { targets = ["api", "web"] }` });
        }
        for (const t of targets as string[]) visit(t, [...path, name]);
        return;
      }
      const names = ev.instances.get(name) ?? (ev.targets.has(name) ? [name] : undefined);
      if (!names) {
        throw new RuntimeError('RUN823', `bake ${path.length ? `group "${path[path.length - 1]}" names` : 'has no group or target'} "${name}"${path.length ? ', which is not defined' : ''}; groups: ${[...raw.groups.keys()].map((k) => `"${k}"`).join(', ') || '(none)'}; targets: ${[...ev.targets.keys()].map((k) => `"${k}"`).join(', ') || '(none)'}`, {
          hint: 'pass an existing group, or define a "default" group',
        });
      }
      for (const n of names) {
        if (seen.has(n)) continue;
        seen.add(n);
        out.push(toTarget(n, expandTarget(ev, n, [])));
      }
    };
    visit(group, []);
    return out;
  };
}
