import { ClusterWorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/ClusterWorkflowTemplate';
import { CronWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/CronWorkflow';
import { Workflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import type { WorkflowContext, WorkflowKind } from '../_internal/context.js';
import { schemaFindings, type SchemaError } from '../_internal/schema-errors.js';

/** The models' precompiled (ajv standalone) validators, one per kind; they throw with ajv's `errors`. */
const VALIDATORS: Readonly<Record<WorkflowKind, { readonly prototype: { validate(): void } }>> = {
  Workflow,
  WorkflowTemplate,
  ClusterWorkflowTemplate,
  CronWorkflow,
};

function isSchemaError(value: unknown): value is SchemaError {
  return typeof value === 'object' && value !== null && 'instancePath' in value && 'keyword' in value;
}

/**
 * Where the models' schema is stricter than Argo: it requires `name` on every k8s Container, but a template's
 * `container`, `script` and `templateDefaults` containers are named by Argo ("main").
 */
function argoAccepts(e: SchemaError): boolean {
  return e.keyword === 'required' && e.params['missingProperty'] === 'name' && /\/(container|script)$/.test(e.instancePath);
}

/** Validates the object against the Argo Workflows JSON schema shipped with @kubernetes-models/argo-workflows. */
export function schema(ctx: WorkflowContext): void {
  try {
    VALIDATORS[ctx.kind].prototype.validate.call(ctx.object);
  } catch (error) {
    const errors = typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors) ? error.errors : [];
    const real = errors.filter(isSchemaError).filter((e) => !argoAccepts(e));
    for (const finding of schemaFindings(ctx.object, real)) ctx.reporter.report(finding);
  }
}
