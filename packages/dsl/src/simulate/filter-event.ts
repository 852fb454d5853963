/**
 * Argo Events' dependency filters (pkg/sensors/dependencies/filter.go), reproduced: kinds are evaluated in
 * the order exprs → data → context → time → script (Lua); under `filtersLogicalOperator` "" or `and` the first failure
 * (or error) discards the event, under `or` the event passes when any configured kind passes.
 */
import type { ArgoEvent } from './argo-event.js';
import type { DataFilter, EventDependencyFilter, ExprFilter, TimeFilter } from '../events/types/sensor.js';
import { compileRe2, evaluateGovaluate, executeGoTemplate, gjsonBool, gjsonFloat, gjsonGet, gjsonString, GovaluateError, parseGoBool, parseGoFloat, parseGovaluate, runLuaFilter, TemplateError } from '@argots/expr';

export type FilterKind = 'exprs' | 'data' | 'context' | 'time' | 'script' | 'transform' | 'route';

/** Why a dependency did not match: the first filter that failed. */
export interface FilterFailure {
  readonly kind: FilterKind;
  /** Index of the data or expr filter within its list. */
  readonly index?: number;
  /** The gjson path (data filters) or context field. */
  readonly path?: string;
  /** `mismatch`: evaluated and false; `error`: Argo reports an error (the event is discarded under `and`);
   * `unsupported`: simulate cannot evaluate this faithfully. */
  readonly outcome: 'mismatch' | 'error' | 'unsupported';
  readonly reason: string;
}

export interface FilterVerdict {
  readonly passed: boolean;
  readonly failure?: FilterFailure;
  /** Under `or`: why each configured kind failed; when the event passed, the errors Argo Events still
   * returns (and logs) beside its verdict (filter.go joins them). */
  readonly failures?: readonly FilterFailure[];
}

type KindResult = { passed: true } | { passed: false; failure: FilterFailure };
const PASS: KindResult = { passed: true };

class Unsupported extends Error {}

function fail(failure: FilterFailure): KindResult {
  return { passed: false, failure };
}

const shown = new WeakMap<readonly string[], string>();
function show(values: readonly string[]): string {
  let text = shown.get(values);
  if (text === undefined) {
    text = `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
    shown.set(values, text);
  }
  return text;
}

function dataFail(f: DataFilter, index: number, outcome: FilterFailure['outcome'], reason: string): KindResult {
  return { passed: false, failure: { kind: 'data', index, path: f.path, outcome, reason } };
}

function dataFilterOne(f: DataFilter, index: number, data: unknown): KindResult {
  // A filter without path (lint: ARG323) reads gjson's empty path, which never exists.
  const found = gjsonGet(data, typeof f.path === 'string' ? f.path : '');
  if (!found.exists) {
    if (found.unsupported) return dataFail(f, index, 'unsupported', found.unsupported);
    return dataFail(f, index, 'error', `path '${f.path}' does not exist`);
  }
  const values = f.value ?? [];
  if (values.length === 0) return dataFail(f, index, 'error', 'no values specified');
  let value: unknown = found.value;
  if (f.template) {
    let out: string;
    try {
      out = executeGoTemplate(f.template, gjsonString(found.value));
    } catch (error) {
      const unsupported = error instanceof TemplateError && error.unsupported;
      return dataFail(f, index, unsupported ? 'unsupported' : 'error', `template: ${(error as Error).message}`);
    }
    if (out === '' || out === '<no value>') return dataFail(f, index, 'error', `template '${f.template}' evaluated to empty string or no value`);
    value = out;
  }
  const comparator = f.comparator ?? '';
  switch (f.type) {
    case 'bool': {
      const actual = gjsonBool(value);
      for (let i = 0; i < values.length; i += 1) {
        const parsed = parseGoBool(values[i] as string);
        if (!parsed.ok) return dataFail(f, index, 'error', parsed.error);
        if (parsed.value === actual) return PASS;
      }
      return dataFail(f, index, 'mismatch', `${gjsonString(value) || JSON.stringify(gjsonString(value))} (as bool: ${actual}) is not ${values.length > 1 ? 'any of ' : ''}${show(values)}`);
    }
    case 'number': {
      const actual = gjsonFloat(value);
      for (let i = 0; i < values.length; i += 1) {
        const parsed = parseGoFloat(values[i] as string);
        if (!parsed.ok) return dataFail(f, index, 'error', parsed.error);
        const x = parsed.value;
        const ok =
          comparator === '>=' ? actual >= x : comparator === '>' ? actual > x : comparator === '<' ? actual < x
          : comparator === '<=' ? actual <= x : comparator === '!=' ? actual !== x : comparator === '=' || comparator === '' ? actual === x : false;
        if (ok) return PASS;
      }
      return dataFail(f, index, 'mismatch', `${actual} is not ${comparator || '='} ${values.length > 1 ? 'any of ' : ''}${show(values)}`);
    }
    case 'string': {
      const actual = typeof value === 'string' ? value : gjsonString(value);
      const negate = comparator === '!=';
      const equal = comparator === '=' || comparator === '';
      for (let i = 0; i < values.length; i += 1) {
        const re = compileRe2(values[i] as string);
        if (!re.ok) return dataFail(f, index, re.unsupported ? 'unsupported' : 'error', re.error);
        const match = re.regex.test(actual);
        if (negate ? !match : equal && match) return PASS;
      }
      const verb = negate ? 'matches one of' : `does not match ${values.length > 1 ? 'any of' : ''}`;
      return dataFail(f, index, 'mismatch', `${JSON.stringify(actual)} ${verb.trim()} ${show(values)} (unanchored regular expressions)`);
    }
    default:
      return dataFail(f, index, 'error', `unsupported JSON type '${f.type}'`);
  }
}

/** Argo Events' filterData: no data (a nil payload) passes; under `or` every filter is evaluated. */
function dataFilters(filters: readonly DataFilter[], operator: string | undefined, data: unknown): KindResult {
  if (filters.length === 0 || data === undefined || data === null) return PASS;
  if (operator !== 'or') {
    for (let i = 0; i < filters.length; i += 1) {
      const r = dataFilterOne(filters[i] as DataFilter, i, data);
      if (!r.passed) return r;
    }
    return PASS;
  }
  // filterData under or: the first passing filter returns (true, nil); earlier errors are dropped.
  let first: FilterFailure | undefined;
  for (const [i, f] of filters.entries()) {
    const r = dataFilterOne(f, i, data);
    if (r.passed) return PASS;
    first ??= r.failure;
  }
  return fail({ ...(first as FilterFailure), reason: `no data filter passed (dataLogicalOperator or); first: ${(first as FilterFailure).reason}` });
}

function exprFilterOne(f: ExprFilter, index: number, data: unknown): KindResult | 'skip' {
  const at = { kind: 'exprs' as const, index };
  const parameters = new Map<string, unknown>();
  for (const field of f.fields ?? []) {
    const found = gjsonGet(data, field.path);
    if (!found.exists) {
      if (found.unsupported) return fail({ ...at, path: field.path, outcome: 'unsupported', reason: found.unsupported });
      return fail({ ...at, path: field.path, outcome: 'error', reason: `path '${field.path}' does not exist` });
    }
    parameters.set(field.name, found.value);
  }
  if (parameters.size === 0) return 'skip';
  try {
    const result = evaluateGovaluate(parseGovaluate(f.expr), parameters);
    if (result === true) return PASS;
    const bound = [...parameters].map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ');
    return fail({ ...at, outcome: 'mismatch', reason: `"${f.expr}" is ${JSON.stringify(result)} with ${bound}` });
  } catch (error) {
    const unsupported = error instanceof GovaluateError && error.unsupported;
    return fail({ ...at, outcome: unsupported ? 'unsupported' : 'error', reason: (error as Error).message });
  }
}

/** Argo Events' filterExpr: no data (a nil payload) passes; under `or` every filter is evaluated. */
function exprFilters(filters: readonly ExprFilter[], operator: string | undefined, data: unknown): KindResult {
  if (data === undefined || data === null) return PASS;
  if (operator !== 'or') {
    for (const [i, f] of filters.entries()) {
      const r = exprFilterOne(f, i, data);
      if (r !== 'skip' && !r.passed) return r;
    }
    return PASS;
  }
  // filterExpr under or: the first passing filter returns (true, nil); earlier errors are dropped.
  let first: FilterFailure | undefined;
  for (const [i, f] of filters.entries()) {
    const r = exprFilterOne(f, i, data);
    if (r === 'skip') continue;
    if (r.passed) return PASS;
    first ??= r.failure;
  }
  if (!first) return fail({ kind: 'exprs', outcome: 'mismatch', reason: 'no expr filter has fields (exprLogicalOperator or)' });
  return fail({ ...first, reason: `no expr filter passed (exprLogicalOperator or); first: ${first.reason}` });
}

function contextFilter(expected: NonNullable<EventDependencyFilter['context']>, event: ArgoEvent): KindResult {
  for (const key of ['type', 'subject', 'source', 'datacontenttype'] as const) {
    const want = expected[key];
    if (want !== undefined && want !== '' && want !== event.context[key]) {
      return fail({ kind: 'context', path: key, outcome: 'mismatch', reason: `context ${key} is ${JSON.stringify(event.context[key])}, the filter wants ${JSON.stringify(want)}` });
    }
  }
  return PASS;
}

const HMS = /^(\d{1,2}):(\d{2}):(\d{2})$/;

function secondsInZone(instant: Date, zone: string | undefined): number {
  if (!zone) return instant.getUTCHours() * 3600 + instant.getUTCMinutes() * 60 + instant.getUTCSeconds();
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  } catch {
    throw new Unsupported(`unknown time zone "${zone}"`);
  }
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 3600 + get('minute') * 60 + get('second');
}

function timeFilter(f: TimeFilter, event: ArgoEvent): KindResult {
  const parse = (text: string): number | undefined => {
    const m = HMS.exec(text);
    if (!m) return undefined;
    const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return h < 24 && mi < 60 && s < 60 ? h * 3600 + mi * 60 + s : undefined;
  };
  const start = parse(f.start);
  const stop = parse(f.stop);
  if (start === undefined) return fail({ kind: 'time', outcome: 'error', reason: `parsing time "${f.start}" as "15:04:05": cannot parse` });
  if (stop === undefined) return fail({ kind: 'time', outcome: 'error', reason: `parsing time "${f.stop}" as "15:04:05": cannot parse` });
  const instant = new Date(event.context.time);
  if (Number.isNaN(instant.getTime())) return fail({ kind: 'time', outcome: 'error', reason: `event time "${event.context.time}" is not RFC 3339` });
  let t: number;
  try {
    t = secondsInZone(instant, f.timezone);
  } catch (error) {
    return fail({ kind: 'time', outcome: 'error', reason: (error as Error).message });
  }
  const ok = start < stop ? t >= start && t < stop : t >= start || t < stop;
  if (ok) return PASS;
  const clock = `${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
  return fail({ kind: 'time', outcome: 'mismatch', reason: `event time ${clock}${f.timezone ? ` (${f.timezone})` : ' UTC'} is outside [${f.start}, ${f.stop})` });
}

/** filter.go's filterScript: Lua over the event's data; passes when the script's last result is `true`. */
function scriptFilter(script: string, event: ArgoEvent): KindResult {
  if (event.data === undefined || event.data === null) return PASS;
  const r = runLuaFilter(script, event.data);
  if ('unsupported' in r) return fail({ kind: 'script', outcome: 'unsupported', reason: r.unsupported });
  if ('error' in r) return fail({ kind: 'script', outcome: 'error', reason: `script filter error (${r.error})` });
  return r.passed ? PASS : fail({ kind: 'script', outcome: 'mismatch', reason: 'the script did not return true' });
}

function runKind(kind: 0 | 1 | 2 | 3 | 4, filters: EventDependencyFilter, event: ArgoEvent): KindResult {
  switch (kind) {
    case 0:
      return filters.exprs ? exprFilters(filters.exprs, filters.exprLogicalOperator, event.data) : PASS;
    case 1:
      return filters.data ? dataFilters(filters.data, filters.dataLogicalOperator, event.data) : PASS;
    case 2:
      return filters.context ? contextFilter(filters.context, event) : PASS;
    case 3:
      return filters.time ? timeFilter(filters.time, event) : PASS;
    case 4:
      return filters.script ? scriptFilter(filters.script, event) : PASS;
  }
}

const KINDS = [0, 1, 2, 3, 4] as const;
const PASSED: FilterVerdict = Object.freeze({ passed: true });

/** Evaluates a dependency's filters against an event, as the Sensor would (order: exprs, data, context, time, script). */
export function filterEvent(filters: EventDependencyFilter | undefined, filtersLogicalOperator: string | undefined, event: ArgoEvent): FilterVerdict {
  if (!filters) return PASSED;
  if (filtersLogicalOperator !== 'or') {
    for (const kind of KINDS) {
      const r = runKind(kind, filters, event);
      if (!r.passed) return { passed: false, failure: r.failure };
    }
    return PASSED;
  }
  // filter.go's filterEvent under or evaluates every kind and returns pass = any configured kind passed,
  // together with the errors of the kinds that failed with one ("test 'or' filtersLogicalOperator with error":
  // pass true, err set); Filter(), which the Sensor calls, then returns false on any error: the event is
  // discarded although a kind passed.
  const configured = [filters.exprs !== undefined, filters.data !== undefined, filters.context !== undefined, filters.time !== undefined, Boolean(filters.script)];
  const failures: FilterFailure[] = [];
  let passed = false;
  for (const kind of KINDS) {
    if (!configured[kind]) continue;
    const r = runKind(kind, filters, event);
    if (r.passed) passed = true;
    else failures.push(r.failure);
  }
  // A script error discards the event whatever the operator (filterScript's error returns at once).
  const scriptError = failures.find((f) => f.kind === 'script' && f.outcome === 'error');
  if (scriptError) return { passed: false, failure: scriptError, failures };
  const unsupported = failures.find((f) => f.outcome === 'unsupported');
  if (unsupported && !passed) return { passed: false, failure: unsupported, failures };
  const error = failures.find((f) => f.outcome === 'error');
  if (passed && error) {
    return { passed: false, failure: { ...error, reason: `${error.reason} (under filtersLogicalOperator or another filter kind passed, but Argo Events' Filter discards an event whose filters return an error)` }, failures };
  }
  if (passed) return PASSED;
  const first = failures[0] ?? { kind: 'data' as const, outcome: 'mismatch' as const, reason: 'filtersLogicalOperator is or and no filter kind is configured' };
  return { passed: false, failure: first, failures };
}
