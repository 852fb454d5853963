/**
 * The Application an Argo CD ApplicationSet generates for one service in one environment, for the common
 * case: `list` generators whose elements name the environment, and a template with `{{key}}` parameters
 * (fasttemplate) or `{{.key}}` ones (`goTemplate: true`). The element is the one with a value equal to the
 * environment (and, when several do, to the service too). Anything else — another generator (git, clusters,
 * matrix, merge, SCM, pull requests, plugins), `templatePatch`, no element or several for the environment, a
 * parameter no element gives — is RUN774 naming what is unsupported. An ApplicationSet whose template has no
 * parameters is read as it is (undefined here).
 *
 * ```ts
 * generatedApplication(appSet, { service: 'shop-api', env: 'dev' }, 'argocd/shop-api.yaml');
 * // { kind: 'Application', metadata: { name: 'shop-api-dev' }, spec: { source: { path: 'apps/shop-api/overlays/dev', … } } }
 * ```
 */
import { RuntimeError } from '../runtime-error.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const SUPPORTED = 'list generators whose elements name the environment, a template with {{key}} (or goTemplate {{.key}}) parameters';

function unsupported(file: string, what: string): RuntimeError {
  return new RuntimeError('RUN774', `the ApplicationSet in "${file}" cannot be rendered here: ${what}; supported: ${SUPPORTED}`, {
    hint: 'point the layout at an Application or the values/overlay it deploys, or set `render: false` for the service or environment (written without the proof)',
  });
}

/** Whether an ApplicationSet's template depends on its generators (has `{{…}}`). */
export function isTemplatedApplicationSet(doc: unknown): doc is Obj {
  return isObj(doc) && doc['kind'] === 'ApplicationSet' && isObj(doc['spec']) && JSON.stringify(doc['spec']['template'] ?? {}).includes('{{');
}

function substitute(value: unknown, params: Readonly<Record<string, string>>, goTemplate: boolean, file: string): unknown {
  if (typeof value === 'string') {
    const pattern = goTemplate ? /\{\{-?\s*\.([A-Za-z_][\w.]*)\s*-?\}\}/g : /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
    const out = value.replace(pattern, (_, key: string) => {
      const v = params[key];
      if (v === undefined) throw unsupported(file, `the template's parameter "${key}" is given by no field of the element`);
      return v;
    });
    if (out.includes('{{')) throw unsupported(file, `the template's "${value}" uses more than plain parameters (functions or pipelines)`);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, params, goTemplate, file));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params, goTemplate, file)]));
  return value;
}

/** Flattened element fields (`a.b` for nested maps, as fasttemplate sees them; strings, numbers and booleans). */
function fields(element: Obj, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(element)) {
    if (isObj(v)) Object.assign(out, fields(v, `${prefix}${k}.`));
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[`${prefix}${k}`] = String(v);
  }
  return out;
}

/** The generated Application (kind Application) for the target; undefined for an ApplicationSet without parameters. */
export function generatedApplication(doc: Obj, target: { readonly service: string; readonly env: string }, file: string): Obj | undefined {
  if (!isTemplatedApplicationSet(doc)) return undefined;
  const spec = doc['spec'] as Obj;
  if (spec['templatePatch'] !== undefined) throw unsupported(file, 'it has a templatePatch');
  const generators = Array.isArray(spec['generators']) ? spec['generators'] : [];
  if (generators.length === 0) throw unsupported(file, 'it has no generators');
  const elements: Obj[] = [];
  for (const g of generators) {
    const kinds = isObj(g) ? Object.keys(g).filter((k) => k !== 'selector') : [];
    if (!isObj(g) || kinds.length !== 1 || kinds[0] !== 'list') throw unsupported(file, `a ${kinds.map((k) => `"${k}"`).join(', ') || 'empty'} generator`);
    const list = g['list'];
    if (!isObj(list) || !Array.isArray(list['elements'])) throw unsupported(file, 'a list generator without elements (elementsYaml)');
    if (g['selector'] !== undefined) throw unsupported(file, 'a generator with a selector');
    elements.push(...list['elements'].filter(isObj));
  }
  const withEnv = elements.filter((e) => Object.values(fields(e)).includes(target.env));
  const chosen = withEnv.length > 1 ? withEnv.filter((e) => Object.values(fields(e)).includes(target.service)) : withEnv;
  if (chosen.length !== 1) {
    throw unsupported(file, chosen.length === 0
      ? `no element of its list generators has a field equal to the environment "${target.env}"`
      : `${chosen.length} elements of its list generators name the environment "${target.env}" and the service "${target.service}"`);
  }
  const goTemplate = spec['goTemplate'] === true;
  const template = isObj(spec['template']) ? spec['template'] : {};
  const app = substitute(template, fields(chosen[0] ?? {}), goTemplate, file) as Obj;
  return { apiVersion: doc['apiVersion'], kind: 'Application', metadata: isObj(app['metadata']) ? app['metadata'] : {}, spec: isObj(app['spec']) ? app['spec'] : {} };
}
