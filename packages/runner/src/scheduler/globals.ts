/**
 * The workflow's global variables (docs/variables.md "Global"; operator.go setGlobalParameters): name,
 * namespace, uid, entrypoint, service account, priority, creation time (RFC 3339 and strftime forms), labels,
 * annotations, parameters (after `-p`, with enums checked and `valueFrom` read).
 */
import { RunInputError } from '../load/run-input-error.js';
import type { WorkflowRun } from './workflow-run.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function strftime(d: Date): Record<string, string> {
  const h12 = d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12;
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  const yday = Math.floor((d.getTime() - start) / 86_400_000) + 1;
  return {
    Y: String(d.getUTCFullYear()), y: pad(d.getUTCFullYear() % 100), m: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()), e: String(d.getUTCDate()).padStart(2, ' '),
    H: pad(d.getUTCHours()), I: pad(h12), M: pad(d.getUTCMinutes()), S: pad(d.getUTCSeconds()), p: d.getUTCHours() < 12 ? 'AM' : 'PM',
    A: DAYS[d.getUTCDay()] as string, a: (DAYS[d.getUTCDay()] as string).slice(0, 3), B: MONTHS[d.getUTCMonth()] as string, b: (MONTHS[d.getUTCMonth()] as string).slice(0, 3),
    j: pad(yday, 3), w: String(d.getUTCDay()), s: String(Math.floor(d.getTime() / 1000)), Z: 'UTC', z: '+0000',
  };
}

export function setupGlobals(run: WorkflowRun): void {
  const { wf, options } = run;
  const g = run.globals;
  const rfc3339 = run.createdAt.toISOString().replace(/\.\d+Z$/, 'Z');
  g.set('workflow.name', run.name);
  g.set('workflow.namespace', wf.metadata.namespace ?? 'argo');
  g.set('workflow.uid', run.uid);
  g.set('workflow.mainEntrypoint', wf.spec.entrypoint ?? '');
  g.set('workflow.serviceAccountName', wf.spec.serviceAccountName ?? 'default');
  g.set('workflow.priority', String(wf.spec.priority ?? 0));
  g.set('workflow.creationTimestamp', rfc3339);
  g.set('workflow.creationTimestamp.RFC3339', rfc3339);
  for (const [k, v] of Object.entries(strftime(run.createdAt))) g.set(`workflow.creationTimestamp.${k}`, v);
  g.set('workflow.duration', '0');
  if (wf.scheduledTime) g.set('workflow.scheduledTime', wf.scheduledTime);
  for (const [k, v] of Object.entries(wf.metadata.labels ?? {})) g.set(`workflow.labels.${k}`, v);
  g.set('workflow.labels.json', JSON.stringify(wf.metadata.labels ?? {}));
  for (const [k, v] of Object.entries(wf.metadata.annotations ?? {})) g.set(`workflow.annotations.${k}`, v);
  g.set('workflow.annotations.json', JSON.stringify(wf.metadata.annotations ?? {}));
  const given = { ...(options.parameters ?? {}) };
  const declared = wf.spec.arguments?.parameters ?? [];
  const unknown = Object.keys(given).filter((k) => !declared.some((p) => p.name === k));
  if (unknown.length > 0) {
    throw new RunInputError('RUN120', `-p ${unknown.map((u) => `"${u}"`).join(', ')}: the workflow declares no such parameter`, `its parameters are: ${declared.map((p) => p.name).join(', ') || '(none)'}`);
  }
  const params: Record<string, string> = {};
  for (const p of declared) {
    let value: string | undefined = given[p.name] ?? (p.value !== undefined ? String(p.value) : undefined);
    if (value === undefined && p.valueFrom?.configMapKeyRef) value = run.readConfigKey(p.valueFrom.configMapKeyRef.name, p.valueFrom.configMapKeyRef.key);
    if (value === undefined) value = p.valueFrom?.default ?? (p.default !== undefined ? String(p.default) : undefined);
    if (value === undefined) {
      throw new RunInputError('RUN121', `workflow parameter "${p.name}" has no value`, `pass -p ${p.name}=VALUE${p.enum ? ` (one of ${p.enum.join(', ')})` : ''}`);
    }
    if (p.enum && p.enum.length > 0 && !p.enum.includes(value)) {
      throw new RunInputError('RUN122', `workflow parameter "${p.name}": "${value}" is not one of ${p.enum.map((e) => `"${e}"`).join(', ')}`, `pass -p ${p.name}=${p.enum[0]} or another value of the enum`);
    }
    params[p.name] = value;
    g.set(`workflow.parameters.${p.name}`, value);
  }
  const json = JSON.stringify(Object.entries(params).map(([name, value]) => ({ name, value })));
  g.set('workflow.parameters', json);
  g.set('workflow.parameters.json', json);
  run.globalParams = params;
}
