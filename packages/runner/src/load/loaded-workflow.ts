/** A workflow ready to run: its spec (a referenced WorkflowTemplate merged in) and where each template lives. */
import type { ObjectMeta, Template, TemplateRef, WorkflowSpec } from '../model/workflow.js';

/** The templates one template can call by `template:` — those of the resource that holds it. */
export interface TemplateContext {
  /** `Workflow/name`, `WorkflowTemplate/name`, … (for messages). */
  readonly source: string;
  readonly templates: ReadonlyMap<string, Template>;
}

export interface LoadedWorkflow {
  readonly name: string;
  readonly metadata: ObjectMeta;
  readonly spec: WorkflowSpec;
  readonly context: TemplateContext;
  /** Every WorkflowTemplate / ClusterWorkflowTemplate given, for templateRef. */
  readonly refs: ReadonlyMap<string, TemplateContext>;
  /** For a CronWorkflow: the time it is taken to be scheduled at. */
  readonly scheduledTime?: string;
}

export function resolveTemplateRef(wf: LoadedWorkflow, ref: TemplateRef): { template: Template; context: TemplateContext } | string {
  const key = `${ref.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'}/${ref.name}`;
  const context = wf.refs.get(key);
  if (!context) return `templateRef: ${key} is not among the files given`;
  const template = context.templates.get(ref.template);
  if (!template) return `templateRef: template "${ref.template}" not found in ${key}`;
  return { template, context };
}
