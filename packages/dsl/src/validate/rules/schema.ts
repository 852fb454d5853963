import { ClusterWorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/ClusterWorkflowTemplate';
import { CronWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/CronWorkflow';
import { Workflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import { WorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import type { WorkflowContext, WorkflowKind } from '../_internal/context.js';
import { isObject, type JsonObject } from '../_internal/json.js';
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
 * `container`, `script` and `templateDefaults` containers are named by Argo ("main"); and it requires
 * `apiVersion`/`kind` on a PersistentVolumeClaim, which Argo's `volumeClaimTemplates` (Go type
 * `[]apiv1.PersistentVolumeClaim`, TypeMeta optional; the controller creates them as PVCs) do not need.
 */
function argoAccepts(e: SchemaError): boolean {
  if (e.keyword !== 'required') return false;
  const missing = e.params['missingProperty'];
  if (missing === 'name' && /\/(container|script)$/.test(e.instancePath)) return true;
  return (missing === 'apiVersion' || missing === 'kind') && /\/volumeClaimTemplates\/\d+$/.test(e.instancePath);
}

function named(container: unknown): unknown {
  return isObject(container) && container['name'] === undefined ? { ...container, name: 'main' } : container;
}

function wrapGroups(templates: unknown): unknown {
  if (!Array.isArray(templates)) return templates;
  return templates.map((t: unknown) => {
    if (!isObject(t)) return t;
    const steps = Array.isArray(t['steps']);
    const unnamed = (isObject(t['container']) && t['container']['name'] === undefined) || (isObject(t['script']) && t['script']['name'] === undefined);
    if (!steps && !unnamed) return t;
    return {
      ...t,
      ...(steps ? { steps: (t['steps'] as unknown[]).map((group: unknown) => (Array.isArray(group) ? { steps: group } : group)) } : {}),
      ...(unnamed ? { container: named(t['container']), script: named(t['script']) } : {}),
    };
  });
}

function withSpec(spec: unknown): unknown {
  return isObject(spec) && Array.isArray(spec['templates']) ? { ...spec, templates: wrapGroups(spec['templates']) } : spec;
}

/**
 * The models describe a step group as the Go struct `ParallelSteps { steps: [...] }`; in YAML and JSON it is a
 * plain list (`steps: [[...], [...]]`). Present groups the models' way (a shallow copy), and map paths back.
 * A template's container / script is named "main" by Argo; the models require the name, so the copy gets it
 * (which also keeps the validator from throwing on every object: speed matters here).
 */
function modelShape(kind: WorkflowKind, object: JsonObject): JsonObject {
  const spec = object['spec'];
  if (!isObject(spec)) return object;
  if (kind === 'CronWorkflow') return { ...object, spec: { ...spec, workflowSpec: withSpec(spec['workflowSpec']) } };
  return { ...object, spec: withSpec(spec) };
}

const GROUP = /(\/templates\/\d+\/steps\/\d+)\/steps(?=\/|$)/;

function schemaErrors(kind: WorkflowKind, object: JsonObject): SchemaError[] {
  try {
    VALIDATORS[kind].prototype.validate.call(modelShape(kind, object));
    return [];
  } catch (error) {
    const errors = typeof error === 'object' && error !== null && 'errors' in error && Array.isArray(error.errors) ? error.errors : [];
    return errors.filter(isSchemaError).map((e) => ({ ...e, instancePath: e.instancePath.replace(GROUP, '$1') }));
  }
}

const unescape = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Reading YAML as Argo does: `sigs.k8s.io/yaml` decodes into Argo's Go types, and where the Go field is a
 * string it keeps an unquoted number or boolean as its text (`value: 3` is "3", `name: yes` is "true"). Returns
 * a copy with those values turned to text, so the rules see what Argo sees. Pure.
 */
export function withGoStringFields(kind: WorkflowKind, object: JsonObject): JsonObject {
  let current = object;
  for (let round = 0; round < 4; round += 1) {
    const targets = schemaErrors(kind, current).filter((e) => e.keyword === 'type' && e.params['type'] === 'string');
    let changed = false;
    for (const e of targets) {
      const path = e.instancePath.split('/').slice(1).map(unescape);
      const next = setText(current, path);
      if (next !== current) {
        current = next;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return current;
}

function setText(root: JsonObject, path: readonly string[]): JsonObject {
  const go = (node: unknown, i: number): unknown => {
    const key = path[i];
    if (key === undefined) return typeof node === 'number' || typeof node === 'boolean' ? JSON.stringify(node) : node;
    if (Array.isArray(node)) {
      const index = Number(key);
      const child = node[index];
      const updated = go(child, i + 1);
      if (updated === child) return node;
      const copy = [...node];
      copy[index] = updated;
      return copy;
    }
    if (isObject(node)) {
      const child = node[key];
      const updated = go(child, i + 1);
      return updated === child ? node : { ...node, [key]: updated };
    }
    return node;
  };
  return go(root, 0) as JsonObject;
}

/** Validates the object against the Argo Workflows JSON schema shipped with @kubernetes-models/argo-workflows. */
export function schema(ctx: WorkflowContext): void {
  const real = schemaErrors(ctx.kind, ctx.object).filter((e) => !argoAccepts(e));
  if (real.length > 0) for (const finding of schemaFindings(ctx.object, real)) ctx.reporter.report(finding);
}
