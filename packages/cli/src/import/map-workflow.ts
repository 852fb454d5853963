/**
 * Maps an Argo Workflows document (Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow) to
 * builder code: every template becomes its builder (`container`, `script`, `resource`, `suspend`, `http`,
 * `containerSet`, `dag`, `stepsTemplate`), tags become typed values, `depends` becomes handle results, loops
 * become `withItems`/`withParam`/`withSequence` with a typed item. A DAG-rooted WorkflowTemplate becomes a
 * `pipeline()` whose workflow parameters are the values `p.param` returns. A field no builder option covers goes
 * through the DSL's escape hatch (`fields`, `.patch()`) and is listed. A shape the builders cannot express at all
 * throws {@link Unmapped}, and the caller keeps the whole document through `.patch()` instead.
 */
import type { ReadDocument } from './read-documents.js';
import { artifactCode, tagsCode, type HandleInfo, type TagScope } from './render-tags.js';
import { identifier, isRecord, key, list, literal, object, str } from './source-text.js';

/** A document (or a part of it) the builders cannot express; the caller falls back to `.patch()`. */
export class Unmapped extends Error {}

export interface EscapeHatch {
  readonly path: string;
  readonly why: string;
}

export interface MappedCode {
  /** Statements before `export default`. */
  readonly statements: readonly string[];
  readonly expression: string;
  readonly imports: ReadonlySet<string>;
  readonly escapeHatches: readonly EscapeHatch[];
}

/** What the module generator shares with the mappers: the names used and the hatches taken. */
export interface MapContext {
  readonly taken: Set<string>;
  readonly imports: Set<string>;
  readonly escapeHatches: EscapeHatch[];
  /** Exported template constants (templateRef targets other modules import), by template name. */
  readonly exportTemplates?: boolean;
}

type Obj = Record<string, unknown>;
const bodyKeys = ['container', 'script', 'resource', 'suspend', 'http', 'containerSet', 'dag', 'steps'] as const;
type BodyKey = (typeof bodyKeys)[number];
const builderOf: Record<BodyKey, string> = { container: 'container', script: 'script', resource: 'resource', suspend: 'suspend', http: 'http', containerSet: 'containerSet', dag: 'dag', steps: 'stepsTemplate' };

interface TemplateInfo {
  readonly name: string;
  readonly t: Obj;
  readonly body: BodyKey;
  id: string;
  readonly params: Map<string, { readonly enum: readonly string[] | undefined; readonly required: boolean }>;
  readonly inputArtifacts: Set<string>;
  readonly outputs: Set<string>;
  readonly outputArtifacts: Set<string>;
  /** Inputs and outputs read as JSON lists (withParam): declared `param.json()` / `output.json()`. */
  readonly jsonInputs: Set<string>;
  readonly jsonOutputs: Set<string>;
}

/** Fields Argo's models declare (v4): a field outside them would not type-check as a builder option. */
const templateFields = new Set('activeDeadlineSeconds affinity annotations archiveLocation automountServiceAccountToken container containerSet daemon dag data executor failFast hostAliases http initContainers inputs memoize metadata metrics name nodeSelector outputs parallelism plugin podSpecPatch priorityClassName resource retryStrategy schedulerName script securityContext serviceAccountName sidecars steps suspend synchronization timeout tolerations volumes'.split(' '));
const specFields = new Set('activeDeadlineSeconds affinity archiveLogs arguments artifactGC artifactRepositoryRef automountServiceAccountToken dnsConfig dnsPolicy entrypoint executor hooks hostAliases hostNetwork imagePullSecrets metrics nodeSelector onExit parallelism podDisruptionBudget podGC podMetadata podPriorityClassName podSpecPatch priority retryStrategy schedulerName securityContext serviceAccountName shutdown suspend synchronization templateDefaults templates tolerations ttlStrategy volumeClaimGC volumeClaimTemplates volumes workflowMetadata workflowTemplateRef'.split(' '));
const containerFields = new Set('args command env envFrom image imagePullPolicy lifecycle livenessProbe name ports readinessProbe resizePolicy resources restartPolicy restartPolicyRules securityContext startupProbe stdin stdinOnce terminationMessagePath terminationMessagePolicy tty volumeDevices volumeMounts workingDir source dependencies'.split(' '));

function declared(o: Obj, known: ReadonlySet<string>, what: string): void {
  const unknown = Object.keys(o).filter((k) => !known.has(k));
  if (unknown.length) fail(`${what} has ${unknown.join(', ')}, which Argo's model does not declare`);
}

function fail(why: string): never {
  throw new Unmapped(why);
}

const asList = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isRecord(x) ? x : fail('a list entry is not a mapping'))) : v === undefined ? [] : fail('expected a list'));
const scalarText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fail('a parameter value is not a scalar'));

function onlyKeys(o: Obj, allowed: readonly string[], what: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length) fail(`${what} has ${extra.join(', ')}`);
}

function templateInfo(t: Obj): TemplateInfo {
  if (typeof t['name'] !== 'string' || t['name'] === '') fail('a template without a name');
  declared(t, templateFields, `template "${t['name']}"`);
  for (const k of ['container', 'script']) if (isRecord(t[k])) declared(t[k] as Obj, containerFields, `template "${t['name']}" ${k}`);
  if (isRecord(t['containerSet']) && Array.isArray(t['containerSet']['containers'])) for (const c of t['containerSet']['containers']) if (isRecord(c)) declared(c, containerFields, `template "${t['name']}" containerSet`);
  const present = bodyKeys.filter((k) => t[k] !== undefined);
  if (present.length !== 1) fail(`template "${t['name']}" is not one of ${bodyKeys.join(', ')}`);
  const params = new Map<string, { enum: readonly string[] | undefined; required: boolean }>();
  const inputArtifacts = new Set<string>();
  const inputs = isRecord(t['inputs']) ? t['inputs'] : {};
  onlyKeys(inputs, ['parameters', 'artifacts'], 'inputs');
  for (const p of asList(inputs['parameters'])) {
    onlyKeys(p, ['name', 'default', 'enum', 'description'], `input "${String(p['name'])}"`);
    params.set(String(p['name']), { enum: Array.isArray(p['enum']) ? p['enum'].map(scalarText) : undefined, required: p['default'] === undefined });
  }
  for (const a of asList(inputs['artifacts'])) {
    if (params.has(String(a['name'])) || inputArtifacts.has(String(a['name']))) fail('an input declared twice');
    inputArtifacts.add(String(a['name']));
  }
  const outputs = new Set<string>();
  const outputArtifacts = new Set<string>();
  const outs = isRecord(t['outputs']) ? t['outputs'] : {};
  onlyKeys(outs, ['parameters', 'artifacts'], 'outputs');
  for (const p of asList(outs['parameters'])) outputs.add(String(p['name']));
  for (const a of asList(outs['artifacts'])) {
    if (outputs.has(String(a['name'])) || outputArtifacts.has(String(a['name']))) fail('an output declared twice');
    outputArtifacts.add(String(a['name']));
  }
  return { name: t['name'], t, body: present[0]!, id: '', params, inputArtifacts, outputs, outputArtifacts, jsonInputs: new Set(), jsonOutputs: new Set() };
}

function nodesOf(info: TemplateInfo): Obj[] {
  const b = info.t[info.body];
  if (info.body === 'dag') return isRecord(b) ? asList(b['tasks']) : fail('a dag without tasks');
  if (info.body === 'steps') return (Array.isArray(b) ? b : fail('steps is not a list')).flatMap((g: unknown) => asList(g));
  return [];
}

/** Templates a template calls (tasks, steps, hooks, onExit), by name. */
function callees(info: TemplateInfo): string[] {
  const out: string[] = [];
  for (const n of nodesOf(info)) {
    if (typeof n['template'] === 'string') out.push(n['template']);
    if (typeof n['onExit'] === 'string') out.push(n['onExit']);
    if (isRecord(n['hooks'])) for (const h of Object.values(n['hooks'])) if (isRecord(h) && typeof h['template'] === 'string') out.push(h['template']);
  }
  return out;
}

/** Marks inputs and outputs read by `withParam` as JSON, so their typed values fit the loop. */
function markJson(infos: Map<string, TemplateInfo>): void {
  for (const info of infos.values()) {
    const byNode = new Map(nodesOf(info).map((n) => [String(n['name']), n]));
    for (const n of byNode.values()) {
      if (typeof n['withParam'] !== 'string') continue;
      let m: RegExpExecArray | null;
      if ((m = /^\{\{inputs\.parameters\.([-\w]+)\}\}$/.exec(n['withParam'])) && info.params.has(m[1]!) && !info.params.get(m[1]!)!.enum) info.jsonInputs.add(m[1]!);
      if ((m = /^\{\{(?:tasks|steps)\.([-\w]+)\.outputs\.parameters\.([-\w]+)\}\}$/.exec(n['withParam']))) {
        const target = byNode.get(m[1]!);
        const callee = target && typeof target['template'] === 'string' ? infos.get(target['template']) : undefined;
        const out = callee ? asList((callee.t['outputs'] as Obj | undefined)?.['parameters']).find((p) => p['name'] === m![2]) : undefined;
        if (callee && out && isRecord(out['valueFrom']) && typeof out['valueFrom']['path'] === 'string' && out['enum'] === undefined) callee.jsonOutputs.add(m[2]!);
      }
    }
  }
}

function paramSpec(p: Obj, json: boolean): string {
  const opts: string[] = [];
  if (p['default'] !== undefined) opts.push(`default: ${str(scalarText(p['default']))}`);
  if (p['description'] !== undefined) opts.push(`description: ${str(scalarText(p['description']))}`);
  const o = opts.length ? `{ ${opts.join(', ')} }` : '';
  if (Array.isArray(p['enum'])) {
    const values = p['enum'].map(scalarText);
    if (values.length === 0) fail('an empty enum');
    if (p['default'] !== undefined && !values.includes(scalarText(p['default']))) fail('a default outside its enum');
    return `param.enum([${values.map(str).join(', ')}]${o ? `, ${o}` : ''})`;
  }
  return `param.${json ? 'json' : 'string'}(${o})`;
}

interface Emitter {
  readonly ctx: MapContext;
  readonly infos: Map<string, TemplateInfo>;
  readonly use: (name: string) => void;
  readonly hatch: (path: string, why: string) => void;
  readonly workflowParams: (name: string) => string | undefined;
}

function inputsCode(e: Emitter, info: TemplateInfo): string | undefined {
  const inputs = isRecord(info.t['inputs']) ? info.t['inputs'] : {};
  const entries: string[] = [];
  for (const p of asList(inputs['parameters'])) {
    e.use('param');
    entries.push(`${key(String(p['name']))}: ${paramSpec(p, info.jsonInputs.has(String(p['name'])))}`);
  }
  for (const a of asList(inputs['artifacts'])) {
    e.use('artifact');
    const { name, ...rest } = a;
    entries.push(`${key(String(name))}: artifact(${literal(rest)})`);
  }
  return entries.length ? object(entries) : undefined;
}

function outputsCode(e: Emitter, info: TemplateInfo, returned: Map<string, string>): string | undefined {
  const outs = isRecord(info.t['outputs']) ? info.t['outputs'] : {};
  const entries: string[] = [];
  for (const p of asList(outs['parameters'])) {
    onlyKeys(p, ['name', 'valueFrom', 'enum', 'description'], `output "${String(p['name'])}"`);
    const from = isRecord(p['valueFrom']) ? p['valueFrom'] : fail(`output "${String(p['name'])}" without valueFrom`);
    const { default: dflt, ...source } = from;
    const kinds = Object.keys(source);
    if (kinds.length !== 1) fail(`output "${String(p['name'])}" valueFrom has ${kinds.join(', ')}`);
    const kind = kinds[0]!;
    const opts: string[] = [];
    if (dflt !== undefined) opts.push(`default: ${str(scalarText(dflt))}`);
    if (p['description'] !== undefined) opts.push(`description: ${str(scalarText(p['description']))}`);
    const enumValues = Array.isArray(p['enum']) ? p['enum'].map(scalarText) : undefined;
    if (enumValues && kind !== 'path' && kind !== 'supplied') fail('an enum on an output that is not a path or supplied');
    if (enumValues) opts.push(`enum: [${enumValues.map(str).join(', ')}]`);
    const o = opts.length ? `{ ${opts.join(', ')} }` : '';
    const v = source[kind];
    e.use('output');
    let code: string;
    const name = String(p['name']);
    if (kind === 'path' && typeof v === 'string') code = info.jsonOutputs.has(name) && !enumValues ? `output.json(${str(v)}${o ? `, ${o}` : ''})` : `output.path(${str(v)}${o ? `, ${o}` : ''})`;
    else if ((kind === 'expression' || kind === 'jsonPath' || kind === 'jqFilter') && typeof v === 'string') code = `output.${kind}(${str(v)}${o ? `, ${o}` : ''})`;
    else if (kind === 'supplied' && isRecord(v) && Object.keys(v).length === 0) code = `output.supplied(${o})`;
    else if (kind === 'parameter' && typeof v === 'string' && (info.body === 'dag' || info.body === 'steps')) {
      returned.set(name, v);
      code = `output.returned(${o})`;
    } else fail(`output "${name}" valueFrom.${kind}`);
    entries.push(`${key(name)}: ${code}`);
  }
  for (const a of asList(outs['artifacts'])) {
    e.use('artifact');
    const { name, ...rest } = a;
    entries.push(`${key(String(name))}: artifact(${literal(rest)})`);
  }
  return entries.length ? object(entries) : undefined;
}

/**
 * A container's `env`: the builders' record form (`{ NAME: value, TOKEN: env.secret('s', 'k') }`, typed values
 * allowed) when every entry has that shape and the names keep their order; otherwise the list as written.
 */
function envCode(e: Emitter, list: unknown, leaf: (s: string) => string | undefined): string {
  const entries = Array.isArray(list) ? list : [];
  const record: string[] = [];
  for (const x of entries) {
    if (!isRecord(x) || typeof x['name'] !== 'string' || /^\d+$/.test(x['name'])) return literal(list);
    const name = x['name'];
    if (Object.keys(x).length === 2 && typeof x['value'] === 'string') record.push(`${key(name)}: ${literal(x['value'], leaf)}`);
    else if (Object.keys(x).length === 2 && isRecord(x['valueFrom']) && Object.keys(x['valueFrom']).length === 1) {
      const [kind, ref] = Object.entries(x['valueFrom'])[0]!;
      const r = isRecord(ref) ? ref : {};
      const keys = Object.keys(r).sort().join();
      if ((kind === 'secretKeyRef' || kind === 'configMapKeyRef') && (keys === 'key,name' || keys === 'key,name,optional') && typeof r['name'] === 'string' && typeof r['key'] === 'string' && (r['optional'] === undefined || typeof r['optional'] === 'boolean')) {
        e.use('env');
        record.push(`${key(name)}: env.${kind === 'secretKeyRef' ? 'secret' : 'configMap'}(${str(r['name'])}, ${str(r['key'])}${r['optional'] === undefined ? '' : `, { optional: ${String(r['optional'])} }`})`);
      } else if (kind === 'fieldRef' && keys === 'fieldPath' && typeof r['fieldPath'] === 'string') {
        e.use('env');
        record.push(`${key(name)}: env.field(${str(r['fieldPath'])})`);
      } else return literal(list);
    } else return literal(list);
  }
  if (new Set(entries.map((x) => (x as Obj)['name'])).size !== entries.length) return literal(list);
  return object(record);
}

/** A container (or script) spec as code: keys in canonical order, `env` in the builders' form, tags typed. */
function containerCode(e: Emitter, c: Obj, leaf: (s: string) => string | undefined): string {
  return object(Object.keys(c).sort((a, b) => (a === 'name' ? -1 : b === 'name' ? 1 : a < b ? -1 : 1)).map((k) => `${key(k)}: ${k === 'env' ? envCode(e, c[k], leaf) : literal(c[k], leaf)}`));
}

/** The `(i) => (…)` or plain literal of a leaf template's body, tags typed. */
function leafBody(e: Emitter, info: TemplateInfo, value: unknown): string {
  let usesInputs = false;
  const scope: TagScope = {
    inputs: { id: 'i', names: new Set(info.params.keys()) },
    workflowParams: (n) => {
      e.use('vars');
      return `vars.workflowParameter(${str(n)})`;
    },
    use: e.use,
  };
  const leaf = (s: string): string | undefined => {
    const c = tagsCode(s, scope);
    if (c !== undefined && /\bi[.[]/.test(c)) usesInputs = true;
    return c;
  };
  let code: string;
  if ((info.body === 'container' || info.body === 'script') && isRecord(value)) code = containerCode(e, value, leaf);
  else if (info.body === 'containerSet' && isRecord(value) && Array.isArray(value['containers'])) {
    const { containers, ...rest } = value;
    const cs = (containers as unknown[]).map((c) => (isRecord(c) ? containerCode(e, c, leaf) : literal(c, leaf)));
    code = object([`containers: ${list(cs)}`, ...Object.entries(rest).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => `${key(k)}: ${literal(v, leaf)}`)]);
  } else code = literal(value, leaf);
  return usesInputs ? `(i) => (${code})` : code;
}

/** Parses an Argo `depends` expression to code over task handles, or undefined when it is not one. */
function dependsCode(src: string, handle: (task: string) => string | undefined, use: (n: string) => void): string | undefined {
  const tokens = src.match(/\(|\)|&&|\|\||!|[A-Za-z0-9_][-\w]*(?:\.[A-Za-z]+)?|\S/g) ?? [];
  let i = 0;
  const results: Record<string, string> = { Succeeded: 'succeeded', Failed: 'failed', Errored: 'errored', Skipped: 'skipped', Omitted: 'omitted', Daemoned: 'daemoned', AnySucceeded: 'anySucceeded', AllFailed: 'allFailed' };
  const atom = (): string | undefined => {
    const t = tokens[i++];
    if (t === undefined) return undefined;
    if (t === '(') {
      const inner = orExpr();
      if (tokens[i++] !== ')') return undefined;
      return inner;
    }
    if (t === '!') {
      const inner = atom();
      if (inner === undefined) return undefined;
      use('not');
      return `not(${inner})`;
    }
    const m = /^([A-Za-z0-9_][-\w]*?)(?:\.([A-Za-z]+))?$/.exec(t);
    if (!m) return undefined;
    const h = handle(m[1]!);
    if (h === undefined) return undefined;
    if (m[2] === undefined) return `${h}.done`;
    const r = results[m[2]];
    return r === undefined ? undefined : `${h}.${r}`;
  };
  const chain = (op: '&&' | '||', next: () => string | undefined, fn: string): string | undefined => {
    const items: (string | undefined)[] = [next()];
    while (tokens[i] === op) {
      i++;
      items.push(next());
    }
    if (items.some((x) => x === undefined)) return undefined;
    if (items.length === 1) return items[0];
    use(fn);
    return `${fn}(${items.join(', ')})`;
  };
  const andExpr = (): string | undefined => chain('&&', atom, 'and');
  const orExpr = (): string | undefined => chain('||', andExpr, 'or');
  const out = orExpr();
  return i === tokens.length ? out : undefined;
}

/** `when` as a typed condition: `{{tasks.x.outputs.result}} == heads` → `x.result.eq('heads')`; undefined otherwise. */
function whenCode(src: string, scope: TagScope, use: (n: string) => void): string | undefined {
  const clause = (c: string): string | undefined => {
    const m = /^'(\{\{[^{}']+\}\})' (==|!=) '([^'\\]*)'$/.exec(c);
    if (!m) return undefined;
    const v = tagsCode(m[1]!, scope);
    if (v === undefined || v.startsWith('text`') || v.includes('vars.')) return undefined;
    return `${v}.${m[2] === '==' ? 'eq' : 'ne'}(${str(m[3]!)})`;
  };
  for (const [op, fn] of [[' && ', 'and'], [' || ', 'or']] as const) {
    const parts = src.split(op);
    if (parts.length < 2 || parts.some((p) => p.includes(op === ' && ' ? ' || ' : ' && ') || /[()]/.test(p.replace(/'[^']*'/g, '')))) continue;
    const codes = parts.map(clause);
    if (codes.some((c) => c === undefined)) return undefined;
    use(fn);
    return `${fn}(${codes.join(', ')})`;
  }
  return clause(src);
}

interface NodeScope {
  readonly tags: TagScope;
  readonly handles: Map<string, HandleInfo>;
  readonly referenced: Set<string>;
  readonly via: 'tasks' | 'steps';
  readonly path: string;
  /** Some task of this DAG sets continueOn (inferred edges are then written as `dependencies`). */
  readonly continueOn: boolean;
}

function callCode(e: Emitter, n: Obj, scope: TagScope, path: string): { code: string; outputs: Set<string>; artifacts: Set<string>; hasResult: boolean } {
  const args = isRecord(n['arguments']) ? n['arguments'] : {};
  onlyKeys(args, ['parameters', 'artifacts'], 'arguments');
  const entries: string[] = [];
  let target: string;
  let info: TemplateInfo | undefined;
  if (typeof n['template'] === 'string') {
    info = e.infos.get(n['template']) ?? fail(`"${path}" calls template "${n['template']}", which is not in the document`);
    target = info.id;
  } else if (isRecord(n['templateRef'])) {
    const ref = n['templateRef'];
    onlyKeys(ref, ['name', 'template', 'clusterScope'], 'templateRef');
    const inputs = asList(args['parameters']).map((p) => `${key(String(p['name']))}: param.string()`);
    const arts = asList(args['artifacts']).map((a) => `${key(String(a['name']))}: artifact({})`);
    if (inputs.length) e.use('param');
    if (arts.length) e.use('artifact');
    e.use('templateRef');
    const fields = [`name: ${str(String(ref['name']))}`, `template: ${str(String(ref['template']))}`, ...(ref['clusterScope'] === true ? ['clusterScope: true'] : ref['clusterScope'] !== undefined ? fail('clusterScope') : []), ...(inputs.length + arts.length ? [`inputs: { ${[...inputs, ...arts].join(', ')} }`] : [])];
    target = `templateRef({ ${fields.join(', ')} })`;
  } else fail(`"${path}" has neither template nor templateRef`);
  for (const p of asList(args['parameters'])) {
    onlyKeys(p, ['name', 'value'], 'an argument');
    const name = String(p['name']);
    const value = scalarText(p['value'] ?? fail(`argument "${name}" without a value`));
    const decl = info?.params.get(name);
    if (info && !decl) fail(`argument "${name}" is not an input of "${info.name}"`);
    if (decl?.enum) {
      if (!decl.enum.includes(value)) fail(`argument "${name}" is not one of its enum`);
      entries.push(`${key(name)}: ${str(value)}`);
      continue;
    }
    const v = tagsCode(value, scope) ?? str(value);
    entries.push(v === name ? v : `${key(name)}: ${v}`);
  }
  for (const a of asList(args['artifacts'])) {
    const name = String(a['name']);
    if (info && !info.inputArtifacts.has(name)) fail(`artifact argument "${name}" is not an input of "${info.name}"`);
    if (typeof a['from'] === 'string' && Object.keys(a).length === 2) {
      entries.push(`${key(name)}: ${artifactCode(a['from'], scope) ?? fail(`artifact "${name}" from ${a['from']}`)}`);
    } else {
      if (a['from'] !== undefined || a['fromExpression'] !== undefined) fail(`artifact "${name}" from`);
      const { name: _n, ...rest } = a;
      e.use('artifact');
      entries.push(`${key(name)}: artifact(${literal(rest)})`);
    }
  }
  if (info) for (const [name, d] of info.params) if (d.required && !asList(args['parameters']).some((p) => p['name'] === name)) fail(`"${path}" does not supply input "${name}"`);
  if (info) for (const name of info.inputArtifacts) {
    const a = asList((info.t['inputs'] as Obj)['artifacts']).find((x) => x['name'] === name)!;
    if (Object.keys(a).length === 1 && !asList(args['artifacts']).some((x) => x['name'] === name)) fail(`"${path}" does not supply artifact "${name}"`);
  }
  const code = entries.length ? `${target}.call(${object(entries)})` : target;
  return {
    code,
    outputs: info ? new Set(info.outputs) : new Set(),
    artifacts: info ? new Set(info.outputArtifacts) : new Set(),
    hasResult: info ? ['container', 'script', 'containerSet'].includes(info.body) : false,
  };
}

/** One task or step: `const x = d.task('x', tmpl.call({…}), { … });`. */
function nodeCode(e: Emitter, n: Obj, builder: string, ns: NodeScope, id: string): string {
  const name = String(n['name']);
  const path = `${ns.path}.${name}`;
  onlyKeys(n, ['name', 'template', 'templateRef', 'arguments', 'depends', 'dependencies', 'when', 'withItems', 'withParam', 'withSequence', 'continueOn', 'onExit', 'hooks'], `node "${name}"`);
  const reads: string[] = [];
  const read = (t: string): void => {
    if (!reads.includes(t)) reads.push(t);
    ns.referenced.add(t);
  };
  let item: TagScope['item'];
  const options: string[] = [];
  const fields: Obj = {};
  if (Array.isArray(n['withItems'])) {
    const items = n['withItems'] as unknown[];
    const whole = items.length > 0 && items.every((x) => typeof x === 'string');
    const keys = items.length > 0 && items.every(isRecord) ? new Set(Object.keys(items[0] as Obj).filter((k) => /^[A-Za-z_]\w*$/.test(k) && items.every((x) => typeof (x as Obj)[k] === 'string'))) : new Set<string>();
    item = { id: 'item', whole, keys };
    options.push(`withItems: ${literal(items)}`);
  } else if (n['withItems'] !== undefined) fail('withItems is not a list');
  const tags: TagScope = { ...ns.tags, item, read };
  if (typeof n['withParam'] === 'string') {
    const pending: string[] = [];
    const v = tagsCode(n['withParam'], { ...ns.tags, read: (t) => void pending.push(t) });
    if (v !== undefined && !v.startsWith('text`') && !/\.result$|vars\./.test(v)) {
      for (const t of pending) read(t);
      options.push(`withParam: ${v}`);
      item = { id: 'item', whole: true, keys: 'any' };
    } else {
      fields['withParam'] = n['withParam'];
      e.hatch(`${path}.withParam`, 'withParam reads a value that is not a typed JSON list');
    }
  } else if (n['withParam'] !== undefined) fail('withParam is not a string');
  if (n['withSequence'] !== undefined) options.push(`withSequence: ${literal(n['withSequence'])}`);
  const call = callCode(e, n, { ...tags, item }, path);
  if (typeof n['when'] === 'string') {
    const w = whenCode(n['when'], { ...tags, item }, e.use);
    if (w !== undefined) options.push(`when: ${w}`);
    else {
      fields['when'] = n['when'];
      e.hatch(`${path}.when`, 'a when expression the typed conditions do not cover (kept as written)');
    }
  }
  if (n['continueOn'] !== undefined) options.push(`continueOn: ${literal(n['continueOn'])}`);
  if (n['onExit'] !== undefined) {
    const t = typeof n['onExit'] === 'string' ? e.infos.get(n['onExit']) : undefined;
    if (!t || [...t.params.values()].some((p) => p.required)) fail('onExit');
    options.push(`onExit: ${t.id}`);
  }
  if (n['hooks'] !== undefined) {
    const hooks = isRecord(n['hooks']) ? n['hooks'] : fail('hooks');
    const entries = Object.entries(hooks).map(([k, h]) => {
      const hook = isRecord(h) ? h : fail('hook');
      onlyKeys(hook, ['template', 'templateRef', 'arguments', 'expression'], 'hook');
      const c = callCode(e, hook, tags, `${path}.hooks.${k}`);
      return `${key(k)}: { template: ${c.code}${typeof hook['expression'] === 'string' ? `, expression: ${str(hook['expression'])}` : ''} }`;
    });
    options.push(`hooks: ${object(entries)}`);
  }
  // Dependencies: the edges the data flow implies are not written again.
  if (builder === 'task') {
    const handle = (t: string): string | undefined => {
      const h = ns.handles.get(t);
      if (h) ns.referenced.add(t);
      return h?.id;
    };
    if (typeof n['depends'] === 'string') {
      const src = n['depends'].trim();
      const atoms = src.split('&&').map((s) => s.trim());
      const simple = atoms.every((a) => /^[A-Za-z0-9_][-\w]*(\.Succeeded)?$/.test(a));
      const after = simple ? atoms.filter((a) => !a.endsWith('.Succeeded') && !reads.includes(a)) : [];
      const implied = [...after, ...reads.filter((r) => !after.includes(r))].map((t) => (reads.includes(t) && !after.includes(t) ? `${t}.Succeeded` : t)).join(' && ');
      if (simple && !ns.continueOn && implied === src && after.every((a) => ns.handles.has(a))) {
        if (after.length) options.push(`after: [${after.map((a) => handle(a)!).join(', ')}]`);
      } else {
        const d = ns.continueOn ? undefined : dependsCode(src, handle, e.use);
        if (d !== undefined && reads.every((r) => new RegExp(`(^|[^-\\w])${r.replace(/[-]/g, '\\-')}([^-\\w]|$)`).test(src))) options.push(`depends: ${d}`);
        else {
          fields['depends'] = n['depends'];
          e.hatch(`${path}.depends`, 'a depends expression kept as written (it names a task the data flow does not reach, or Argo writes it differently)');
        }
      }
    } else if (Array.isArray(n['dependencies'])) {
      const deps = n['dependencies'].map(String);
      const implied = [...deps.filter((d) => !reads.includes(d)), ...reads.filter((r) => !deps.includes(r))];
      if (ns.continueOn && reads.every((r) => deps.includes(r)) && implied.join() === deps.join() && deps.every((d) => ns.handles.has(d))) {
        const after = deps.filter((d) => !reads.includes(d));
        if (after.length) options.push(`after: [${after.map((a) => handle(a)!).join(', ')}]`);
      } else if (reads.length === 0) {
        fields['dependencies'] = deps;
        e.hatch(`${path}.dependencies`, 'a dependencies list (the builders write depends, or dependencies only beside continueOn)');
      } else fail('dependencies beside data flow');
    } else if (reads.length > 0) fail(`task "${name}" reads outputs without depending on them`);
  } else if (n['depends'] !== undefined || n['dependencies'] !== undefined) fail('depends on a step');
  if (Object.keys(fields).length) options.push(`fields: ${literal(fields)}`);
  const target = item ? `(item) => ${call.code}` : call.code;
  ns.handles.set(name, { id, via: ns.via, outputs: call.outputs, artifacts: call.artifacts, hasResult: call.hasResult });
  return `${builder === 'task' ? 'd.task' : builder}(${str(name)}, ${target}${options.length ? `, ${object(options)}` : ''})`;
}

/** Orders DAG tasks so each comes after the tasks it names (Argo allows any order; a handle must exist before use). */
function orderTasks(tasks: Obj[]): Obj[] {
  const names = new Set(tasks.map((t) => String(t['name'])));
  const deps = (t: Obj): string[] => {
    const s = JSON.stringify({ ...t, name: undefined });
    return [...names].filter((n) => n !== t['name'] && new RegExp(`(tasks\\.${n.replace(/[-]/g, '\\-')}\\.)|((^|[^-\\w.])${n.replace(/[-]/g, '\\-')}([^-\\w]|$))`).test(typeof t['depends'] === 'string' ? `${t['depends']} ${s}` : Array.isArray(t['dependencies']) ? `${t['dependencies'].join(' ')} ${s}` : s));
  };
  const done = new Set<string>();
  const out: Obj[] = [];
  let pending = [...tasks];
  while (pending.length) {
    const ready = pending.find((t) => deps(t).every((d) => done.has(d) || !pending.some((p) => p['name'] === d)));
    if (!ready) fail('a DAG whose tasks name each other in a cycle');
    out.push(ready);
    done.add(String(ready['name']));
    pending = pending.filter((t) => t !== ready);
  }
  return out;
}

function nodesBody(e: Emitter, info: TemplateInfo, pipelineScope: boolean, returned: Map<string, string>): string[] {
  const handles = new Map<string, HandleInfo>();
  const referenced = new Set<string>();
  const tags: TagScope = {
    inputs: { id: 'i', names: new Set(info.params.keys()) },
    handles,
    workflowParams: e.workflowParams,
    use: e.use,
  };
  const taken = new Set([...e.ctx.taken, 'd', 's', 'g', 'p', 'i', 'item', 'text', 'and', 'or', 'not', 'vars', 'param', 'output', 'artifact', 'templateRef']);
  const lines: { id: string; name: string; code: string }[] = [];
  if (info.body === 'dag') {
    const dagBody = info.t['dag'] as Obj;
    const tasks = orderTasks(asList(dagBody['tasks']));
    const ns: NodeScope = { tags, handles, referenced, via: 'tasks', path: `${info.name}`, continueOn: tasks.some((t) => t['continueOn'] !== undefined) };
    for (const t of tasks) {
      const id = identifier(String(t['name']), taken);
      lines.push({ id, name: String(t['name']), code: nodeCode(e, t, 'task', ns, id) });
    }
    const code = lines.map((l) => (pipelineScope ? l.code.replace(/^d\.task/, 'p.task') : l.code));
    return finish(code, lines, referenced, returned, tags);
  }
  const groups = (info.t['steps'] as unknown[]).map((g) => asList(g));
  const ns: NodeScope = { tags, handles, referenced, via: 'steps', path: info.name, continueOn: false };
  const out: string[] = [];
  const all: { id: string; name: string; code: string }[] = [];
  const groupLines: { single: boolean; items: { id: string; name: string; code: string }[] }[] = [];
  for (const g of groups) {
    const single = g.length === 1;
    const items = g.map((s) => {
      const id = identifier(String(s['name']), taken);
      return { id, name: String(s['name']), code: nodeCode(e, s, single ? 's.step' : 'g.step', ns, id) };
    });
    if (g.length === 0) fail('an empty step group');
    groupLines.push({ single, items });
    all.push(...items);
  }
  const decl = (l: { id: string; name: string; code: string }): string => (referenced.has(l.name) ? `const ${l.id} = ${l.code};` : `${l.code};`);
  for (const g of groupLines) {
    if (g.single) out.push(decl(g.items[0]!));
    else {
      if (g.items.some((l) => referenced.has(l.name))) fail('a step of a parallel group read by a later step');
      out.push(`s.parallel((g) => {\n${g.items.map((l) => `${l.code};`).join('\n')}\n});`);
    }
  }
  return [...out, ...returnLine(returned, tags)];
}

function returnLine(returned: Map<string, string>, tags: TagScope): string[] {
  if (returned.size === 0) return [];
  const entries = [...returned].map(([k, v]) => `${key(k)}: ${artifactOrValue(v, tags)}`);
  return [`return { ${entries.join(', ')} };`];
}

function artifactOrValue(v: string, tags: TagScope): string {
  const c = tagsCode(v, tags);
  if (c === undefined) fail(`an output parameter from ${v}`);
  return c;
}

function finish(code: string[], lines: { id: string; name: string }[], referenced: Set<string>, returned: Map<string, string>, tags: TagScope): string[] {
  const ret = returnLine(returned, tags);
  return [...lines.map((l, k) => (referenced.has(l.name) ? `const ${l.id} = ${code[k]};` : `${code[k]};`)), ...ret];
}

function templateCode(e: Emitter, info: TemplateInfo): string {
  const { name: _n, inputs: _i, outputs: _o, [info.body]: body, ...rest } = info.t;
  const returned = new Map<string, string>();
  const parts: string[] = [];
  const inputs = inputsCode(e, info);
  if (inputs) parts.push(`inputs: ${inputs}`);
  const outputs = outputsCode(e, info, returned);
  if (outputs) parts.push(`outputs: ${outputs}`);
  e.use(builderOf[info.body]);
  if (info.body === 'dag') {
    const { tasks: _t, target, failFast, ...other } = body as Obj;
    if (Object.keys(other).length) fail(`dag fields ${Object.keys(other).join(', ')}`);
    if (target !== undefined) parts.push(`target: ${literal(target)}`);
    if (failFast !== undefined) parts.push(`failFast: ${literal(failFast)}`);
  }
  if (Object.keys(rest).length) parts.push(`fields: ${literal(rest)}`);
  const opts = object(parts);
  if (info.body === 'dag' || info.body === 'steps') {
    const lines = nodesBody(e, info, false, returned);
    const v = info.body === 'dag' ? 'd' : 's';
    return `${builderOf[info.body]}(${str(info.name)}, ${opts}, (${v}${info.params.size ? ', i' : ''}) => {\n${lines.join('\n')}\n})`;
  }
  if (info.body === 'suspend') {
    const s = isRecord(body) ? body : fail('suspend');
    onlyKeys(s, ['duration'], 'suspend');
    if (s['duration'] !== undefined && typeof s['duration'] !== 'string') fail('a suspend duration that is not text');
    if (s['duration'] !== undefined) parts.push(`duration: ${str(s['duration'] as string)}`);
    return `suspend(${str(info.name)}, ${object(parts)})`;
  }
  if (!isRecord(body)) fail(`${info.body} is not a mapping`);
  if ((info.body === 'container' || info.body === 'script') && body['name'] !== undefined) fail('a named template container');
  if (info.body === 'script' && typeof body['source'] !== 'string') fail('a script without source');
  if (info.body === 'resource' && typeof body['action'] !== 'string') fail('a resource without action');
  if (info.body === 'http' && typeof body['url'] !== 'string') fail('an http template without url');
  parts.push(`${info.body}: ${leafBody(e, info, body)}`);
  return `${builderOf[info.body]}(${str(info.name)}, ${object(parts)})`;
}

/** Template names in an order where each comes after the templates it calls. */
function orderTemplates(infos: Map<string, TemplateInfo>): TemplateInfo[] {
  const out: TemplateInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (info: TemplateInfo): void => {
    if (state.get(info.name) === 'done') return;
    if (state.get(info.name) === 'visiting') fail(`template "${info.name}" calls itself (recursion)`);
    state.set(info.name, 'visiting');
    for (const c of callees(info)) {
      const callee = infos.get(c);
      if (callee) visit(callee);
    }
    state.set(info.name, 'done');
    out.push(info);
  };
  for (const info of infos.values()) visit(info);
  return out;
}

const cronKeys = ['schedules', 'timezone', 'concurrencyPolicy', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'suspend'];

/** Maps one Argo Workflows document to builder code (throws {@link Unmapped} when it cannot). */
export function mapWorkflow(doc: ReadDocument, ctx: MapContext, trigger?: (p: string) => string[]): MappedCode {
  const document = doc.object;
  const isCron = doc.kind === 'CronWorkflow';
  const outer = isRecord(document['spec']) ? document['spec'] : {};
  const spec = isCron ? (isRecord(outer['workflowSpec']) ? outer['workflowSpec'] : fail('a CronWorkflow without workflowSpec')) : outer;
  declared(spec, specFields, 'the workflow spec');
  const use = (n: string): void => void ctx.imports.add(n);
  const hatch = (path: string, why: string): void => void ctx.escapeHatches.push({ path, why });
  const infos = new Map<string, TemplateInfo>();
  // Templates in name order: their order in the YAML means nothing, and a canonical one makes a fixed point.
  for (const t of [...asList(spec['templates'])].sort((x, y) => (String(x['name']) < String(y['name']) ? -1 : String(x['name']) > String(y['name']) ? 1 : 0))) {
    const info = templateInfo(t);
    if (infos.has(info.name)) fail(`two templates named "${info.name}"`);
    infos.set(info.name, info);
  }
  markJson(infos);
  const entry = typeof spec['entrypoint'] === 'string' ? infos.get(spec['entrypoint']) : undefined;
  if (spec['entrypoint'] !== undefined && !entry) fail('an entrypoint that names no template of the document');
  const calledByOthers = new Set([...infos.values()].flatMap(callees));
  if (isRecord(spec['hooks'])) for (const h of Object.values(spec['hooks'])) if (isRecord(h) && typeof h['template'] === 'string') calledByOthers.add(h['template']);
  if (typeof spec['onExit'] === 'string') calledByOthers.add(spec['onExit']);
  const args = isRecord(spec['arguments']) ? spec['arguments'] : {};
  const wfParams = asList(args['parameters']);
  const asPipeline =
    !isCron && doc.kind !== 'Workflow' && !doc.generated && entry !== undefined && entry.body === 'dag' && !calledByOthers.has(entry.name) &&
    Object.keys(entry.t).every((k) => k === 'name' || k === 'dag') && Object.keys(entry.t['dag'] as Obj).every((k) => k === 'tasks' || k === 'failFast') &&
    wfParams.every((p) => Object.keys(p).every((k) => ['name', 'value', 'enum', 'description'].includes(k)));
  const paramIds = new Map<string, string>();
  const e: Emitter = {
    ctx,
    infos,
    use,
    hatch,
    workflowParams: (n) => {
      use('vars');
      return `vars.workflowParameter(${str(n)})`;
    },
  };
  const statements: string[] = [];
  for (const info of orderTemplates(infos)) {
    info.id = identifier(info.name, ctx.taken);
  }
  if (asPipeline) for (const p of wfParams) paramIds.set(String(p['name']), identifier(String(p['name']), ctx.taken));
  for (const info of orderTemplates(infos)) {
    if (asPipeline && info === entry) continue;
    statements.push(`${ctx.exportTemplates ? 'export ' : ''}const ${info.id} = ${templateCode(e, info)};`);
  }
  const options: string[] = [];
  const patch: Obj = {};
  const metadata = isRecord(document['metadata']) ? document['metadata'] : {};
  for (const [k, v] of Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (k === 'name' || (k === 'generateName' && doc.generated)) continue;
    if ((k === 'labels' || k === 'annotations') && isRecord(v) && Object.values(v).every((x) => typeof x === 'string')) options.push(`${k}: ${literal(v)}`);
    else if (k === 'namespace' && typeof v === 'string') options.push(`namespace: ${str(v)}`);
    else {
      (patch['metadata'] ??= {} as Obj) && ((patch['metadata'] as Obj)[k] = v);
      hatch(`metadata.${k}`, 'metadata other than labels, annotations and namespace');
    }
  }
  if (isCron) {
    const { workflowSpec: _w, ...cron } = outer;
    const known: Obj = {};
    const other: Obj = {};
    for (const [k, v] of Object.entries(cron)) (cronKeys.includes(k) ? known : other)[k] = v;
    if (!Array.isArray(known['schedules'])) fail('a CronWorkflow without schedules');
    options.push(`schedules: ${literal(known['schedules'])}`);
    for (const k of ['timezone', 'concurrencyPolicy', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) if (known[k] !== undefined) options.push(`${k}: ${literal(known[k])}`);
    if (known['suspend'] !== undefined) options.push(`suspendSchedule: ${literal(known['suspend'])}`);
    const typedCron = Object.fromEntries(Object.entries(other).filter(([k]) => ['stopStrategy', 'when', 'workflowMetadata'].includes(k)));
    if (Object.keys(typedCron).length) options.push(`cron: ${literal(typedCron)}`);
    const untyped = Object.fromEntries(Object.entries(other).filter(([k]) => !(k in typedCron)));
    if (Object.keys(untyped).length) {
      patch['spec'] = untyped;
      for (const k of Object.keys(untyped)) hatch(`spec.${k}`, 'a CronWorkflow field the builder does not type (removed in Argo v4 or unknown)');
    }
  }
  const bodyLines: string[] = [];
  if (wfParams.length) {
    if (asPipeline) {
      for (const p of wfParams) {
        const { value, ...rest } = p;
        const specCode = paramSpec(value === undefined ? rest : { ...rest, default: value }, false);
        use('param');
        bodyLines.push(`const ${paramIds.get(String(p['name']))} = p.param(${str(String(p['name']))}, ${specCode});`);
      }
    } else {
      const entries = wfParams.map((p) => {
        const { value, valueFrom, ...rest } = p;
        if (valueFrom !== undefined) fail('a workflow parameter valueFrom');
        onlyKeys(rest, ['name', 'enum', 'description'], 'a workflow parameter');
        use('param');
        return `${key(String(p['name']))}: ${paramSpec(value === undefined ? rest : { ...rest, default: value }, false)}`;
      });
      options.push(`params: ${object(entries)}`);
    }
  }
  const restArgs = Object.fromEntries(Object.entries(args).filter(([k]) => k !== 'parameters'));
  if (Object.keys(restArgs).length) {
    const target = isCron ? (((patch['spec'] ??= {}) as Obj)['workflowSpec'] ??= {}) as Obj : ((patch['spec'] ??= {}) as Obj);
    target['arguments'] = restArgs;
    hatch(`${isCron ? 'spec.workflowSpec' : 'spec'}.arguments.artifacts`, 'workflow argument artifacts (the builders take parameters)');
  }
  const others = [...infos.values()].filter((i) => i !== entry).map((i) => i.id);
  if (entry && !asPipeline) options.push(`entrypoint: ${entry.id}`);
  if (others.length) options.push(`templates: ${list(others)}`);
  for (const [k, v] of Object.entries(spec).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (['templates', 'entrypoint', 'arguments'].includes(k)) continue;
    if (k === 'onExit') {
      const t = typeof v === 'string' ? infos.get(v) : undefined;
      if (!t || [...t.params.values()].some((p) => p.required)) fail('onExit');
      if (asPipeline) bodyLines.push(`p.onExit(${t.id});`);
      else options.push(`onExit: ${t.id}`);
    } else if (k === 'hooks') {
      const hooks = isRecord(v) ? v : fail('hooks');
      const tags: TagScope = { use, workflowParams: asPipeline ? (n) => paramIds.get(n) : e.workflowParams };
      const entries = Object.entries(hooks).map(([name, h]) => {
        const hook = isRecord(h) ? h : fail('hook');
        onlyKeys(hook, ['template', 'templateRef', 'arguments', 'expression'], 'hook');
        const c = callCode(e, hook, tags, `hooks.${name}`);
        return [name, `{ template: ${c.code}${typeof hook['expression'] === 'string' ? `, expression: ${str(hook['expression'])}` : ''} }`] as const;
      });
      if (asPipeline) for (const [name, code] of entries) bodyLines.push(`p.hook(${str(name)}, ${code});`);
      else options.push(`hooks: ${object(entries.map(([name, code]) => `${key(name)}: ${code}`))}`);
    } else if (k === 'workflowTemplateRef') {
      const ref = isRecord(v) ? v : fail('workflowTemplateRef');
      onlyKeys(ref, ['name', 'clusterScope'], 'workflowTemplateRef');
      options.push(`workflowTemplateRef: ${literal(ref)}`);
    } else options.push(`${key(k)}: ${literal(v)}`);
  }
  const nameArg = doc.generated ? `{ generateName: ${str(doc.name)} }` : str(doc.name);
  let expression: string;
  if (asPipeline) {
    use('pipeline');
    const dagFields = entry!.t['dag'] as Obj;
    if (doc.kind === 'ClusterWorkflowTemplate') options.unshift(`kind: 'ClusterWorkflowTemplate'`);
    if (entry!.name !== 'main') options.push(`entrypointName: ${str(entry!.name)}`);
    if (dagFields['failFast'] !== undefined) options.push(`failFast: ${literal(dagFields['failFast'])}`);
    const ePipeline: Emitter = { ...e, workflowParams: (n) => paramIds.get(n) ?? e.workflowParams(n) };
    const tasks = nodesBody(ePipeline, entry!, true, new Map());
    const trig = trigger ? trigger('p') : [];
    expression = `pipeline(${nameArg}, ${object(options)}, (p) => {\n${[...bodyLines, ...trig, ...tasks].join('\n')}\n})`;
  } else {
    const builder = { Workflow: 'workflow', WorkflowTemplate: 'workflowTemplate', ClusterWorkflowTemplate: 'clusterWorkflowTemplate', CronWorkflow: 'cronWorkflow' }[doc.kind as 'Workflow'];
    use(builder);
    expression = `${builder}(${nameArg}, ${object(options)})`;
  }
  const top = Object.fromEntries(Object.entries(document).filter(([k]) => !['apiVersion', 'kind', 'metadata', 'spec'].includes(k)));
  for (const [k, v] of Object.entries(top)) {
    patch[k] = v;
    hatch(k, 'a top-level field outside metadata and spec');
  }
  if (Object.keys(patch).length) expression = `${expression}\n// Escape hatch: ${[...new Set(ctx.escapeHatches.filter((h) => !h.path.includes('.') || h.path.startsWith('metadata.') || h.path.startsWith('spec.')).map((h) => h.why))].join('; ')}.\n.patch(${literal(patch)})`;
  return { statements, expression, imports: ctx.imports, escapeHatches: ctx.escapeHatches };
}

