/**
 * Offline Sensor simulation: evaluates Sensors against one GitHub webhook delivery with Argo Events' own
 * semantics (see packages/dsl/README.md, the filter semantics, and Argo Events' pkg/sensors/dependencies/filter.go).
 */
import type { EventDependency, Sensor, Trigger, TriggerParameter } from '../events/types/sensor.js';
import type { EventSource } from '../events/types/event-source.js';
import { DEFAULT_EVENT_TIME, buildArgoEventFrom, normalizeDelivery, type ArgoEvent, type NormalizedDelivery, type WebhookDelivery } from './argo-event.js';
import { filterEvent, type FilterFailure } from './filter-event.js';
import { applyParameters, ParameterError, type AppliedParameter } from './resolve-parameter.js';
import { evaluateGovaluate, GovaluateError, govaluateVariables, parseGovaluate, runJqTransform, runLuaTransform, type GovaluateExpr, type JqTransformResult } from '@argots/expr';
import type { DependencySimulation, SensorSimulation, SimulationResult, TriggerSimulation } from './simulation-result.js';

export interface SimulateOptions {
  /**
   * The EventSources the delivery may arrive at. With them, a dependency receives the delivery only when its
   * `eventSourceName`/`eventName` names a GitHub (or webhook) event of one of them that subscribes to the
   * delivery's event type and, for GitHub, covers its repository. Without them, every dependency receives it.
   */
  readonly eventSources?: readonly EventSource[];
  /** Deliver only to dependencies on this EventSource name. */
  readonly eventSourceName?: string;
  /** Deliver only to dependencies on this event name. */
  readonly eventName?: string;
  /** RFC 3339 time of the event (time filters read it); fixed by default so results are deterministic. */
  readonly time?: string;
  /**
   * Results of the dependencies' jq transforms, computed beforehand by `prepareSimulation` (jq runs as
   * WebAssembly, which loads asynchronously). Without them a jq transform leaves its dependency unknown.
   */
  readonly jq?: ReadonlyMap<string, JqTransformResult>;
}

const jqKey = (program: string, data: unknown): string => `${program}\u0000${JSON.stringify(data)}`;

type Transformed = { readonly event: ArgoEvent } | { readonly failure: FilterFailure };

/**
 * transform.go's ApplyTransform, which the Sensor applies before the filters: `jq` when set, else `script`
 * (Lua); the result becomes the event's data (`application/json`), which the filters and the trigger's
 * parameters then read. An event without data passes unchanged; an error drops the event.
 */
function applyTransform(dep: EventDependency, event: ArgoEvent, options: SimulateOptions): Transformed {
  const transform = dep.transform;
  if (!transform || (!transform.jq && !transform.script)) return { event };
  if (event.data === undefined || event.data === null) return { event };
  let result: JqTransformResult | ReturnType<typeof runLuaTransform>;
  if (transform.jq) {
    const found = options.jq?.get(jqKey(transform.jq, event.data));
    if (!found) return { failure: { kind: 'transform', outcome: 'unsupported', reason: 'jq transforms are evaluated only when simulate is prepared with prepareSimulation (the CLI does)' } };
    result = found;
  } else result = runLuaTransform(transform.script as string, event.data);
  if ('unsupported' in result) return { failure: { kind: 'transform', outcome: 'unsupported', reason: result.unsupported } };
  if ('error' in result) return { failure: { kind: 'transform', outcome: 'error', reason: `${transform.jq ? 'jq' : 'script'} transform error (${result.error}): Argo Events drops the event` } };
  return { event: { context: { ...event.context, datacontenttype: 'application/json' }, data: result.data } };
}

type Route = { delivered: true; sourceType: 'github' | 'webhook'; metadata?: Readonly<Record<string, string>> } | { delivered: false; reason: string };
const GITHUB_ROUTE: Route = { delivered: true, sourceType: 'github' };

function repositoryOf(body: unknown): string | undefined {
  const repo = (body as { repository?: { full_name?: unknown } } | null)?.repository?.full_name;
  return typeof repo === 'string' ? repo : undefined;
}

function route(dep: EventDependency, delivery: WebhookDelivery, options: SimulateOptions): Route {
  if (options.eventSourceName !== undefined && dep.eventSourceName !== options.eventSourceName) {
    return { delivered: false, reason: `the delivery arrives at EventSource "${options.eventSourceName}", not "${dep.eventSourceName}"` };
  }
  if (options.eventName !== undefined && dep.eventName !== options.eventName) {
    return { delivered: false, reason: `the delivery arrives as event "${options.eventName}", not "${dep.eventName}"` };
  }
  if (!options.eventSources) return { delivered: true, sourceType: 'github' };
  const source = options.eventSources.find((s) => s.metadata.name === dep.eventSourceName);
  if (!source) return { delivered: false, reason: `no EventSource named "${dep.eventSourceName}" among the ${options.eventSources.length} given` };
  const github = source.spec.github?.[dep.eventName];
  if (github) {
    if (!github.events.includes('*') && !github.events.includes(delivery.eventType)) {
      return { delivered: false, reason: `EventSource "${dep.eventSourceName}" event "${dep.eventName}" subscribes to [${github.events.join(', ')}], not "${delivery.eventType}"` };
    }
    const repo = repositoryOf(delivery.body);
    const covered =
      repo !== undefined &&
      ((github.repositories ?? []).some((r) => r.names.some((n) => `${r.owner}/${n}`.toLowerCase() === repo.toLowerCase())) ||
        (typeof github.owner === 'string' && typeof github.repository === 'string' && `${github.owner}/${github.repository}`.toLowerCase() === repo.toLowerCase()) ||
        (github.organizations ?? []).some((o) => repo.toLowerCase().startsWith(`${o.toLowerCase()}/`)));
    if (!covered) return { delivered: false, reason: `EventSource "${dep.eventSourceName}" event "${dep.eventName}" has no webhook on repository "${repo ?? '(none)'}"` };
    return github.metadata ? { delivered: true, sourceType: 'github', metadata: github.metadata } : { delivered: true, sourceType: 'github' };
  }
  const webhook = source.spec.webhook?.[dep.eventName];
  if (webhook) return webhook.metadata ? { delivered: true, sourceType: 'webhook', metadata: webhook.metadata } : { delivered: true, sourceType: 'webhook' };
  return { delivered: false, reason: `EventSource "${dep.eventSourceName}" has no github or webhook event named "${dep.eventName}"` };
}

/** Argo reads dashes in dependency names as underscores in `conditions`. */
const conditionName = (name: string): string => name.replace(/-/g, '_');

interface CompiledTrigger {
  readonly name: string;
  readonly conditions: string;
  readonly expr: GovaluateExpr | undefined;
  readonly error: string | undefined;
  readonly vars: readonly string[];
}

interface CompiledSensor {
  readonly conditionNames: readonly string[];
  readonly triggers: readonly CompiledTrigger[];
}

const compiledSensors = new WeakMap<Sensor, CompiledSensor>();

function compileSensor(sensor: Sensor): CompiledSensor {
  const hit = compiledSensors.get(sensor);
  if (hit) return hit;
  const conditionNames = (sensor.spec.dependencies ?? []).map((d) => conditionName(d.name));
  const triggers = (sensor.spec.triggers ?? []).map((trigger, index): CompiledTrigger => {
    const name = trigger.template?.name ?? `#${index}`;
    const written = trigger.template?.conditions;
    const conditions = written !== undefined && written !== '' ? written : conditionNames.join(' && ');
    try {
      const expr = parseGovaluate(conditionName(conditions === '' ? 'false' : conditions));
      return { name, conditions, expr, error: undefined, vars: [...govaluateVariables(expr)] };
    } catch (error) {
      return { name, conditions, expr: undefined, error: `conditions: ${(error as Error).message}`, vars: [] };
    }
  });
  const compiled = { conditionNames, triggers };
  compiledSensors.set(sensor, compiled);
  return compiled;
}

function decideConditions(expr: GovaluateExpr, vars: readonly string[], matched: ReadonlySet<string>, unknown: ReadonlySet<string>): boolean | 'unknown' {
  if (unknown.size === 0) {
    const params = new Map<string, unknown>();
    for (const v of vars) params.set(v, matched.has(v));
    const r = evaluateGovaluate(expr, params);
    if (typeof r !== 'boolean') throw new GovaluateError(`conditions evaluate to ${JSON.stringify(r)}, not a boolean`);
    return r;
  }
  const open = vars.filter((v) => unknown.has(v));
  if (open.length > 10) return 'unknown';
  let sawTrue = false;
  let sawFalse = false;
  for (let mask = 0; mask < 1 << open.length; mask += 1) {
    const params = new Map<string, unknown>();
    for (const v of vars) params.set(v, matched.has(v));
    open.forEach((v, i) => params.set(v, (mask & (1 << i)) !== 0));
    const r = evaluateGovaluate(expr, params);
    if (typeof r !== 'boolean') throw new GovaluateError(`conditions evaluate to ${JSON.stringify(r)}, not a boolean`);
    if (r) sawTrue = true;
    else sawFalse = true;
  }
  return sawTrue && sawFalse ? 'unknown' : sawTrue;
}

function workflowParametersOf(resource: unknown): Record<string, string> | undefined {
  const params = (resource as { spec?: { arguments?: { parameters?: unknown } } } | null)?.spec?.arguments?.parameters;
  if (!Array.isArray(params)) return undefined;
  const out: Record<string, string> = {};
  for (const p of params as { name?: unknown; value?: unknown }[]) {
    if (typeof p?.name === 'string') out[p.name] = typeof p.value === 'string' ? p.value : JSON.stringify(p.value ?? null);
  }
  return out;
}

function runTrigger(trigger: Trigger, events: ReadonlyMap<string, ArgoEvent>, applied: AppliedParameter[]): { resource?: unknown } {
  let template: unknown = trigger.template;
  if (trigger.parameters && trigger.parameters.length > 0) template = applyParameters(template, trigger.parameters, events, applied);
  const t = template as NonNullable<Trigger['template']>;
  const resourceTrigger = t.argoWorkflow ?? t.k8s;
  if (resourceTrigger) {
    const source = resourceTrigger.source;
    let resource: unknown = source?.resource;
    if (resource === undefined && typeof source?.inline === 'string') {
      try {
        resource = JSON.parse(source.inline) as unknown;
      } catch {
        throw new ParameterError('inline YAML resources are not parsed by simulate; give the resource as source.resource');
      }
    }
    if (resource === undefined) throw new ParameterError('the trigger has no source.resource (git, s3, url and configmap sources are not fetched by simulate)');
    const params: readonly TriggerParameter[] = resourceTrigger.parameters ?? [];
    if (params.length > 0) resource = applyParameters(resource, params, events, applied);
    return { resource };
  }
  if (t.http) {
    let payload: unknown;
    for (const p of t.http.payload ?? []) {
      if (p.dest === '') {
        const one: AppliedParameter[] = [];
        applyParameters({}, [{ ...p, dest: 'x' }], events, one);
        const first = one[0];
        if (first && first.value !== null) {
          applied.push({ ...first, dest: '' });
          return { resource: first.value };
        }
        continue;
      }
      payload = applyParameters(payload, [p], events, applied);
    }
    return { resource: payload ?? null };
  }
  return {};
}

/**
 * Events of earlier deliveries a Sensor still holds, by dependency name: Argo Events keeps the latest event of
 * each dependency until a trigger whose conditions it completes fires, which consumes the events it used.
 */
export type HeldEvents = Map<string, ArgoEvent>;

function simulateSensor(sensor: Sensor, delivery: WebhookDelivery, normalized: NormalizedDelivery, events_: Map<string, ArgoEvent>, options: SimulateOptions, held?: HeldEvents): SensorSimulation {
  const dependencies: DependencySimulation[] = [];
  const events = new Map<string, ArgoEvent>();
  const matched = new Set<string>();
  const unknown = new Set<string>();
  const compiled = compileSensor(sensor);
  const specDeps = sensor.spec.dependencies ?? [];
  for (let di = 0; di < specDeps.length; di += 1) {
    const dep = specDeps[di] as EventDependency;
    const condName = compiled.conditionNames[di] as string;
    const r = options.eventSources || options.eventSourceName !== undefined || options.eventName !== undefined ? route(dep, delivery, options) : GITHUB_ROUTE;
    if (!r.delivered) {
      dependencies.push({ name: dep.name, eventSourceName: dep.eventSourceName, eventName: dep.eventName, status: 'not-delivered', failure: { kind: 'route', outcome: 'mismatch', reason: r.reason } });
      continue;
    }
    const key = `${r.sourceType}\u0000${dep.eventSourceName}\u0000${dep.eventName}`;
    let event = events_.get(key);
    if (!event) {
      event = buildArgoEventFrom(normalized, {
        eventSourceName: dep.eventSourceName,
        eventName: dep.eventName,
        sourceType: r.sourceType,
        ...(r.metadata ? { metadata: r.metadata } : {}),
        ...(options.time !== undefined ? { time: options.time } : {}),
      });
      events_.set(key, event);
    }
    const transformed = applyTransform(dep, event, options);
    if ('failure' in transformed) {
      const status = transformed.failure.outcome === 'unsupported' ? 'unknown' : 'rejected';
      if (status === 'unknown') unknown.add(condName);
      dependencies.push({ name: dep.name, eventSourceName: dep.eventSourceName, eventName: dep.eventName, status, failure: transformed.failure });
      continue;
    }
    event = transformed.event;
    const verdict = filterEvent(dep.filters, dep.filtersLogicalOperator, event);
    if (verdict.passed) {
      matched.add(condName);
      events.set(dep.name, event);
      dependencies.push({ name: dep.name, eventSourceName: dep.eventSourceName, eventName: dep.eventName, status: 'matched' });
    } else {
      const status = verdict.failure?.outcome === 'unsupported' ? 'unknown' : 'rejected';
      if (status === 'unknown') unknown.add(condName);
      const rejected: DependencySimulation = verdict.failures
        ? { name: dep.name, eventSourceName: dep.eventSourceName, eventName: dep.eventName, status, failure: verdict.failure as FilterFailure, failures: verdict.failures }
        : { name: dep.name, eventSourceName: dep.eventSourceName, eventName: dep.eventName, status, failure: verdict.failure as FilterFailure };
      dependencies.push(rejected);
    }
  }
  const allDeps = compiled.conditionNames;
  if (held) {
    // A sequence of deliveries: what earlier deliveries matched still counts, the newest event of a dependency wins.
    specDeps.forEach((dep, i) => {
      const condName = allDeps[i] as string;
      const current = events.get(dep.name);
      if (current) held.set(dep.name, current);
      else {
        const earlier = held.get(dep.name);
        if (earlier && !unknown.has(condName)) {
          matched.add(condName);
          events.set(dep.name, earlier);
        }
      }
    });
  }
  const triggers: TriggerSimulation[] = [];
  const specTriggers = sensor.spec.triggers ?? [];
  for (let index = 0; index < specTriggers.length; index += 1) {
    const trigger = specTriggers[index] as Trigger;
    const { name, conditions, expr, error, vars } = compiled.triggers[index] as CompiledTrigger;
    if (!expr) {
      triggers.push({ name, status: 'fails', conditions, reason: error ?? 'conditions do not parse', parameters: [] });
      continue;
    }
    let decided: boolean | 'unknown';
    try {
      decided = decideConditions(expr, vars, matched, unknown);
    } catch (e) {
      triggers.push({ name, status: 'fails', conditions, reason: `conditions: ${(e as Error).message}`, parameters: [] });
      continue;
    }
    if (decided === 'unknown') {
      triggers.push({ name, status: 'unknown', conditions, reason: 'depends on a dependency simulate could not evaluate', parameters: [] });
      continue;
    }
    if (!decided) {
      const missing = specDeps.filter((_d, i) => !matched.has(allDeps[i] as string)).map((d) => d.name);
      triggers.push({ name, status: 'waits', conditions, reason: `not satisfied; dependencies without a matching event: ${missing.join(', ') || '(none)'}`, parameters: [] });
      continue;
    }
    const applied: AppliedParameter[] = [];
    if (held) {
      // The trigger fires: the events its conditions read are consumed.
      specDeps.forEach((dep, i) => {
        if (vars.includes(allDeps[i] as string)) held.delete(dep.name);
      });
    }
    try {
      const { resource } = runTrigger(trigger, events, applied);
      const workflowParameters = trigger.template?.argoWorkflow ? workflowParametersOf(resource) : undefined;
      triggers.push({
        name,
        status: 'fires',
        conditions,
        parameters: applied,
        ...(workflowParameters ? { workflowParameters } : {}),
        ...(resource !== undefined ? { resource } : {}),
      });
    } catch (error) {
      triggers.push({ name, status: 'fails', conditions, reason: (error as Error).message, parameters: applied });
    }
  }
  return { sensor: sensor.metadata?.name ?? '(unnamed)', dependencies, triggers };
}

/**
 * Evaluates `sensors` against one GitHub webhook `delivery`, as Argo Events would: which triggers fire with
 * which parameters, and for every dependency that does not match, the first filter that failed and why.
 *
 * @example
 * ```ts
 * const result = simulate([sensor], { eventType: 'push', body: payload });
 * console.log(formatSimulation(result));
 * ```
 */
export function simulate(sensors: readonly Sensor[], delivery: WebhookDelivery, options: SimulateOptions = {}, held?: readonly HeldEvents[]): SimulationResult {
  const time = options.time ?? DEFAULT_EVENT_TIME;
  const withTime = { ...options, time };
  const normalized = normalizeDelivery(delivery);
  const events = new Map<string, ArgoEvent>();
  return {
    delivery: { eventType: delivery.eventType, time },
    sensors: sensors.map((s, i) => simulateSensor(s, delivery, normalized, events, withTime, held?.[i])),
  };
}

/**
 * Evaluates `sensors` against several deliveries in order, as one running Sensor would: a dependency matched by
 * an earlier delivery still counts for a trigger whose conditions need several dependencies (`a && b`), until a
 * trigger fires and consumes the events it used. One result per delivery.
 *
 * @example
 * ```ts
 * const [first, second] = simulateSequence([sensor], [push, pullRequestMerged]);
 * ```
 */
export function simulateSequence(sensors: readonly Sensor[], deliveries: readonly WebhookDelivery[], options: SimulateOptions = {}): SimulationResult[] {
  const held = sensors.map((): HeldEvents => new Map());
  return deliveries.map((delivery) => simulate(sensors, delivery, options, held));
}

/**
 * Computes what `simulate` cannot compute synchronously — the dependencies' jq transforms — for these
 * deliveries, and returns the options to pass to `simulate`/`simulateSequence` with them.
 *
 * @example
 * ```ts
 * const options = await prepareSimulation(sensors, [delivery]);
 * const result = simulate(sensors, delivery, options);
 * ```
 */
export async function prepareSimulation(sensors: readonly Sensor[], deliveries: readonly WebhookDelivery[], options: SimulateOptions = {}): Promise<SimulateOptions> {
  const time = options.time ?? DEFAULT_EVENT_TIME;
  const withTime = { ...options, time };
  const jq = new Map<string, JqTransformResult>(options.jq ?? []);
  for (const delivery of deliveries) {
    const normalized = normalizeDelivery(delivery);
    for (const sensor of sensors) {
      for (const dep of sensor.spec.dependencies ?? []) {
        const program = dep.transform?.jq;
        if (!program) continue;
        const r = options.eventSources || options.eventSourceName !== undefined || options.eventName !== undefined ? route(dep, delivery, withTime) : GITHUB_ROUTE;
        if (!r.delivered) continue;
        const event = buildArgoEventFrom(normalized, {
          eventSourceName: dep.eventSourceName,
          eventName: dep.eventName,
          sourceType: r.sourceType,
          ...(r.metadata ? { metadata: r.metadata } : {}),
          time,
        });
        if (event.data === undefined || event.data === null) continue;
        const key = jqKey(program, event.data);
        if (!jq.has(key)) jq.set(key, await runJqTransform(program, event.data));
      }
    }
  }
  return { ...options, jq };
}
