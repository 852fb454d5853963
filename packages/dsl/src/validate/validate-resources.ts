/**
 * Validation of Argo Workflows resources: the JSON schema plus the semantic rules `argo lint --offline` applies,
 * and the ones Argo misses (see packages/dsl/README.md "Validation"). The public surface is `./index.ts`.
 */
import type { Diagnostic, SourceLocation } from '../diagnostic.js';
import { buildResourceIndex, createWorkflowContext, workflowKindOf, type TemplateEntry, type WorkflowContext } from './_internal/context.js';
import { holdersOf } from './_internal/holders.js';
import { objectAt, type JsonObject } from './_internal/json.js';
import { Reporter } from './_internal/reporter.js';
import { containerImage } from './rules/container-image.js';
import { containerSet } from './rules/container-set.js';
import { cronWorkflow } from './rules/cron-workflow.js';
import { dag } from './rules/dag.js';
import { entrypoint } from './rules/entrypoint.js';
import { entrypointInputs } from './rules/entrypoint-inputs.js';
import { exitHandlers } from './rules/exit-handlers.js';
import { leafOnlyFields } from './rules/leaf-only-fields.js';
import { metadataName } from './rules/metadata-name.js';
import { outputs } from './rules/outputs.js';
import { removedFields } from './rules/removed-fields.js';
import { resourceTemplate } from './rules/resource-template.js';
import { retryStrategy } from './rules/retry-strategy.js';
import { metrics } from './rules/metrics.js';
import { artifactLocations } from './rules/artifact-locations.js';
import { schema } from './rules/schema.js';
import { sidecars } from './rules/sidecars.js';
import { steps } from './rules/steps.js';
import { templateInputs } from './rules/template-inputs.js';
import { templateNames } from './rules/template-names.js';
import { templateReferences } from './rules/template-references.js';
import { templateType } from './rules/template-type.js';
import { timeouts } from './rules/timeouts.js';
import { variables } from './rules/variables.js';
import { volumeMounts } from './rules/volume-mounts.js';
import { workflowArguments } from './rules/workflow-arguments.js';
import { workflowTemplateRef } from './rules/workflow-template-ref.js';

export interface ValidateOptions {
  /** Maps (index of the object in the list, path inside it) to a source location (a builder call or a YAML node). */
  readonly locate?: (objectIndex: number, path: readonly (string | number)[]) => SourceLocation | undefined;
  /** templateRef / workflowTemplateRef targets not among the objects: error (default, as Argo) or warn. */
  readonly externalTemplates?: 'error' | 'warn';
  /**
   * Objects validated before (another module's, in `argots compile --watch`): templateRefs resolve to them, but
   * they are not validated again. Object indices passed to `locate` count `objects` first, then these.
   */
  readonly context?: readonly Readonly<Record<string, unknown>>[];
}

type WorkflowRule = (ctx: WorkflowContext) => void;
type TemplateRule = (ctx: WorkflowContext, entry: TemplateEntry) => void;

const WORKFLOW_RULES: readonly WorkflowRule[] = [
  schema, metadataName, templateNames, entrypoint, entrypointInputs, workflowTemplateRef, exitHandlers, cronWorkflow, removedFields,
  templateReferences, variables,
];

const TEMPLATE_RULES: readonly TemplateRule[] = [
  templateType, leafOnlyFields, timeouts, retryStrategy, containerImage, volumeMounts, sidecars, resourceTemplate,
  outputs, containerSet, templateInputs, artifactLocations, metrics, steps, dag,
];

/** Steps' and tasks' `inline` templates, named after their step / task for messages. */
function inlineTemplates(ctx: WorkflowContext): TemplateEntry[] {
  return holdersOf(ctx).flatMap(({ holder, path }) => {
    const inline = objectAt(holder, 'inline');
    return inline ? [{ template: { ...inline, name: inline['name'] ?? holder['name'] }, index: -1, path: [...path, 'inline'] }] : [];
  });
}

const SCHEMA_CODES = new Set(['ARG001', 'ARG002', 'ARG003', 'ARG004']);

/** A schema finding where a semantic rule said the same thing more precisely (same path) is dropped. */
function withoutEchoes(found: readonly Diagnostic[]): Diagnostic[] {
  const semantic = new Set(found.filter((d) => !SCHEMA_CODES.has(d.code)).map((d) => d.path));
  return found.filter((d) => !SCHEMA_CODES.has(d.code) || !semantic.has(d.path));
}

/** `lint` relaxes what Argo's lint relaxes: a Workflow's own arguments may come at submission. */
export interface ValidateMode {
  readonly lint: boolean;
}

/** `validateResources` with Argo's lint relaxations (beyond-Argo checks warn); used by `lintYaml`. */
export function validateResourcesInMode(
  objects: readonly Readonly<Record<string, unknown>>[],
  options: ValidateOptions,
  mode: ValidateMode,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const resources = buildResourceIndex((options.context ? [...objects, ...options.context] : objects) as readonly JsonObject[]);
  objects.forEach((object, objectIndex) => {
    const kind = workflowKindOf(object);
    if (!kind) return;
    const found: Diagnostic[] = [];
    const reporter = new Reporter(found, objectIndex, options.locate, mode.lint);
    const ctx = createWorkflowContext(kind, object, resources, options.externalTemplates ?? 'error', reporter);
    for (const rule of WORKFLOW_RULES) rule(ctx);
    workflowArguments(ctx, !mode.lint);
    for (const entry of ctx.templates) for (const rule of TEMPLATE_RULES) rule(ctx, entry);
    for (const entry of inlineTemplates(ctx)) for (const rule of TEMPLATE_RULES) rule(ctx, entry);
    out.push(...withoutEchoes(found));
  });
  return out;
}

/**
 * Validates Argo Workflows resources (Workflow, WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow; other
 * objects are ignored) against the JSON schema and Argo's semantic rules. templateRefs resolve across all objects.
 *
 * ```ts
 * const diagnostics = validateResources([workflowTemplate], { externalTemplates: 'warn' });
 * if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticError(diagnostics);
 * ```
 */
export function validateResources(
  objects: readonly Readonly<Record<string, unknown>>[],
  options: ValidateOptions = {},
): Diagnostic[] {
  return validateResourcesInMode(objects, options, { lint: false });
}
