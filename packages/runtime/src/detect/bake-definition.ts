/**
 * Reads `docker buildx bake` definitions the way bake does: every default file that exists, in bake's
 * order, merged (later files override attributes of same-named targets, groups and variables); HCL parsed
 * with a real HCL parser (@cdktf/hcl2json); compose files contributing only services that have `build:`.
 * Resolves a group's targets: nested groups, `inherits`, `matrix` (names from `name`), and `${VAR}`
 * interpolation from variable defaults (overridden by the environment, as bake does).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { parse as parseYaml } from 'yaml';
import { RuntimeError } from '../runtime-error.js';

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
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Raw {
  variables: Map<string, Obj>;
  groups: Map<string, Obj>;
  targets: Map<string, Obj>;
}

/** hcl2json gives each block as a list of bodies; JSON bake files give one object. Either way: merge them. */
function blocks(v: unknown): Map<string, Obj> {
  const out = new Map<string, Obj>();
  if (!isObj(v)) return out;
  for (const [name, body] of Object.entries(v)) {
    const bodies = Array.isArray(body) ? body : [body];
    const merged: Obj = {};
    for (const b of bodies) if (isObj(b)) Object.assign(merged, b);
    out.set(name, merged);
  }
  return out;
}

function mergeInto(into: Map<string, Obj>, from: Map<string, Obj>): void {
  for (const [name, body] of from) into.set(name, { ...(into.get(name) ?? {}), ...body });
}

function composeTargets(file: string, text: string): Raw {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new RuntimeError('RUN820', `"${file}" is not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  const raw: Raw = { variables: new Map(), groups: new Map(), targets: new Map() };
  const services = isObj(doc) && isObj(doc['services']) ? doc['services'] : {};
  const names: string[] = [];
  for (const [name, s] of Object.entries(services)) {
    if (!isObj(s) || s['build'] === undefined) continue; // only services that build count
    const build = s['build'];
    const t: Obj = {};
    if (typeof build === 'string') t['context'] = build;
    else if (isObj(build)) {
      if (typeof build['context'] === 'string') t['context'] = build['context'];
      if (typeof build['dockerfile'] === 'string') t['dockerfile'] = build['dockerfile'];
      if (typeof build['target'] === 'string') t['target'] = build['target'];
      if (isObj(build['args'])) t['args'] = build['args'];
      else if (Array.isArray(build['args'])) {
        t['args'] = Object.fromEntries(build['args'].filter((a): a is string => typeof a === 'string').map((a) => [a.split('=')[0] ?? a, a.slice(a.indexOf('=') + 1)]));
      }
      if (Array.isArray(build['platforms'])) t['platforms'] = build['platforms'];
    }
    if (typeof s['image'] === 'string') t['tags'] = [s['image']];
    raw.targets.set(name, t);
    names.push(name);
  }
  if (names.length > 0) raw.groups.set('default', { targets: names });
  return raw;
}

async function readFile(dir: string, file: string): Promise<Raw> {
  const text = readFileSync(join(dir, file), 'utf8');
  if (!file.includes('bake')) return composeTargets(file, text);
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : await parseHcl(file, text);
  } catch (e) {
    throw new RuntimeError('RUN821', `bake file "${file}" could not be parsed: ${String((e as Error).message ?? e).split('\n')[0] ?? ''}`, {
      hint: `check it with: docker buildx bake --print -f ${file}`,
    });
  }
  const o = isObj(parsed) ? parsed : {};
  return { variables: blocks(o['variable']), groups: blocks(o['group']), targets: blocks(o['target']) };
}

/** Reads the bake files present in `dir` (none: `undefined`). Compose files without a building service do not count. */
export async function readBakeDefinition(dir: string, env: Readonly<Record<string, string | undefined>> = {}): Promise<BakeDefinition | undefined> {
  const files: string[] = [];
  const merged: Raw = { variables: new Map(), groups: new Map(), targets: new Map() };
  for (const f of BAKE_FILES) {
    if (!existsSync(join(dir, f))) continue;
    const raw = await readFile(dir, f);
    if (!f.includes('bake') && raw.targets.size === 0) continue;
    files.push(f);
    mergeInto(merged.variables, raw.variables);
    mergeInto(merged.groups, raw.groups);
    mergeInto(merged.targets, raw.targets);
  }
  if (files.length === 0) return undefined;
  const vars = resolveVariables(merged.variables, env);
  return { files, targetsOf: (group) => resolveGroup(merged, vars, group) };
}

function interpolate(value: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, (m, name: string) => vars.get(name) ?? m);
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  return value;
}

function resolveVariables(variables: Map<string, Obj>, env: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const vars = new Map<string, string>();
  for (const [name, body] of variables) {
    const fromEnv = env[name];
    const d = body['default'];
    vars.set(name, fromEnv ?? (d === undefined || d === null ? '' : String(d)));
  }
  // Defaults may refer to other variables.
  for (let i = 0; i < 5; i++) for (const [k, v] of vars) vars.set(k, interpolate(v, vars) as string);
  return vars;
}

function expandTarget(raw: Raw, vars: Map<string, string>, name: string, seen: readonly string[]): Obj {
  if (seen.includes(name)) {
    throw new RuntimeError('RUN822', `bake target "${name}" inherits from itself: ${[...seen, name].join(' → ')}`, { hint: 'remove the cycle from "inherits"' });
  }
  const body = raw.targets.get(name);
  if (!body) throw new RuntimeError('RUN823', `bake target "${name}" is not defined; expected one of: ${[...raw.targets.keys()].map((k) => `"${k}"`).join(', ')}`);
  let out: Obj = {};
  const inherits = body['inherits'];
  for (const parent of Array.isArray(inherits) ? inherits : []) {
    if (typeof parent === 'string') out = { ...out, ...expandTarget(raw, vars, parent, [...seen, name]) };
  }
  for (const [k, v] of Object.entries(body)) if (k !== 'inherits') out[k] = v;
  return out;
}

function matrixCombinations(matrix: Obj): Map<string, string>[] {
  let combos: Map<string, string>[] = [new Map()];
  for (const [key, values] of Object.entries(matrix)) {
    const list = Array.isArray(values) ? values : [values];
    combos = combos.flatMap((c) => list.map((v) => new Map([...c, [key, String(v)]])));
  }
  return combos;
}

function toTarget(name: string, body: Obj, vars: ReadonlyMap<string, string>): BakeTarget {
  const resolved = interpolate(body, vars) as Obj;
  const { context, dockerfile, target, tags, platforms, args, matrix: _m, name: _n, ...rest } = resolved;
  return {
    name,
    context: typeof context === 'string' ? context : '.',
    dockerfile: typeof dockerfile === 'string' ? dockerfile : 'Dockerfile',
    ...(typeof target === 'string' ? { target } : {}),
    tags: Array.isArray(tags) ? tags.map(String) : [],
    platforms: Array.isArray(platforms) ? platforms.map(String) : [],
    args: isObj(args) ? Object.fromEntries(Object.entries(args).map(([k, v]) => [k, String(v)])) : {},
    attributes: rest,
  };
}

function instances(raw: Raw, vars: Map<string, string>, name: string): BakeTarget[] {
  const body = expandTarget(raw, vars, name, []);
  const matrix = body['matrix'];
  if (!isObj(matrix)) return [toTarget(name, body, vars)];
  return matrixCombinations(matrix).map((combo) => {
    const local = new Map([...vars, ...combo]);
    const n = typeof body['name'] === 'string' ? String(interpolate(body['name'], local)) : `${name}-${[...combo.values()].join('-')}`;
    return toTarget(n, body, local);
  });
}

function resolveGroup(raw: Raw, vars: Map<string, string>, group: string): BakeTarget[] {
  const out: BakeTarget[] = [];
  const seen = new Set<string>();
  const visit = (name: string, path: readonly string[]): void => {
    if (path.includes(name)) throw new RuntimeError('RUN824', `bake group "${name}" contains itself: ${[...path, name].join(' → ')}`);
    const g = raw.groups.get(name);
    if (g) {
      const targets = g['targets'];
      for (const t of Array.isArray(targets) ? targets : []) if (typeof t === 'string') visit(String(interpolate(t, vars)), [...path, name]);
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
