import type { SourceRef } from '../_internal/source.js';
import type { ParamSpec } from '../authoring/param.js';
import type { CallIR } from '../authoring/template.js';
import type { ConditionExpr } from './expr.js';
import type { Data, TemplateIR } from './template.js';

/** The Argo Workflows kinds the DSL emits. */
export type WorkflowKind = 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow' | 'Workflow';

export interface HookIR {
  readonly call: CallIR;
  readonly expression?: ConditionExpr | string;
}

/** A workflow spec: its entrypoint, the templates it carries, its parameters and every other field. */
export interface WorkflowSpecIR {
  readonly kind: 'workflow-spec';
  readonly entrypoint: TemplateIR | undefined;
  /** Templates emitted even when nothing calls them (a library WorkflowTemplate). */
  readonly templates: readonly TemplateIR[];
  /** Workflow parameters (`{{workflow.parameters.X}}`), with their declared values when given. */
  readonly parameters: readonly { readonly name: string; readonly spec: ParamSpec; readonly value: string | undefined }[];
  readonly workflowTemplateRef: { readonly name: string; readonly clusterScope: boolean } | undefined;
  readonly onExit: CallIR | undefined;
  readonly hooks: Readonly<Record<string, HookIR>> | undefined;
  /** Every other WorkflowSpec field, Argo-shaped (serviceAccountName, podGC, ttlStrategy, volumes, …). */
  readonly fields: Data;
}

/** One Argo Workflows object. */
export interface WorkflowResourceIR {
  readonly kind: 'workflow-resource';
  readonly apiKind: WorkflowKind;
  readonly name: string | undefined;
  readonly generateName: string | undefined;
  /** labels, annotations, namespace. */
  readonly metadata: Data;
  readonly spec: WorkflowSpecIR;
  /** CronWorkflow fields besides the workflow spec (schedules, timezone, …). */
  readonly cron: Data | undefined;
  readonly source: SourceRef;
}
