/**
 * Reads `docker buildx bake` definitions the way bake does (docker/buildx `bake/bake.go`, `bake/compose.go`,
 * `bake/hclparser`): every default file that exists, in bake's order. Compose files are first interpolated
 * from the environment (compose's `${VAR:-default}` rules, each file before the merge), then merged into one
 * Compose project (services by name, `build.args` by key, lists appended, scalars replaced) and only services
 * with `build:` become targets, in a `default` group. HCL (parsed by @cdktf/hcl2json) and JSON files follow:
 * a target defined again is merged into the earlier one like buildx's `Target.Merge` (map attributes such as
 * `args` key by key, list attributes such as `cache-from` appended, everything else replaced); a group or a
 * variable defined again replaces the earlier one (a `function` too). Evaluation and group resolution —
 * HCL expressions, buildx's functions, user functions, matrices, `inherits` — are in
 * `_internal/bake-evaluation.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import { RuntimeError } from '../runtime-error.js';
import { ComposeInterpolationError, interpolateCompose } from './_internal/compose-interpolation.js';
import { DotEnvError, parseDotEnv } from './_internal/dot-env.js';
import { MAP_ATTRIBUTES, resolveBake } from './_internal/bake-evaluation.js';
import type { RawBake } from './_internal/bake-evaluation.js';

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
const isExpression = (v: unknown): boolean => typeof v === 'string' && v.includes('${');
const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : isObj(v) ? 'a mapping' : `a ${typeof v} (${JSON.stringify(v)?.slice(0, 40)})`;
const dedupe = <T>(list: readonly T[]): T[] => {
  const seen = new Set<string>();
  return list.filter((v) => {
    const key = JSON.stringify(v);
    return seen.has(key) ? false : (seen.add(key), true);
  });
};

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

/** Literal text (already interpolated, from a Compose file) escaped so that `renderTemplate` gives it back unchanged. */
function escapeTemplate(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/([$%])\{/g, '$1$1{');
  if (Array.isArray(value)) return value.map(escapeTemplate);
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeTemplate(v)]));
  return value;
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
function composeDefinition(files: readonly { file: string; text: string }[], env: Env): { raw: RawBake; files: string[] } {
  const services = new Map<string, { service: ComposeService; files: string[] }>();
  for (const { file, text } of files) {
    for (const [name, s] of composeServices(file, text, env)) {
      const prev = services.get(name);
      services.set(name, prev ? { service: mergeCompose(prev.service, s) as ComposeService, files: [...prev.files, file] } : { service: s, files: [file] });
    }
  }
  const raw: RawBake = { variables: new Map(), functions: new Map(), groups: new Map(), targets: new Map() };
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
    raw.targets.set(name, [escapeTemplate(t) as Obj]); // already interpolated: literal text for the HCL pass
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
function bodiesOf(file: string, kind: 'target' | 'group' | 'variable' | 'function', section: unknown, hcl: boolean): [string, Obj][] {
  if (section === undefined) return [];
  const shape = `${kind} "name" { ... }`;
  if (!isObj(section)) throw bakeError(file, `: expected ${kind} blocks (${shape}), received ${describe(section)} under "${kind}"`, `give every ${kind} a name: ${shape}`);
  const out: [string, Obj][] = [];
  for (const [name, value] of Object.entries(section)) {
    if (hcl && !Array.isArray(value)) throw bakeError(file, `: ${kind} "${name}" has more than one label; a ${kind} block takes one name`, `write it as ${shape}`);
    for (const body of Array.isArray(value) ? value : [value]) {
      if (!isObj(body)) throw bakeError(file, `: ${kind} "${name}" must be a block of attributes, received ${describe(body)}`, `write it as ${shape}`);
      if (kind === 'target') checkTarget(file, name, body);
      if (kind === 'group' && !isStringList(body['targets']) && !isExpression(body['targets'])) {
        throw bakeError(file, `: group "${name}": "targets" must be a list of target or group names, received ${body['targets'] === undefined ? 'nothing' : describe(body['targets'])}`, `write it like group "${name}" { targets = ["api", "web"] }`);
      }
      out.push([name, body]);
    }
  }
  return out;
}

async function bakeFileDefinition(file: string, text: string): Promise<{ variables: [string, Obj][]; functions: [string, Obj][]; groups: [string, Obj][]; targets: [string, Obj][] }> {
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
    functions: bodiesOf(file, 'function', parsed['function'], hcl),
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
    for (const [name, body] of defs.functions) merged.functions.set(name, body);
    // Each block is evaluated on its own, then merged into the earlier ones (buildx's Target.Merge).
    for (const [name, body] of defs.targets) merged.targets.set(name, [...(merged.targets.get(name) ?? []), body]);
  }
  if (files.length === 0) return undefined;
  return { files, targetsOf: resolveBake(merged, env) };
}

