/**
 * `validateEventResources`: schema and semantic validation of Argo Events Sensors and EventSources, plus
 * cross-checks with the other resources given (EventSources named by dependencies, WorkflowTemplates
 * submitted by triggers, event-derived values kept out of shell code). Plugs into `lintYaml` as its
 * `eventResources` extension.
 */
import type { ValidateFunction } from 'ajv';
import type { Diagnostic, SourceLocation } from '../../diagnostic.js';
import { Reporter, asArray, asString, isRecord, quote, type PathPart } from './_internal/reporter.js';
import { EVENT_SOURCE_SCHEMA, SENSOR_SCHEMA } from './_internal/event-schema.js';
import * as precompiled from './_internal/event-validators.generated.js';
import { checkSensor } from './sensor-rules.js';
import { checkUnfilteredDependencies, eventSourceTypes } from './unfiltered-dependency.js';
import { withGoFieldNames } from './_internal/go-field-names.js';
import { checkEventSource, eventsOf } from './event-source-rules.js';
import { checkAgreement, checkEventValuesStayOutOfShell, submittedWorkflows, templateKey } from './trigger-agreement.js';

export interface ValidateEventOptions {
  /** Maps an object index and a path inside it to a source location (a YAML node, a builder call). */
  readonly locate?: (objectIndex: number, path: readonly (string | number)[]) => SourceLocation | undefined;
  /**
   * Objects validated before (another module's, in `argots compile --watch`): Sensors are checked against the
   * EventSources and WorkflowTemplates among them, but they are not validated again.
   */
  readonly context?: readonly unknown[];
}

/**
 * The Sensor and EventSource schemas (event-schema.ts), compiled by ajv at build time
 * (scripts/generate-event-validators.ts): compiling them at run time took ~180 ms of every lint and simulate.
 */
const compiled = { sensor: precompiled.sensor as unknown as ValidateFunction, eventSource: precompiled.eventSource as unknown as ValidateFunction };
function validators(): { sensor: ValidateFunction; eventSource: ValidateFunction } {
  return compiled;
}

function pointerToPath(pointer: string): PathPart[] {
  return pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function schemaCheck(r: Reporter, validate: ValidateFunction, value: unknown): boolean {
  if (validate(value)) return true;
  for (const e of validate.errors ?? []) {
    const path = pointerToPath(e.instancePath);
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') {
      const missing = String(params['missingProperty']);
      r.report('ARG310', [...path, missing], `${quote(missing)} is required, received nothing`, `add ${missing}`);
    } else if (e.keyword === 'additionalProperties') {
      const extra = String(params['additionalProperty']);
      r.report('ARG310', [...path, extra], `${quote(extra)} is not a field here`, 'check the spelling against the Argo Events API (field names are case-sensitive)');
    } else if (e.keyword === 'type') {
      r.report('ARG310', path, `expected ${String(params['type']).replace(/,/g, ' or ')}, received ${Array.isArray(valueAt(value, path)) ? 'array' : typeof valueAt(value, path)} ${quote(valueAt(value, path))}`, 'fix the value type');
    } else if (e.keyword === 'const') {
      r.report('ARG310', path, `expected ${quote(params['allowedValue'])}, received ${quote(valueAt(value, path))}`, 'use the Argo Events API version and kind');
    } else {
      r.report('ARG310', path, `${e.message ?? 'is invalid'}`, 'fix the value');
    }
  }
  return false;
}

function valueAt(value: unknown, path: readonly PathPart[]): unknown {
  let cur = value;
  for (const p of path) cur = isRecord(cur) || Array.isArray(cur) ? (cur as Record<string | number, unknown>)[p] : undefined;
  return cur;
}

/**
 * Validates Sensors and EventSources among `objects` (other kinds are used for cross-checks only).
 *
 * @example
 * ```ts
 * const diagnostics = validateEventResources([sensor, eventSource, workflowTemplate]);
 * ```
 */
export function validateEventResources(validated: readonly unknown[], options: ValidateEventOptions = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const objects = options.context ? [...validated, ...options.context] : validated;
  // Compiling the two schemas costs ~80 ms: not done for a compile without Sensors and EventSources.
  if (!validated.some((o) => isRecord(o) && (o['kind'] === 'Sensor' || o['kind'] === 'EventSource'))) return diagnostics;
  const { sensor: sensorSchema, eventSource: sourceSchema } = validators();
  const sourceTypes = eventSourceTypes(objects);
  const sources = new Map<string, string[]>();
  const templates = new Map<string, Record<string, unknown>>();
  const templateIndex = new Map<string, number>();
  for (const [i, o] of objects.entries()) {
    if (!isRecord(o) || !isRecord(o['metadata'])) continue;
    const name = asString(o['metadata']['name']);
    if (!name) continue;
    if (o['kind'] === 'EventSource') sources.set(name, eventsOf(o));
    if (o['kind'] === 'WorkflowTemplate' || o['kind'] === 'ClusterWorkflowTemplate') {
      const key = templateKey(name, o['kind'] === 'ClusterWorkflowTemplate');
      templates.set(key, o);
      templateIndex.set(key, i);
    }
  }
  validated.forEach((written, index) => {
    if (!isRecord(written)) return;
    const kind = written['kind'];
    if (kind !== 'Sensor' && kind !== 'EventSource') return;
    const name = isRecord(written['metadata']) ? asString(written['metadata']['name']) : undefined;
    const locate = options.locate ? (path: readonly PathPart[]) => options.locate?.(index, path) : undefined;
    const r = new Reporter(`${kind} ${quote(name ?? '(unnamed)')}`, locate);
    // Go's encoding/json matches field names case-insensitively: read the object as Argo Events does, and warn.
    const read = withGoFieldNames(kind === 'EventSource' ? EVENT_SOURCE_SCHEMA : SENSOR_SCHEMA, written);
    for (const f of read.renamed) {
      r.report('ARG310', f.path, `${quote(f.written)} is read by Argo Events as ${quote(f.field)} (Go's JSON decoding matches field names case-insensitively)`, `write it as ${f.field}`, 'warning');
    }
    const o = read.value as Record<string, unknown>;
    if (kind === 'EventSource') {
      if (schemaCheck(r, sourceSchema, o)) checkEventSource(r, o);
    } else if (schemaCheck(r, sensorSchema, o)) {
      checkSensor(r, o);
      checkUnfilteredDependencies(r, o, sourceTypes);
      if (sources.size > 0) {
        asArray(isRecord(o['spec']) ? o['spec']['dependencies'] : undefined).forEach((d, i) => {
          if (!isRecord(d)) return;
          const events = sources.get(String(d['eventSourceName']));
          if (!events) r.report('ARG330', ['spec', 'dependencies', i, 'eventSourceName'], `dependency ${quote(d['name'])} listens to EventSource ${quote(d['eventSourceName'])}, which is not among the resources given (known: ${[...sources.keys()].join(', ')})`, 'fix the name, or include the EventSource');
          else if (!events.includes(String(d['eventName']))) r.report('ARG330', ['spec', 'dependencies', i, 'eventName'], `dependency ${quote(d['name'])} listens to event ${quote(d['eventName'])}, which EventSource ${quote(d['eventSourceName'])} does not define (defined: ${events.join(', ') || 'none'})`, 'use one of the defined event names');
        });
      }
      if (templates.size > 0) {
        checkAgreement(r, o, templates);
        for (const s of submittedWorkflows(o)) {
          const key = s.workflowTemplate ? templateKey(s.workflowTemplate, s.clusterScope) : '';
          const template = templates.get(key);
          if (!template || s.filled.size === 0) continue;
          const at = templateIndex.get(key) ?? -1;
          const tr = new Reporter(`WorkflowTemplate ${quote(s.workflowTemplate)}`, options.locate ? (path) => options.locate?.(at, path) : undefined);
          checkEventValuesStayOutOfShell(tr, template, s.filled, `filled from the event by Sensor ${quote(name ?? '')}`);
          diagnostics.push(...tr.diagnostics);
        }
      }
    }
    diagnostics.push(...r.diagnostics);
  });
  return diagnostics;
}
