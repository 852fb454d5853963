/**
 * Reads `docker buildx bake` definitions the way bake does (docker/buildx `bake/bake.go`, `bake/compose.go`,
 * `bake/hclparser`): every default file that exists, in bake's order. Compose files are first interpolated
 * from the environment (compose's `${VAR:-default}` rules, each file before the merge), then merged into one
 * Compose project (services by name, `build.args` by key, lists appended, scalars replaced) and only services
 * with `build:` become targets, in a `default` group. HCL (parsed by @cdktf/hcl2json) and JSON files follow:
 * a target defined again is merged into the earlier one like buildx's `Target.Merge` (map attributes such as
 * `args` key by key, list attributes such as `cache-from` appended, everything else replaced); a group or a
 * variable defined again replaces the earlier one. Resolves a group's targets: nested groups, `inherits`
 * (merged the same way; entries may use variables), `matrix` (names from `name`; values may be maps, read
 * with `${item.key}`), and `${VAR}` from variable defaults (overridden by the environment, as bake does),
 * with HCL's `$${` and `%%{` escapes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import { RuntimeError } from '../runtime-error.js';
import { ComposeInterpolationError, interpolateCompose } from './_internal/compose-interpolation.js';
import { DotEnvError, parseDotEnv } from './_internal/dot-env.js';

/** Bake's default files, in the order bake reads and merges them. */
export const BAKE_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
  'docker-bake.json',
  'docker-bake.hcl',
  'docker-bake.override.json',
  'docker-bake.override.hcl',
] as const;

export interface BakeTarget {
  readonly name: string;
  readonly context: string;
  readonly dockerfile: string;
  readonly target?: string;
  readonly tags: readonly string[];
  readonly platforms: readonly string[];
  readonly args: Readonly<Record<string, string>>;
  /** Every other attribute, resolved. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface BakeDefinition {
  /** Files read, in merge order (relative to the folder). */
  readonly files: readonly string[];
  readonly targetsOf: (group: string) => BakeTarget[];
}

type Obj = Record<string, unknown>;
type Env = Readonly<Record<string, string | undefined>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
/** A whole `${...}` expression: its type is only known once evaluated, so its shape is not checked. */
const isExpression = (v: unknown): boolean => typeof v === 'string' && /^\$\{[^}]*\}$/.test(v.trim());
const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : isObj(v) ? 'a mapping' : `a ${typeof v} (${JSON.stringify(v)?.slice(0, 40)})`;
const dedupe = <T>(list: readonly T[]): T[] => {
  const seen = new Set<string>();
  return list.filter((v) => {
    const key = JSON.stringify(v);
    return seen.has(key) ? false : (seen.add(key), true);
  });
};

interface Raw {
  variables: Map<string, Obj>;
  groups: Map<string, Obj>;
  targets: Map<string, Obj>;
}

/** Attributes buildx's `Target.Merge` merges key by key (a null value leaves the earlier one). */
const MAP_ATTRIBUTES = new Set(['args', 'labels', 'contexts', 'extra-hosts']);
/** Attributes `Target.Merge` appends to; every other attribute is replaced by the later definition. */
const LIST_ATTRIBUTES = new Set(['annotations', 'attest', 'cache-from', 'entitlements', 'inherits', 'no-cache-filter', 'policy', 'secret', 'ssh', 'ulimits']);

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

// ---------------------------------------------------------------------------------------------- errors

function composeError(file: string, message: string): RuntimeError {
  return new RuntimeError('RUN820', `"${file}": ${message}`, {
    hint: `bake reads services with "build:" from it; check it with: docker compose -f ${file} config`,
  });
}

/** `message` follows the quoted file name: `: target "api": ...` or ` could not be parsed ...`. */
function bakeError(file: string, message: string, hint?: string): RuntimeError {
  return new RuntimeError('RUN821', `bake file "${file}"${message}`, { hint: hint ?? `check it with: docker buildx bake --print -f ${file}` });
}

/** `line L, column C: what` from hcl2json's `parse config: [file:L,C-C: what]`. */
function hclProblem(e: unknown): string {
  const raw = (e instanceof Error ? e.message : String(e)).trim();
  const inner = /^parse config: \[([\s\S]*)\]$/.exec(raw)?.[1] ?? raw;
  const first = inner.split('\n')[0] ?? inner;
  const at = /:(\d+),(\d+)(?:-\d+)?: ([\s\S]*)$/.exec(first);
  return at ? `line ${at[1]}, column ${at[2]}: ${at[3]}` : first;
}

/** `line L, column C: what` from `JSON.parse`'s `what in JSON at position N`. */
function jsonProblem(e: unknown, text: string): string {
  const message = e instanceof Error ? e.message : String(e);
  const pos = /at position (\d+)/.exec(message);
  const what = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  if (!pos) return what;
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  return `line ${line}, column ${before.length - before.lastIndexOf('\n')}: ${what}`;
}

// ---------------------------------------------------------------------------------------------- compose

interface ComposeService {
  readonly image?: string;
  readonly build?: Obj;
}

function composeArgs(file: string, at: string, args: unknown): Obj {
  if (isObj(args)) {
    for (const [k, v] of Object.entries(args)) if (!isScalar(v)) throw composeError(file, `${at}.${k} must be a string, received ${describe(v)}`);
    return args;
  }
  if (isStringList(args)) {
    return Object.fromEntries(args.map((a) => (a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, null])));
  }
  throw composeError(file, `${at} must be a mapping (NAME: value) or a list ("NAME=value"), received ${describe(args)}`);
}

/**
 * One compose file's services, interpolated from `env` (per file, before the merge, as compose does), with
 * `build` as a mapping (a string is its context) and `build.args` as a mapping.
 */
function composeServices(file: string, text: string, env: Env): Map<string, ComposeService> {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw composeError(file, `is not valid YAML: ${((e as Error).message.split('\n')[0] ?? '').replace(/:\s*$/, '')}`);
  }
  try {
    doc = interpolateCompose(doc, env);
  } catch (e) {
    if (!(e instanceof ComposeInterpolationError)) throw e;
    throw new RuntimeError('RUN820', `"${file}": ${e.message}`, {
      hint: e.variable ? `set ${e.variable} in the step's environment, or give it a default: \${${e.variable}:-value}` : 'write $$ for a literal $ in a Compose file',
    });
  }
  const out = new Map<string, ComposeService>();
  if (doc === null || doc === undefined) return out;
  if (!isObj(doc)) throw composeError(file, `expected a Compose file (a mapping with "services"), received ${describe(doc)}`);
  const services = doc['services'];
  if (services === undefined || services === null) return out;
  if (!isObj(services)) throw composeError(file, `"services" must be a mapping of service names to services, received ${describe(services)}`);
  for (const [name, s] of Object.entries(services)) {
    const at = `services.${name}`;
    if (s === null) {
      out.set(name, {});
      continue;
    }
    if (!isObj(s)) throw composeError(file, `${at} must be a mapping, received ${describe(s)}`);
    if (s['image'] !== undefined && typeof s['image'] !== 'string') throw composeError(file, `${at}.image must be an image reference, received ${describe(s['image'])}`);
    const b = s['build'];
    let build: Obj | undefined;
    if (typeof b === 'string') build = { context: b };
    else if (isObj(b)) {
      build = { ...b };
      for (const key of ['context', 'dockerfile', 'target']) {
        if (build[key] !== undefined && typeof build[key] !== 'string') throw composeError(file, `${at}.build.${key} must be a string, received ${describe(build[key])}`);
      }
      for (const key of ['platforms', 'tags']) {
        if (build[key] !== undefined && !isStringList(build[key])) throw composeError(file, `${at}.build.${key} must be a list of strings, received ${describe(build[key])}`);
      }
      if (build['args'] !== undefined && build['args'] !== null) build['args'] = composeArgs(file, `${at}.build.args`, build['args']);
    } else if (b !== undefined && b !== null) {
      throw composeError(file, `${at}.build must be a build context path or a mapping (context, dockerfile, args, ...), received ${describe(b)}`);
    }
    out.set(name, { ...(typeof s['image'] === 'string' ? { image: s['image'] } : {}), ...(build ? { build } : {}) });
  }
  return out;
}

/** Compose's merge of a later file into an earlier one (compose-go `override/merge.go`): mappings by key, lists appended, scalars replaced. */
function mergeCompose(earlier: unknown, later: unknown): unknown {
  if (later === null || later === undefined) return earlier;
  if (isObj(earlier) && isObj(later)) {
    const out: Obj = { ...earlier };
    for (const [k, v] of Object.entries(later)) out[k] = k in out ? mergeCompose(out[k], v) : v;
    return out;
  }
  if (Array.isArray(earlier) && Array.isArray(later)) return dedupe([...earlier, ...later]);
  return later;
}

/** The bake targets of the compose files, merged as one Compose project, and the files that contribute to them. */
function composeDefinition(files: readonly { file: string; text: string }[], env: Env): { raw: Raw; files: string[] } {
  const services = new Map<string, { service: ComposeService; files: string[] }>();
  for (const { file, text } of files) {
    for (const [name, s] of composeServices(file, text, env)) {
      const prev = services.get(name);
      services.set(name, prev ? { service: mergeCompose(prev.service, s) as ComposeService, files: [...prev.files, file] } : { service: s, files: [file] });
    }
  }
  const raw: Raw = { variables: new Map(), groups: new Map(), targets: new Map() };
  const used = new Set<string>();
  for (const [name, { service, files: from }] of services) {
    const build = service.build;
    if (!build) continue; // only services that build count
    const t: Obj = {};
    for (const key of ['context', 'dockerfile', 'target', 'platforms']) if (build[key] !== undefined) t[key] = build[key];
    if (isObj(build['args'])) {
      // A name without a value takes it from the environment, or is left out (buildx: `Args.Resolve`, then `flatten`).
      const args = Object.entries(build['args']).map(([k, v]) => [k, v === null ? env[k] : String(v)] as const);
      t['args'] = Object.fromEntries(args.filter(([, v]) => v !== undefined));
    }
    const tags = isStringList(build['tags']) ? build['tags'] : [];
    if (tags.length > 0) t['tags'] = tags;
    else if (service.image !== undefined) t['tags'] = [service.image];
    raw.targets.set(name, escapeTemplate(t) as Obj); // already interpolated: literal text for the HCL pass
    for (const f of from) used.add(f);
  }
  if (raw.targets.size > 0) raw.groups.set('default', { targets: [...raw.targets.keys()] });
  return { raw, files: files.map((f) => f.file).filter((f) => used.has(f)) };
}

// ---------------------------------------------------------------------------------------------- HCL and JSON

const TARGET_STRINGS = ['context', 'dockerfile', 'dockerfile-inline', 'target', 'name', 'description'];
const TARGET_STRING_LISTS = ['tags', 'platforms', 'inherits'];

function checkTarget(file: string, name: string, body: Obj): void {
  const wrong = (key: string, expected: string, example: string): RuntimeError =>
    bakeError(file, `: target "${name}": "${key}" must be ${expected}, received ${describe(body[key])}`, `write it like ${key} = ${example}`);
  for (const key of TARGET_STRINGS) {
    if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string') throw wrong(key, 'a string', '"..."');
  }
  for (const key of TARGET_STRING_LISTS) {
    const v = body[key];
    if (v !== undefined && v !== null && !isStringList(v) && !isExpression(v)) throw wrong(key, 'a list of strings', '["...", "..."]');
  }
  for (const key of MAP_ATTRIBUTES) {
    const v = body[key];
    if (v === undefined || v === null || isExpression(v)) continue;
    if (!isObj(v) || !Object.values(v).every(isScalar)) throw wrong(key, 'a map of names to strings', '{ NAME = "value" }');
  }
  const matrix = body['matrix'];
  if (matrix !== undefined && !isExpression(matrix) && !(isObj(matrix) && Object.values(matrix).every((v) => Array.isArray(v) || isExpression(v)))) {
    throw wrong('matrix', 'a map of names to lists of values', '{ queue = ["email", "billing"] }');
  }
}

/** The `(name, body)` pairs of one block type, in file order. hcl2json gives every block as a list of bodies. */
function bodiesOf(file: string, kind: 'target' | 'group' | 'variable', section: unknown, hcl: boolean): [string, Obj][] {
  if (section === undefined) return [];
  const shape = `${kind} "name" { ... }`;
  if (!isObj(section)) throw bakeError(file, `: expected ${kind} blocks (${shape}), received ${describe(section)} under "${kind}"`, `give every ${kind} a name: ${shape}`);
  const out: [string, Obj][] = [];
  for (const [name, value] of Object.entries(section)) {
    if (hcl && !Array.isArray(value)) throw bakeError(file, `: ${kind} "${name}" has more than one label; a ${kind} block takes one name`, `write it as ${shape}`);
    for (const body of Array.isArray(value) ? value : [value]) {
      if (!isObj(body)) throw bakeError(file, `: ${kind} "${name}" must be a block of attributes, received ${describe(body)}`, `write it as ${shape}`);
      if (kind === 'target') checkTarget(file, name, body);
      if (kind === 'group' && !isStringList(body['targets'])) {
        throw bakeError(file, `: group "${name}": "targets" must be a list of target or group names, received ${body['targets'] === undefined ? 'nothing' : describe(body['targets'])}`, `write it like group "${name}" { targets = ["api", "web"] }`);
      }
      out.push([name, body]);
    }
  }
  return out;
}

async function bakeFileDefinition(file: string, text: string): Promise<{ variables: [string, Obj][]; groups: [string, Obj][]; targets: [string, Obj][] }> {
  const hcl = file.endsWith('.hcl');
  let parsed: unknown;
  try {
    parsed = hcl ? await parseHcl(file, text) : JSON.parse(text);
  } catch (e) {
    const problem = hcl ? hclProblem(e) : jsonProblem(e, text);
    throw bakeError(file, ` could not be parsed as ${hcl ? 'HCL' : 'JSON'}: ${problem}`, `fix the syntax there; check it with: docker buildx bake --print -f ${file}`);
  }
  if (!isObj(parsed)) throw bakeError(file, `: expected an object with "target", "group" and "variable" entries, received ${describe(parsed)}`);
  return {
    variables: bodiesOf(file, 'variable', parsed['variable'], hcl),
    groups: bodiesOf(file, 'group', parsed['group'], hcl),
    targets: bodiesOf(file, 'target', parsed['target'], hcl),
  };
}

// ---------------------------------------------------------------------------------------------- reading

function readText(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (e) {
    throw new RuntimeError('RUN821', `bake file "${file}" could not be read: ${(e as Error).message}`, { hint: 'it must be a readable file' });
  }
}

/**
 * What Compose files are interpolated from: the step's environment, over the variables of a `.env` file in
 * the folder (buildx reads it as compose does; a variable already set wins).
 */
function composeEnvironment(dir: string, env: Env): Env {
  if (!existsSync(join(dir, DOT_ENV))) return env;
  try {
    return { ...parseDotEnv(readText(dir, DOT_ENV), env), ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) };
  } catch (e) {
    if (!(e instanceof DotEnvError)) throw e;
    throw new RuntimeError('RUN820', `"${DOT_ENV}" (read for the Compose files): ${e.message}`, {
      hint: 'write one KEY=value per line; quote values that hold spaces or a #',
    });
  }
}

const DOT_ENV = '.env';

/** Reads the bake files present in `dir` (none: `undefined`). Compose files without a building service do not count. */
export async function readBakeDefinition(dir: string, env: Env = {}): Promise<BakeDefinition | undefined> {
  const present = BAKE_FILES.filter((f) => existsSync(join(dir, f)));
  const composeFiles = present.filter((f) => !f.includes('bake'));
  const compose = composeDefinition(
    composeFiles.map((file) => ({ file, text: readText(dir, file) })),
    composeFiles.length > 0 ? composeEnvironment(dir, env) : env,
  );
  const merged = compose.raw;
  const files = [...compose.files];
  for (const file of present.filter((f) => f.includes('bake'))) {
    const defs = await bakeFileDefinition(file, readText(dir, file));
    files.push(file);
    for (const [name, body] of defs.variables) merged.variables.set(name, body); // redeclared: replaced
    for (const [name, body] of defs.groups) merged.groups.set(name, body); // buildx's Group has no Merge: replaced
    for (const [name, body] of defs.targets) merged.targets.set(name, mergeTarget(merged.targets.get(name) ?? {}, body));
  }
  if (files.length === 0) return undefined;
  const vars = resolveVariables(merged.variables, env);
  return { files, targetsOf: (group) => resolveGroup(merged, vars, group) };
}

// ---------------------------------------------------------------------------------------------- resolution

/** Names in scope for `${...}`: variables, and a matrix instance's values (which may be maps). */
interface Scope {
  has(name: string): boolean;
  get(name: string): unknown;
}

/** `VAR`, `item.tgt`, `item["tgt"]`, `list[0]`: a name followed by attribute and index steps. */
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\s*\.\s*[A-Za-z_][A-Za-z0-9_-]*|\s*\[\s*(?:"[^"]*"|\d+)\s*\])*)$/;
const STEP = /\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*(?:"([^"]*)"|(\d+))\s*\]/g;

/** The text of a `${...}` reference, or undefined when it is anything else (a function call) or names nothing. */
function lookup(expr: string, scope: Scope): string | undefined {
  const m = REFERENCE.exec(expr.trim());
  if (!m || !scope.has(m[1] ?? '')) return undefined;
  let value = scope.get(m[1] ?? '');
  for (const step of (m[2] ?? '').matchAll(STEP)) {
    const key = step[1] ?? step[2] ?? Number(step[3]);
    value = Array.isArray(value) && typeof key === 'number' ? value[key] : isObj(value) && typeof key === 'string' ? value[key] : undefined;
  }
  return value !== null && value !== undefined && isScalar(value) ? String(value) : undefined;
}

/** The index of the `}` closing a `${` whose expression starts at `from` (braces and quoted strings counted); -1 if none. */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  let quoted = false;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * An HCL template string rendered once: `${ref}` from `scope` (an expression it cannot evaluate, such as a
 * function call, is left as written), and HCL's escapes `$${` and `%%{` read as the literal `${` and `%{`.
 */
function renderTemplate(s: string, scope: Scope): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s.startsWith('$${', i) || s.startsWith('%%{', i)) {
      out += `${s.charAt(i)}{`;
      i += 3;
    } else if (s.startsWith('${', i)) {
      const end = closingBrace(s, i + 2);
      if (end < 0) return out + s.slice(i);
      out += lookup(s.slice(i + 2, end), scope) ?? s.slice(i, end + 1);
      i = end + 1;
    } else {
      out += s.charAt(i);
      i++;
    }
  }
  return out;
}

function interpolate(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return renderTemplate(value, scope);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, scope));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, scope)]));
  return value;
}

/** Literal text (already interpolated, from a Compose file) escaped so that `renderTemplate` gives it back unchanged. */
function escapeTemplate(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/([$%])\{/g, '$1$1{');
  if (Array.isArray(value)) return value.map(escapeTemplate);
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeTemplate(v)]));
  return value;
}

/**
 * Each variable's value: the environment's (literal text), else its default rendered once, which may refer to
 * other variables (in any order and depth; a reference in a cycle is left as written).
 */
function resolveVariables(variables: Map<string, Obj>, env: Env): Map<string, unknown> {
  const vars = new Map<string, unknown>();
  const resolving = new Set<string>();
  const scope: Scope = { has: (name) => variables.has(name) && !resolving.has(name), get: (name) => resolve(name) };
  const resolve = (name: string): unknown => {
    if (vars.has(name)) return vars.get(name);
    const body = variables.get(name);
    if (!body || resolving.has(name)) return undefined;
    resolving.add(name);
    const fromEnv = env[name];
    const d = body['default'];
    const value = fromEnv !== undefined ? fromEnv : d === undefined || d === null ? '' : interpolate(d, scope);
    resolving.delete(name);
    vars.set(name, value);
    return value;
  };
  for (const name of variables.keys()) resolve(name);
  return vars;
}

/** A target with its `inherits` resolved: parents merged in order, then the target itself (buildx's `Config.target`). */
function expandTarget(raw: Raw, vars: Scope, name: string, seen: readonly string[]): Obj {
  if (seen.includes(name)) {
    throw new RuntimeError('RUN822', `bake target "${name}" inherits from itself: ${[...seen, name].join(' → ')}`, { hint: 'remove the cycle from "inherits"' });
  }
  const body = raw.targets.get(name);
  if (!body) {
    throw new RuntimeError('RUN823', `bake target "${name}" is not defined; expected one of: ${[...raw.targets.keys()].map((k) => `"${k}"`).join(', ')}`, {
      hint: `define target "${name}" in a bake file, or remove it from the "inherits" that names it`,
    });
  }
  let parents: Obj = {};
  const inherits = body['inherits'];
  for (const parent of Array.isArray(inherits) ? inherits : []) {
    // Entries may use variables: inherits = ["${BASE}"].
    if (typeof parent === 'string') parents = mergeTarget(parents, expandTarget(raw, vars, renderTemplate(parent, vars), [...seen, name]));
  }
  const { inherits: _own, ...rest } = mergeTarget(parents, body);
  return rest;
}

/** Every combination of the matrix values; a value may be a map, read with `${item.key}`. */
function matrixCombinations(matrix: Obj): Map<string, unknown>[] {
  let combos: Map<string, unknown>[] = [new Map()];
  for (const [key, values] of Object.entries(matrix)) {
    const list: unknown[] = Array.isArray(values) ? values : [values];
    combos = combos.flatMap((c) => list.map((v) => new Map([...c, [key, isObj(v) || Array.isArray(v) ? v : String(v)]])));
  }
  return combos;
}

function toTarget(name: string, body: Obj, vars: Scope): BakeTarget {
  const resolved = interpolate(body, vars) as Obj;
  const { context, dockerfile, target, tags, platforms, args, matrix: _m, name: _n, ...rest } = resolved;
  return {
    name,
    context: typeof context === 'string' ? context : '.',
    dockerfile: typeof dockerfile === 'string' && dockerfile !== '' ? dockerfile : 'Dockerfile',
    ...(typeof target === 'string' ? { target } : {}),
    // buildx's Target.normalize drops repeated tags and platforms.
    tags: Array.isArray(tags) ? dedupe(tags.map(String)) : [],
    platforms: Array.isArray(platforms) ? dedupe(platforms.map(String)) : [],
    args: isObj(args) ? Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)])) : {},
    attributes: rest,
  };
}

function instances(raw: Raw, vars: Scope, name: string): BakeTarget[] {
  const body = expandTarget(raw, vars, name, []);
  const matrix = body['matrix'];
  if (!isObj(matrix)) return [toTarget(name, body, vars)];
  return matrixCombinations(matrix).map((combo) => {
    const local: Scope = { has: (n) => combo.has(n) || vars.has(n), get: (n) => (combo.has(n) ? combo.get(n) : vars.get(n)) };
    const n = typeof body['name'] === 'string' ? renderTemplate(body['name'], local) : `${name}-${[...combo.values()].map(String).join('-')}`;
    return toTarget(n, body, local);
  });
}

function resolveGroup(raw: Raw, vars: Scope, group: string): BakeTarget[] {
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
      const targets = g['targets'];
      for (const t of Array.isArray(targets) ? targets : []) if (typeof t === 'string') visit(renderTemplate(t, vars), [...path, name]);
      return;
    }
    if (!raw.targets.has(name)) {
      throw new RuntimeError('RUN823', `bake ${path.length ? `group "${path[path.length - 1]}" names` : 'has no group or target'} "${name}"${path.length ? ', which is not defined' : ''}; groups: ${[...raw.groups.keys()].map((k) => `"${k}"`).join(', ') || '(none)'}; targets: ${[...raw.targets.keys()].map((k) => `"${k}"`).join(', ') || '(none)'}`, {
        hint: 'pass an existing group, or define a "default" group',
      });
    }
    for (const t of instances(raw, vars, name)) {
      if (seen.has(t.name)) continue;
      seen.add(t.name);
      out.push(t);
    }
  };
  visit(group, []);
  return out;
}
