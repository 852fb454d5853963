/**
 * The upstream Argo Workflows JSON schema (test/schemas, tests only), compiled with ajv, with
 * IntOrString widened to string-or-integer as SOURCE.md says (Kubernetes and Argo accept both).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

const SCHEMA_PATH = fileURLToPath(new URL('../../../../../test/schemas/argo-workflows.schema.json', import.meta.url));

export interface UpstreamError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message: string;
}

let validators: Map<string, (data: unknown) => UpstreamError[]> | undefined;

function load(): Map<string, (data: unknown) => UpstreamError[]> {
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { definitions: Record<string, unknown> };
  schema.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { type: ['string', 'integer'] };
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(schema, 'argo');
  const out = new Map<string, (data: unknown) => UpstreamError[]>();
  for (const kind of ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']) {
    const validate = ajv.getSchema(`argo#/definitions/io.argoproj.workflow.v1alpha1.${kind}`);
    if (!validate) throw new Error(`upstream schema has no definition for ${kind}`);
    out.set(kind, (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, message: e.message ?? '' }))));
  }
  return out;
}

/** Errors of the upstream schema for one Argo object (its kind picks the definition). */
export function upstreamErrors(object: Readonly<Record<string, unknown>>): UpstreamError[] {
  validators ??= load();
  const validate = validators.get(String(object['kind']));
  if (!validate) throw new Error(`not an Argo Workflows kind: ${String(object['kind'])}`);
  return validate(object);
}
