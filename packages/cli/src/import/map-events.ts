/**
 * Maps Argo Events documents to builder code. A Sensor becomes `sensor()`: a dependency that is exactly what a
 * typed GitHub trigger produces (event, repository, branches) becomes `github.push({…})`, the others stay typed
 * `EventDependency` literals with their filters; triggers keep their parameters. An EventSource becomes
 * `eventSource()` with its typed webhook, GitHub and calendar entries when the builder writes them exactly, else
 * the generic builder plus `patchResource()`. Fields no option covers go through `patchResource()` and are listed.
 */
import { github, repoSlug } from '@argots/dsl';
import type { MapContext, MappedCode } from './map-workflow.js';
import { Unmapped } from './map-workflow.js';
import type { ReadDocument } from './read-documents.js';
import { identifier, isRecord, key, literal, object, str } from './source-text.js';

type Obj = Record<string, unknown>;

const unescapeRe = (s: string): string => s.replace(/\\(.)/g, '$1');

/** The glob a ref regex was compiled from (`^refs/heads/release/[^/]*$` → `release/*`), or undefined. */
function globOf(re: string, prefix: string): string | undefined {
  if (!re.startsWith(`^${prefix}`) || !re.endsWith('$')) return undefined;
  return unescapeRe(re.slice(prefix.length + 1, -1).replace(/\[\^\/\]\*/g, '*').replace(/\.\*/g, '**').replace(/\[\^\/\]/g, '?'));
}

/** `github.push({…})` when the dependency is exactly what it builds, with the code; else undefined. */
export function githubTriggerCode(dep: Obj): { code: string; name: string } | undefined {
  const data = isRecord(dep['filters']) && Array.isArray(dep['filters']['data']) ? (dep['filters']['data'] as Obj[]) : undefined;
  if (!data || Object.keys(dep['filters'] as Obj).length !== 1) return undefined;
  const event = data.find((f) => f['path'] === 'headers.X-Github-Event.0');
  const repoF = data.find((f) => f['path'] === 'body.repository.full_name');
  const refF = data.find((f) => f['path'] === 'body.ref');
  if (!event || !repoF || !refF || !Array.isArray(repoF['value']) || !Array.isArray(refF['value'])) return undefined;
  const m = /^\(\?i\)\^(.+)\$$/.exec(String(repoF['value'][0]));
  if (!m || JSON.stringify(event['value']) !== '["^push$"]') return undefined;
  const repo = unescapeRe(m[1]!);
  const branches = (refF['value'] as unknown[]).map((v) => globOf(String(v), 'refs/heads/'));
  if (branches.some((b) => b === undefined)) return undefined;
  const opts: Obj = { repo, branches };
  if (dep['eventSourceName'] !== 'github') opts['eventSource'] = dep['eventSourceName'];
  if (dep['eventName'] !== repoSlug(repo)) opts['eventName'] = dep['eventName'];
  if (dep['name'] !== 'push') opts['dependency'] = dep['name'];
  try {
    const built = github.push(opts as never).dependency;
    if (JSON.stringify(built) !== JSON.stringify(dep)) return undefined;
  } catch {
    return undefined;
  }
  return { code: `github.push(${literal(opts)})`, name: String(dep['name']) };
}

function metadataOptions(metadata: Obj, allowed: readonly string[], patch: Obj, hatch: (p: string, why: string) => void): string[] {
  const options: string[] = [];
  for (const [k, v] of Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (k === 'name') continue;
    if (allowed.includes(k) && (k === 'namespace' ? typeof v === 'string' : isRecord(v) && Object.values(v).every((x) => typeof x === 'string'))) options.push(`${k}: ${literal(v)}`);
    else {
      ((patch['metadata'] ??= {}) as Obj)[k] = v;
      hatch(`metadata.${k}`, 'metadata the builder has no option for');
    }
  }
  return options;
}

const depKeys = ['name', 'eventSourceName', 'eventName', 'filters', 'filtersLogicalOperator', 'transform'];
const filterKeys = ['data', 'dataLogicalOperator', 'exprs', 'exprLogicalOperator', 'context', 'time', 'script'];
const triggerKeys = ['template', 'parameters', 'retryStrategy', 'rateLimit', 'policy', 'atLeastOnce'];
const srcKeys = ['dependencyName', 'dataKey', 'dataTemplate', 'contextKey', 'contextTemplate', 'value', 'useRawData'];

const strings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
const paramsFit = (ps: unknown): boolean => ps === undefined || (Array.isArray(ps) && ps.every((p) => isRecord(p) && isRecord(p['src']) && Object.keys(p['src']).every((k) => srcKeys.includes(k)) && typeof p['dest'] === 'string' && Object.keys(p).every((k) => ['src', 'dest', 'operation'].includes(k))));

/** A dependency whose literal the `EventDependency` type accepts as it is. */
function dependencyFits(d: unknown): boolean {
  if (!isRecord(d) || !Object.keys(d).every((k) => depKeys.includes(k))) return false;
  const f = d['filters'];
  if (f === undefined) return true;
  if (!isRecord(f) || !Object.keys(f).every((k) => filterKeys.includes(k))) return false;
  if (f['data'] !== undefined && !(Array.isArray(f['data']) && f['data'].every((x) => isRecord(x) && strings(x['value']) && typeof x['path'] === 'string' && typeof x['type'] === 'string' && Object.keys(x).every((k) => ['path', 'type', 'value', 'comparator', 'template'].includes(k))))) return false;
  if (f['exprs'] !== undefined && !(Array.isArray(f['exprs']) && f['exprs'].every((x) => isRecord(x) && typeof x['expr'] === 'string' && Array.isArray(x['fields'])))) return false;
  if (f['time'] !== undefined && !(isRecord(f['time']) && typeof f['time']['start'] === 'string' && typeof f['time']['stop'] === 'string')) return false;
  return true;
}

/** A trigger whose literal the `Trigger` type accepts as it is. */
function triggerFits(t: unknown): boolean {
  if (!isRecord(t) || !Object.keys(t).every((k) => triggerKeys.includes(k)) || !paramsFit(t['parameters'])) return false;
  const tpl = t['template'];
  if (tpl !== undefined && (!isRecord(tpl) || typeof tpl['name'] !== 'string')) return false;
  if (isRecord(tpl)) {
    const allowed: Record<string, readonly string[]> = {
      argoWorkflow: ['operation', 'source', 'parameters', 'args'],
      k8s: ['operation', 'source', 'parameters', 'patchStrategy', 'liveObject'],
      http: ['url', 'method', 'payload', 'parameters', 'headers', 'secureHeaders', 'timeout'],
      log: ['intervalSeconds'],
    };
    for (const [kind, keys] of Object.entries(allowed)) {
      const x = tpl[kind];
      if (x !== undefined && (!isRecord(x) || !Object.keys(x).every((k) => keys.includes(k)) || !paramsFit(x['parameters']) || !paramsFit(x['payload']))) return false;
    }
    const h = tpl['http'];
    if (isRecord(h) && (typeof h['url'] !== 'string' || (h['headers'] !== undefined && !(isRecord(h['headers']) && Object.values(h['headers']).every((v) => typeof v === 'string'))) || (h['timeout'] !== undefined && typeof h['timeout'] !== 'number'))) return false;
    const k = tpl['k8s'];
    if (isRecord(k) && (k['liveObject'] !== undefined && typeof k['liveObject'] !== 'boolean')) return false;
    const a = tpl['argoWorkflow'];
    if (isRecord(a) && a['args'] !== undefined && !strings(a['args'])) return false;
    if (tpl['conditions'] !== undefined && typeof tpl['conditions'] !== 'string') return false;
    if (tpl['log'] !== undefined && !(isRecord(tpl['log']) && Object.values(tpl['log']).every((v) => typeof v === 'number'))) return false;
  }
  const r = t['retryStrategy'];
  if (r !== undefined && !(isRecord(r) && Object.keys(r).every((k) => ['steps', 'duration', 'factor', 'jitter'].includes(k)) && (r['steps'] === undefined || typeof r['steps'] === 'number'))) return false;
  const p = t['policy'];
  if (p !== undefined && !(isRecord(p) && (p['k8s'] === undefined || (isRecord(p['k8s']) && isRecord(p['k8s']['backoff']) && typeof p['k8s']['errorOnBackoffTimeout'] === 'boolean')) && (p['status'] === undefined || (isRecord(p['status']) && Array.isArray(p['status']['allow']))))) return false;
  const rl = t['rateLimit'];
  if (rl !== undefined && !(isRecord(rl) && (rl['requestsPerUnit'] === undefined || typeof rl['requestsPerUnit'] === 'number'))) return false;
  return t['atLeastOnce'] === undefined || typeof t['atLeastOnce'] === 'boolean';
}

function withPatch(ctx: MapContext, expression: string, patch: Obj): string {
  if (Object.keys(patch).length === 0) return expression;
  ctx.imports.add('patchResource');
  const why = [...new Set(ctx.escapeHatches.map((h) => h.why))].join('; ');
  return `patchResource(\n${expression},\n// Escape hatch: ${why}.\n${literal(patch)})`;
}

/** A Sensor as `sensor()` (GitHub dependencies typed where they match exactly). */
export function mapSensor(doc: ReadDocument, ctx: MapContext): MappedCode {
  const hatch = (path: string, why: string): void => void ctx.escapeHatches.push({ path, why });
  const patch: Obj = {};
  const metadata = isRecord(doc.object['metadata']) ? doc.object['metadata'] : {};
  const options = metadataOptions(metadata, ['namespace', 'labels', 'annotations'], patch, hatch);
  const spec = isRecord(doc.object['spec']) ? doc.object['spec'] : {};
  const statements: string[] = [];
  const deps = Array.isArray(spec['dependencies']) ? spec['dependencies'] : [];
  const triggers = Array.isArray(spec['triggers']) ? spec['triggers'] : [];
  if (deps.length === 0 || triggers.length === 0) throw new Unmapped('a Sensor without dependencies or triggers');
  const specPatch: Obj = {};
  if (deps.every(dependencyFits)) {
    const codes = deps.map((d) => {
      const g = githubTriggerCode(d as Obj);
      if (!g) return literal(d);
      ctx.imports.add('github');
      const id = identifier(g.name, ctx.taken);
      statements.push(`const ${id} = ${g.code};`);
      return id;
    });
    options.push(`dependencies: [${codes.join(', ')}]`);
  } else {
    options.push(`dependencies: ${literal(deps.map((d) => ({ name: (d as Obj)['name'], eventSourceName: (d as Obj)['eventSourceName'], eventName: (d as Obj)['eventName'] })))}`);
    specPatch['dependencies'] = deps;
    hatch('spec.dependencies', 'dependency fields the EventDependency type does not declare');
  }
  if (triggers.every(triggerFits)) options.push(`triggers: ${literal(triggers)}`);
  else {
    options.push(`triggers: ${literal(triggers.map((t) => ({ template: { name: isRecord(t) && isRecord(t['template']) ? t['template']['name'] : 'trigger', log: {} } })))}`);
    specPatch['triggers'] = triggers;
    hatch('spec.triggers', 'trigger fields the Trigger type does not declare');
  }
  for (const [k, v] of Object.entries(spec).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (k === 'dependencies' || k === 'triggers') continue;
    if (k === 'eventBusName' && typeof v === 'string') options.push(`eventBusName: ${str(v)}`);
    else if (k === 'replicas' && typeof v === 'number') options.push(`replicas: ${v}`);
    else if (k === 'template' && isRecord(v)) {
      const { serviceAccountName, metadata: m, ...rest } = v;
      if (typeof serviceAccountName === 'string') options.push(`serviceAccountName: ${str(serviceAccountName)}`);
      else if (serviceAccountName !== undefined) rest['serviceAccountName'] = serviceAccountName;
      if (isRecord(m) && Object.keys(m).every((x) => x === 'labels' || x === 'annotations')) options.push(`templateMetadata: ${literal(m)}`);
      else if (m !== undefined) rest['metadata'] = m;
      if (Object.keys(rest).length) {
        specPatch['template'] = rest;
        for (const r of Object.keys(rest)) hatch(`spec.template.${r}`, 'Sensor pod settings beyond the service account and metadata');
      }
    } else {
      specPatch[k] = v;
      hatch(`spec.${k}`, 'a Sensor field the builder has no option for');
    }
  }
  if (Object.keys(specPatch).length) patch['spec'] = specPatch;
  for (const [k, v] of Object.entries(doc.object)) {
    if (['apiVersion', 'kind', 'metadata', 'spec'].includes(k)) continue;
    patch[k] = v;
    hatch(k, 'a top-level field outside metadata and spec');
  }
  ctx.imports.add('sensor');
  return { statements, expression: withPatch(ctx, `sensor(${str(doc.name)}, { ${options.join(', ')} })`, patch), imports: ctx.imports, escapeHatches: ctx.escapeHatches };
}

/** A GitHub EventSource entry as `GithubWebhookOptions` (the builder writes it back), or Unmapped. */
function githubOptions(e: Obj): Obj {
  const allowed = ['repositories', 'organizations', 'events', 'webhook', 'webhookSecret', 'githubApp', 'contentType', 'active', 'insecure', 'deleteHookOnFinish', 'githubBaseURL', 'githubUploadURL'];
  if (!Object.keys(e).every((k) => allowed.includes(k)) || e['insecure'] === true) throw new Unmapped('GitHub EventSource fields the typed options do not cover');
  const w = isRecord(e['webhook']) ? e['webhook'] : {};
  if (!Object.keys(w).every((k) => ['endpoint', 'port', 'method', 'url'].includes(k)) || typeof w['url'] !== 'string' || typeof w['endpoint'] !== 'string') throw new Unmapped('a GitHub webhook the typed options do not cover');
  const o: Obj = {};
  if (Array.isArray(e['repositories'])) o['repositories'] = e['repositories'].flatMap((r: unknown) => (isRecord(r) && Array.isArray(r['names']) ? r['names'].map((n) => `${String(r['owner'])}/${String(n)}`) : []));
  if (e['organizations'] !== undefined) o['organizations'] = e['organizations'];
  o['events'] = e['events'];
  o['url'] = w['url'];
  o['endpoint'] = w['endpoint'];
  if (w['port'] !== undefined) o['port'] = Number(w['port']);
  if (isRecord(e['webhookSecret'])) o['webhookSecret'] = e['webhookSecret'];
  const app = e['githubApp'];
  if (isRecord(app)) o['githubApp'] = { appId: app['appID'], installationId: app['installationID'], privateKey: app['privateKey'] };
  for (const k of ['contentType', 'active', 'deleteHookOnFinish', 'githubBaseURL', 'githubUploadURL']) if (e[k] !== undefined) o[k] = e[k];
  return o;
}

/**
 * An EventSource: GitHub, webhook and calendar entries through the typed options when `typed`, every other kind
 * (and, when not `typed`, every kind) through the builder's `spec` escape hatch, exactly as written.
 */
export function mapEventSource(doc: ReadDocument, ctx: MapContext, typed: boolean): MappedCode {
  const hatch = (path: string, why: string): void => void ctx.escapeHatches.push({ path, why });
  const patch: Obj = {};
  const metadata = isRecord(doc.object['metadata']) ? doc.object['metadata'] : {};
  const options = metadataOptions(metadata, ['namespace', 'labels'], patch, hatch);
  const spec = isRecord(doc.object['spec']) ? doc.object['spec'] : {};
  const rest: Obj = {};
  for (const [k, v] of Object.entries(spec).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (k === 'eventBusName' && typeof v === 'string') options.push(`eventBusName: ${str(v)}`);
    else if (k === 'template' && isRecord(v) && Object.keys(v).length === 1 && typeof v['serviceAccountName'] === 'string') options.push(`serviceAccountName: ${str(v['serviceAccountName'])}`);
    else if (typed && k === 'service') continue; // written by the builder from the ports of the webhook entries
    else if (typed && (k === 'webhook' || k === 'calendar' || k === 'github') && isRecord(v)) {
      const entries = Object.entries(v).map(([name, e]) => {
        if (!isRecord(e)) throw new Unmapped('an event entry is not a mapping');
        let o: Obj = { ...e };
        if (k === 'github') o = githubOptions(e);
        else if (k === 'webhook') {
          if (typeof o['port'] === 'string' && /^\d+$/.test(o['port'])) o['port'] = Number(o['port']);
          if (!Object.keys(o).every((x) => ['endpoint', 'port', 'method', 'authSecret'].includes(x))) throw new Unmapped('webhook fields');
        } else if (!Object.keys(o).every((x) => ['schedule', 'interval', 'timezone', 'exclusionDates'].includes(x))) throw new Unmapped('calendar fields');
        return `${key(name)}: ${literal(o)}`;
      });
      options.push(`${k}: ${object(entries)}`);
    } else {
      rest[k] = v;
      hatch(`spec.${k}`, typed ? 'an event source kind the typed options do not cover, kept through the spec option' : 'EventSource entries the typed options do not write exactly, kept through the spec option');
    }
  }
  if (Object.keys(rest).length) options.push(`spec: ${literal(rest)}`);
  for (const [k, v] of Object.entries(doc.object)) {
    if (['apiVersion', 'kind', 'metadata', 'spec'].includes(k)) continue;
    patch[k] = v;
    hatch(k, 'a top-level field outside metadata and spec');
  }
  ctx.imports.add('eventSource');
  return { statements: [], expression: withPatch(ctx, `eventSource(${str(doc.name)}, ${object(options)})`, patch), imports: ctx.imports, escapeHatches: ctx.escapeHatches };
}
