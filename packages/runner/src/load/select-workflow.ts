/**
 * The one workflow to run among the objects given (compiled pipelines, YAML files): a Workflow; a
 * WorkflowTemplate, through a Workflow that references it as a Sensor would submit it; or a CronWorkflow once.
 * Every WorkflowTemplate and ClusterWorkflowTemplate given is there for `templateRef`/`workflowTemplateRef`.
 */
import { randomBytes } from 'node:crypto';
import type { Arguments, ObjectMeta, Parameter, Template, WorkflowObject, WorkflowSpec } from '../model/workflow.js';
import type { LoadedWorkflow, TemplateContext } from './loaded-workflow.js';
import { RunInputError } from './run-input-error.js';

const RUNNABLE = ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'];

function isWorkflowObject(o: unknown): o is WorkflowObject {
  if (o === null || typeof o !== 'object') return false;
  const r = o as Record<string, unknown>;
  return typeof r['kind'] === 'string' && RUNNABLE.includes(r['kind']) && typeof r['metadata'] === 'object' && typeof r['spec'] === 'object' && r['spec'] !== null;
}

function contextOf(kind: string, name: string, templates: readonly Template[] | undefined): TemplateContext {
  return { source: `${kind}/${name}`, templates: new Map((templates ?? []).filter((t) => t.name !== undefined).map((t) => [t.name as string, t])) };
}

function suffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Workflow arguments over the template's: a parameter given by the workflow replaces the template's of that name. */
function mergeArguments(base: Arguments | undefined, over: Arguments | undefined): Arguments {
  const params = new Map<string, Parameter>();
  for (const p of base?.parameters ?? []) params.set(p.name, p);
  for (const p of over?.parameters ?? []) params.set(p.name, { ...params.get(p.name), ...p });
  const arts = new Map((base?.artifacts ?? []).map((a) => [a.name, a]));
  for (const a of over?.artifacts ?? []) arts.set(a.name, a);
  return { parameters: [...params.values()], artifacts: [...arts.values()] };
}

export interface SelectOptions {
  /** `--pipeline NAME`: the metadata.name of the object to run. */
  readonly pipeline?: string;
  /** The time a CronWorkflow is taken to be scheduled at (RFC 3339). */
  readonly now?: Date;
}

export function selectWorkflow(objects: readonly unknown[], options: SelectOptions = {}): LoadedWorkflow {
  const all = objects.filter(isWorkflowObject);
  const refs = new Map<string, TemplateContext>();
  for (const o of all) {
    if (o.kind === 'WorkflowTemplate' || o.kind === 'ClusterWorkflowTemplate') refs.set(`${o.kind}/${o.metadata.name ?? ''}`, contextOf(o.kind, o.metadata.name ?? '', o.spec.templates));
  }
  let chosen: WorkflowObject | undefined;
  if (options.pipeline !== undefined) {
    const named = all.filter((o) => o.metadata.name === options.pipeline || o.metadata.generateName === options.pipeline || o.metadata.generateName === `${options.pipeline}-`);
    if (named.length === 0) {
      throw new RunInputError('RUN101', `--pipeline "${options.pipeline}": no Workflow, WorkflowTemplate or CronWorkflow of that name among the files given`, `the files hold: ${all.map((o) => `${o.kind}/${o.metadata.name ?? o.metadata.generateName}`).join(', ') || 'nothing runnable'}`);
    }
    chosen = named.find((o) => o.kind === 'Workflow') ?? named.find((o) => o.kind === 'CronWorkflow') ?? named[0];
  } else {
    for (const kind of ['Workflow', 'CronWorkflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'] as const) {
      const of = all.filter((o) => o.kind === kind);
      if (of.length === 1) {
        chosen = of[0];
        break;
      }
      if (of.length > 1) {
        throw new RunInputError('RUN102', `the files hold ${of.length} ${kind}s (${of.map((o) => o.metadata.name ?? o.metadata.generateName).join(', ')}); argots run runs one`, 'pick one with --pipeline NAME');
      }
    }
  }
  if (!chosen) throw new RunInputError('RUN103', 'the files hold no Workflow, WorkflowTemplate or CronWorkflow', 'pass a pipeline (.ts) or Argo YAML');
  let meta: ObjectMeta = chosen.metadata;
  let spec: WorkflowSpec = chosen.kind === 'CronWorkflow' ? (chosen.spec.workflowSpec ?? {}) : chosen.spec;
  if (chosen.kind === 'CronWorkflow') meta = { ...chosen.spec.workflowMetadata, ...meta, generateName: `${chosen.metadata.name ?? 'cron'}-` };
  let context = contextOf(chosen.kind === 'CronWorkflow' ? 'CronWorkflow' : chosen.kind, chosen.metadata.name ?? chosen.metadata.generateName ?? '', spec.templates);
  // A WorkflowTemplate runs as the Workflow a Sensor creates: `workflowTemplateRef` to it.
  const ref = chosen.kind === 'WorkflowTemplate' || chosen.kind === 'ClusterWorkflowTemplate' ? { name: chosen.metadata.name ?? '', clusterScope: chosen.kind === 'ClusterWorkflowTemplate' } : spec.workflowTemplateRef;
  if (ref) {
    const key = `${ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'}/${ref.name}`;
    const target = all.find((o) => `${o.kind}/${o.metadata.name}` === key);
    if (!target) throw new RunInputError('RUN104', `workflowTemplateRef: ${key} is not among the files given`, 'pass the file that holds it too');
    const own = chosen.kind === 'Workflow' || chosen.kind === 'CronWorkflow' ? spec : {};
    spec = { ...target.spec, ...own, templates: target.spec.templates ?? [], arguments: mergeArguments(target.spec.arguments, own.arguments) };
    delete (spec as { workflowTemplateRef?: unknown }).workflowTemplateRef;
    context = refs.get(key) as TemplateContext;
    if (chosen.kind !== 'Workflow') meta = { ...target.spec.workflowMetadata, labels: { ...target.metadata.labels }, annotations: { ...target.metadata.annotations }, namespace: target.metadata.namespace ?? 'argo', generateName: `${target.metadata.name}-` } as ObjectMeta;
  }
  const name = meta.name ?? `${meta.generateName ?? 'workflow-'}${suffix()}`;
  return {
    name,
    metadata: meta,
    spec,
    context,
    refs,
    ...(chosen.kind === 'CronWorkflow' ? { scheduledTime: (options.now ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z') } : {}),
  };
}
