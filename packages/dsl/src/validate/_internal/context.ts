import type { Reporter } from './reporter.js';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject, type JsonPath } from './json.js';

export type WorkflowKind = 'Workflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';
export const WORKFLOW_KINDS: readonly WorkflowKind[] = ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'];

export function workflowKindOf(object: JsonObject): WorkflowKind | undefined {
  const apiVersion = object['apiVersion'];
  if (apiVersion !== 'argoproj.io/v1alpha1') return undefined;
  const kind = object['kind'];
  return WORKFLOW_KINDS.find((k) => k === kind);
}

/** The WorkflowTemplates and ClusterWorkflowTemplates among all objects given, for templateRef resolution. */
export interface ResourceIndex {
  lookup(clusterScope: boolean, name: string): JsonObject | undefined;
}

export function buildResourceIndex(objects: readonly JsonObject[]): ResourceIndex {
  const namespaced = new Map<string, JsonObject>();
  const cluster = new Map<string, JsonObject>();
  for (const object of objects) {
    const kind = workflowKindOf(object);
    const name = stringAt(object['metadata'], 'name');
    if (name === undefined) continue;
    if (kind === 'WorkflowTemplate' && !namespaced.has(name)) namespaced.set(name, object);
    if (kind === 'ClusterWorkflowTemplate' && !cluster.has(name)) cluster.set(name, object);
  }
  return { lookup: (clusterScope, name) => (clusterScope ? cluster : namespaced).get(name) };
}

export interface TemplateEntry {
  readonly template: JsonObject;
  readonly index: number;
  readonly path: JsonPath;
}

/** Everything a rule needs to know about the one Workflow-like object it checks. */
export interface WorkflowContext {
  readonly kind: WorkflowKind;
  readonly object: JsonObject;
  /** `spec`, or `spec.workflowSpec` for a CronWorkflow. */
  readonly spec: JsonObject;
  readonly specPath: JsonPath;
  readonly templates: readonly TemplateEntry[];
  /** First template of each name. */
  readonly templatesByName: ReadonlyMap<string, TemplateEntry>;
  readonly resources: ResourceIndex;
  readonly externalTemplates: 'error' | 'warn';
  readonly reporter: Reporter;
}

export function createWorkflowContext(
  kind: WorkflowKind,
  object: JsonObject,
  resources: ResourceIndex,
  externalTemplates: 'error' | 'warn',
  reporter: Reporter,
): WorkflowContext {
  const specPath: JsonPath = kind === 'CronWorkflow' ? ['spec', 'workflowSpec'] : ['spec'];
  const spec = (kind === 'CronWorkflow' ? objectAt(object['spec'], 'workflowSpec') : objectAt(object, 'spec')) ?? {};
  const templates: TemplateEntry[] = [];
  const templatesByName = new Map<string, TemplateEntry>();
  arrayAt(spec, 'templates').forEach((template, index) => {
    if (!isObject(template)) return;
    const entry: TemplateEntry = { template, index, path: [...specPath, 'templates', index] };
    templates.push(entry);
    const name = stringAt(template, 'name');
    if (name !== undefined && !templatesByName.has(name)) templatesByName.set(name, entry);
  });
  return { kind, object, spec, specPath, templates, templatesByName, resources, externalTemplates, reporter };
}
