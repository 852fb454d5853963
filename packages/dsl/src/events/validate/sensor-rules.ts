/**
 * Semantic checks of a Sensor: Argo's own (pkg/reconciler/sensor/validate.go) and the ones Argo does not make
 * (unique dependency names, conditions naming known dependencies, parameters naming existing dependencies,
 * regexes that compile, comparators that fit their type, dest paths that parse).
 */
import { asArray, asString, isRecord, quote, type PathPart, type Reporter } from './_internal/reporter.js';
import { compileRe2, GovaluateError, govaluateVariables, parseGjsonPath, parseGoBool, parseGoFloat, parseGoTemplate, parseGovaluate, parseSjsonPath, TemplateError } from '@argots/expr';

export const TRIGGER_TYPES = ['argoWorkflow', 'k8s', 'http', 'log', 'awsLambda', 'custom', 'kafka', 'nats', 'slack', 'openWhisk', 'azureEventHubs', 'azureServiceBus', 'pulsar', 'email'] as const;
const OPERATORS = new Set(['', 'and', 'or']);
const COMPARATORS = new Set(['', '=', '!=', '>', '>=', '<', '<=']);
const HMS = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

function checkOperator(r: Reporter, value: unknown, path: PathPart[], field: string): void {
  if (value !== undefined && !OPERATORS.has(String(value))) {
    r.report('ARG322', path, `${field} must be "and" or "or", received ${quote(value)}`, `use "and" (the default) or "or"`);
  }
}

function checkGjson(r: Reporter, path: PathPart[], value: string, what: string): void {
  const parsed = parseGjsonPath(value);
  if ('unsupported' in parsed) r.report('ARG321', path, `${what} ${quote(value)} uses gjson syntax argots cannot check or simulate: ${parsed.unsupported}`, 'use a plain dotted path (escape literal dots as \\.)', 'warning');
}

function checkTemplate(r: Reporter, path: PathPart[], source: string, what: string): void {
  try {
    parseGoTemplate(source);
  } catch (error) {
    const unsupported = error instanceof TemplateError && error.unsupported;
    r.report('ARG333', path, `${what} ${quote(source)} ${unsupported ? 'uses Go template syntax argots does not check' : 'does not parse'}: ${(error as Error).message}`, 'write a Go template such as {{ .Input.body.ref | lower }}', unsupported ? 'warning' : 'error');
  }
}

/**
 * ARG337: HTTP headers reach a Sensor as lists (`headers.X-Github-Event` is `["push"]`): Argo Events then
 * matches the value against the JSON text of the list, so an anchored value (`^push$`) never matches.
 */
function checkHeaderIndex(r: Reporter, path: PathPart[], filterPath: string, values: readonly unknown[]): void {
  const m = /^headers\.([^.]+)$/.exec(filterPath);
  if (!m) return;
  const anchored = values.some((v) => /^\^|(?<!\\)\$$/.test(String(v)));
  r.report(
    'ARG337',
    [...path, 'path'],
    `data filter path ${quote(filterPath)} names a header, which is a list (["push"]): ${anchored ? 'an anchored value such as ' + quote(values.map(String).find((v) => /^\^|\$$/.test(v))) + ' can never match it' : 'the value is matched against the JSON text of the list'}`,
    `take the header's first value: path: headers.${m[1]}.0`,
    anchored ? 'error' : 'warning',
  );
}

function checkDataFilter(r: Reporter, f: Record<string, unknown>, path: PathPart[]): void {
  const type = asString(f['type']);
  const values = asArray(f['value']);
  const filterPath = asString(f['path']);
  if (!filterPath) r.report('ARG323', [...path, 'path'], 'data filter needs a path, received nothing', 'set path to a gjson path such as body.ref');
  else checkGjson(r, [...path, 'path'], filterPath, 'data filter path');
  if (filterPath) checkHeaderIndex(r, path, filterPath, values);
  if (!type) {
    r.report('ARG323', [...path, 'type'], 'data filter needs a type (string, number or bool), received nothing', 'set type: string, number or bool');
    return;
  }
  if (values.length === 0) r.report('ARG323', [...path, 'value'], 'data filter needs at least one value, received none', 'list the values to match; they are ORed');
  if (!['string', 'number', 'bool'].includes(type)) {
    r.report('ARG324', [...path, 'type'], `data filter type must be string, number or bool, received ${quote(type)}`, 'use string (values are regular expressions), number or bool');
    return;
  }
  const comparator = f['comparator'];
  if (comparator !== undefined && !COMPARATORS.has(String(comparator))) {
    r.report('ARG325', [...path, 'comparator'], `comparator must be one of = != > >= < <=, received ${quote(comparator)}`, 'leave it empty for equality');
  } else if (type === 'string' && comparator !== undefined && !['', '=', '!='].includes(String(comparator))) {
    r.report('ARG325', [...path, 'comparator'], `comparator ${quote(comparator)} does not apply to type string (Argo then never matches)`, 'string filters take = (match) or != (no match); use type number to compare numbers');
  } else if (type === 'bool' && comparator !== undefined && comparator !== '') {
    r.report('ARG325', [...path, 'comparator'], `comparator ${quote(comparator)} is ignored for type bool`, 'remove the comparator; list the boolean to match ("true" or "false")', 'warning');
  }
  if (f['template'] !== undefined) checkTemplate(r, [...path, 'template'], String(f['template']), 'data filter template');
  values.forEach((v, i) => {
    const at = [...path, 'value', i];
    const text = String(v);
    if (type === 'string') {
      const re = compileRe2(text);
      if (!re.ok) r.report('ARG326', at, `value ${quote(text)} is not a valid Go regular expression: ${re.error}`, 'values of string filters are RE2 regular expressions; escape . ( ) [ ] with a backslash', re.unsupported ? 'warning' : 'error');
      else if (!text.startsWith('^') && !text.startsWith('(?i)^') || !text.endsWith('$')) {
        r.report('ARG326', at, `value ${quote(text)} is an unanchored regular expression: it also matches values that merely contain it`, `anchor it: "^${text.replace(/^\^/, '').replace(/\$$/, '')}$"`, 'warning');
      }
    } else if (type === 'number') {
      const n = parseGoFloat(text);
      if (!n.ok) r.report('ARG326', at, `value ${quote(text)} is not a number`, 'number filters take decimal numbers such as "50" or "2.5"');
    } else {
      const b = parseGoBool(text);
      if (!b.ok) r.report('ARG326', at, `value ${quote(text)} is not a boolean`, 'bool filters take "true" or "false"');
    }
  });
}

function checkExprFilter(r: Reporter, f: Record<string, unknown>, path: PathPart[]): void {
  const expr = asString(f['expr']);
  const fields = asArray(f['fields']);
  if (!expr) r.report('ARG327', [...path, 'expr'], 'expr filter needs an expression, received nothing', 'write a govaluate expression such as ref == "refs/heads/main"');
  if (fields.length === 0) r.report('ARG327', [...path, 'fields'], 'expr filter needs fields binding names to payload paths, received none (Argo skips it)', 'add fields: [{ name: ref, path: body.ref }]');
  const bound = new Set<string>();
  fields.forEach((field, i) => {
    if (!isRecord(field) || !asString(field['name']) || !asString(field['path'])) {
      r.report('ARG327', [...path, 'fields', i], 'an expr field needs a name and a path', 'add name: and path:');
      return;
    }
    bound.add(field['name'] as string);
    checkGjson(r, [...path, 'fields', i, 'path'], field['path'] as string, 'expr field path');
  });
  if (!expr) return;
  try {
    const parsed = parseGovaluate(expr);
    for (const name of govaluateVariables(parsed)) {
      if (!bound.has(name)) r.report('ARG327', [...path, 'expr'], `expression ${quote(expr)} reads ${quote(name)}, which no field binds`, `add a field { name: ${name}, path: … } or fix the name`);
    }
  } catch (error) {
    const unsupported = error instanceof GovaluateError && error.unsupported;
    r.report('ARG327', [...path, 'expr'], `expression ${quote(expr)} ${unsupported ? 'uses syntax argots does not check' : 'does not parse'}: ${(error as Error).message}`, 'use govaluate syntax: == != > < && || =~ ( )', unsupported ? 'warning' : 'error');
  }
}

function checkTimeFilter(r: Reporter, f: Record<string, unknown>, path: PathPart[]): void {
  const start = asString(f['start']);
  const stop = asString(f['stop']);
  for (const [key, value] of [['start', start], ['stop', stop]] as const) {
    if (!value || !HMS.test(value)) r.report('ARG328', [...path, key], `time filter ${key} must be hh:mm:ss, received ${quote(value)}`, 'write a 24-hour time such as "09:00:00"');
  }
  if (start && stop && start === stop) r.report('ARG328', path, `time filter start and stop are both ${quote(start)}`, 'give a window: start before stop, or stop before start to wrap midnight');
  const zone = asString(f['timezone']);
  if (zone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      r.report('ARG328', [...path, 'timezone'], `timezone ${quote(zone)} is not an IANA time zone`, 'use a name such as "Europe/Paris" or "UTC"');
    }
  }
}

function checkParameters(r: Reporter, list: unknown, path: PathPart[], dependencies: ReadonlySet<string>, allowEmptyDest: boolean): void {
  asArray(list).forEach((p, i) => {
    const at = [...path, i];
    if (!isRecord(p)) return;
    const src = isRecord(p['src']) ? p['src'] : undefined;
    const dep = asString(src?.['dependencyName']);
    if (!src || !dep) r.report('ARG318', [...at, 'src', 'dependencyName'], 'trigger parameter needs src.dependencyName, received nothing', 'name the dependency whose event fills this parameter');
    else if (!dependencies.has(dep)) r.report('ARG319', [...at, 'src', 'dependencyName'], `trigger parameter reads dependency ${quote(dep)}, which the Sensor does not have (known: ${[...dependencies].join(', ') || 'none'})`, 'use one of the Sensor\'s dependency names');
    const dest = p['dest'];
    if (typeof dest !== 'string' || (dest === '' && !allowEmptyDest)) r.report('ARG318', [...at, 'dest'], `trigger parameter needs a dest, received ${quote(dest)}`, 'set dest to an sjson path such as spec.arguments.parameters.0.value');
    else if (dest !== '') {
      const parsed = parseSjsonPath(dest);
      if (!Array.isArray(parsed)) r.report('ARG321', [...at, 'dest'], `dest ${quote(dest)} is not a valid sjson path: ${parsed.invalid}`, 'use dot-separated keys and array indices; -1 appends');
    }
    const op = p['operation'];
    if (op !== undefined && !['', 'append', 'overwrite', 'prepend'].includes(String(op))) r.report('ARG320', [...at, 'operation'], `operation must be append, overwrite or prepend, received ${quote(op)}`, 'leave it empty to overwrite');
    if (src) {
      for (const key of ['dataTemplate', 'contextTemplate'] as const) if (typeof src[key] === 'string') checkTemplate(r, [...at, 'src', key], src[key] as string, key);
      if (typeof src['dataKey'] === 'string') checkGjson(r, [...at, 'src', 'dataKey'], src['dataKey'] as string, 'dataKey');
    }
  });
}

function checkTrigger(r: Reporter, trigger: Record<string, unknown>, path: PathPart[], dependencies: ReadonlySet<string>, names: Map<string, number>): void {
  const template = isRecord(trigger['template']) ? trigger['template'] : undefined;
  if (!template) {
    r.report('ARG317', [...path, 'template'], 'trigger needs a template, received nothing', 'add template: { name: …, argoWorkflow: … }');
    return;
  }
  const name = asString(template['name']);
  if (!name) r.report('ARG315', [...path, 'template', 'name'], 'trigger needs a name, received nothing', 'name the trigger, e.g. submit-build');
  else if (names.has(name)) r.report('ARG315', [...path, 'template', 'name'], `trigger name ${quote(name)} is also used by trigger #${(names.get(name) as number) + 1}`, 'give every trigger its own name');
  else names.set(name, Number(path[path.length - 1]));
  const types = TRIGGER_TYPES.filter((t) => template[t] !== undefined);
  if (types.length !== 1) {
    r.report('ARG316', [...path, 'template'], `trigger ${quote(name ?? '')} must have exactly one type (${TRIGGER_TYPES.slice(0, 4).join(', ')}, …), received ${types.length === 0 ? 'none' : types.join(' and ')}`, 'keep one of argoWorkflow, k8s, http, log');
  }
  const conditions = asString(template['conditions']);
  if (conditions !== undefined && conditions !== '') {
    const known = new Set([...dependencies].map((d) => d.replace(/-/g, '_')));
    try {
      const expr = parseGovaluate(conditions.replace(/-/g, '_'));
      for (const v of govaluateVariables(expr)) {
        if (!known.has(v)) r.report('ARG329', [...path, 'template', 'conditions'], `conditions ${quote(conditions)} name ${quote(v)}, which is not a dependency (known: ${[...dependencies].join(', ')})`, 'use dependency names joined with && and ||');
      }
    } catch (error) {
      r.report('ARG329', [...path, 'template', 'conditions'], `conditions ${quote(conditions)} do not parse: ${(error as Error).message}`, 'write a boolean expression over dependency names, e.g. "push || tag"');
    }
  }
  const wf = isRecord(template['argoWorkflow']) ? template['argoWorkflow'] : undefined;
  const k8s = isRecord(template['k8s']) ? template['k8s'] : undefined;
  const http = isRecord(template['http']) ? template['http'] : undefined;
  for (const [kind, t] of [['argoWorkflow', wf], ['k8s', k8s]] as const) {
    if (!t) continue;
    if (!isRecord(t['source']) || Object.keys(t['source']).length === 0) r.report('ARG317', [...path, 'template', kind, 'source'], `${kind} trigger ${quote(name ?? '')} needs a source (resource, inline, git, s3, url, configmap), received nothing`, 'give the resource to create under source.resource');
    if (kind === 'k8s' && !t['operation']) r.report('ARG317', [...path, 'template', kind, 'operation'], `k8s trigger ${quote(name ?? '')} needs an operation, received nothing`, 'use create, update, patch or delete');
    checkParameters(r, t['parameters'], [...path, 'template', kind, 'parameters'], dependencies, false);
  }
  if (wf && wf['operation'] !== undefined && !['submit', 'submit-from', 'resubmit', 'resume', 'retry', 'suspend', 'terminate', 'stop'].includes(String(wf['operation']))) {
    r.report('ARG317', [...path, 'template', 'argoWorkflow', 'operation'], `argoWorkflow operation must be submit, submit-from, resubmit, resume, retry, suspend, terminate or stop, received ${quote(wf['operation'])}`, 'use submit to start a workflow');
  }
  if (http) {
    if (!asString(http['url'])) r.report('ARG317', [...path, 'template', 'http', 'url'], `http trigger ${quote(name ?? '')} needs a url, received nothing`, 'set url: https://…');
    checkParameters(r, http['payload'], [...path, 'template', 'http', 'payload'], dependencies, true);
    checkParameters(r, http['parameters'], [...path, 'template', 'http', 'parameters'], dependencies, false);
  }
  checkParameters(r, trigger['parameters'], [...path, 'parameters'], dependencies, false);
  const retry = trigger['retryStrategy'];
  if (isRecord(retry) && typeof retry['steps'] === 'number' && retry['steps'] < 0) r.report('ARG335', [...path, 'retryStrategy', 'steps'], `retryStrategy steps must be ≥ 0, received ${retry['steps']}`, 'give the number of retries');
  const rate = trigger['rateLimit'];
  if (isRecord(rate)) {
    if (rate['unit'] !== undefined && !['Second', 'Minute', 'Hour'].includes(String(rate['unit']))) r.report('ARG335', [...path, 'rateLimit', 'unit'], `rateLimit unit must be Second, Minute or Hour, received ${quote(rate['unit'])}`, 'use Second, Minute or Hour');
    if (typeof rate['requestsPerUnit'] === 'number' && rate['requestsPerUnit'] <= 0) r.report('ARG335', [...path, 'rateLimit', 'requestsPerUnit'], `rateLimit requestsPerUnit must be > 0, received ${rate['requestsPerUnit']}`, 'give a positive number of triggers per unit');
  }
}

/** Checks one Sensor (already schema-valid). */
export function checkSensor(r: Reporter, sensor: Record<string, unknown>): void {
  const spec = isRecord(sensor['spec']) ? sensor['spec'] : {};
  const deps = asArray(spec['dependencies']);
  const names = new Set<string>();
  if (deps.length === 0) r.report('ARG311', ['spec', 'dependencies'], 'Sensor needs at least one dependency, received none', 'add a dependency on an EventSource event');
  deps.forEach((d, i) => {
    const at: PathPart[] = ['spec', 'dependencies', i];
    if (!isRecord(d)) return;
    for (const key of ['name', 'eventSourceName', 'eventName'] as const) {
      if (!asString(d[key])) r.report('ARG312', [...at, key], `dependency #${i + 1} needs ${key}, received nothing`, `set ${key}`);
    }
    const name = asString(d['name']);
    if (name) {
      if (names.has(name)) r.report('ARG313', [...at, 'name'], `dependency name ${quote(name)} is used twice`, 'give every dependency its own name; parameters and conditions refer to it');
      names.add(name);
    }
    checkOperator(r, d['filtersLogicalOperator'], [...at, 'filtersLogicalOperator'], 'filtersLogicalOperator');
    const filters = isRecord(d['filters']) ? d['filters'] : undefined;
    if (!filters) return;
    checkOperator(r, filters['dataLogicalOperator'], [...at, 'filters', 'dataLogicalOperator'], 'dataLogicalOperator');
    checkOperator(r, filters['exprLogicalOperator'], [...at, 'filters', 'exprLogicalOperator'], 'exprLogicalOperator');
    asArray(filters['data']).forEach((f, j) => isRecord(f) && checkDataFilter(r, f, [...at, 'filters', 'data', j]));
    asArray(filters['exprs']).forEach((f, j) => isRecord(f) && checkExprFilter(r, f, [...at, 'filters', 'exprs', j]));
    if (isRecord(filters['time'])) checkTimeFilter(r, filters['time'], [...at, 'filters', 'time']);
  });
  const triggers = asArray(spec['triggers']);
  if (triggers.length === 0) r.report('ARG314', ['spec', 'triggers'], 'Sensor needs at least one trigger, received none', 'add a trigger, e.g. an argoWorkflow submit');
  const triggerNames = new Map<string, number>();
  triggers.forEach((t, i) => isRecord(t) && checkTrigger(r, t, ['spec', 'triggers', i], names, triggerNames));
}
