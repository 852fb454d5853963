import type { IComGithubArgoprojArgoWorkflowsV4PkgApisWorkflowV1alpha1CronWorkflowSpec as ICronWorkflowSpec } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/CronWorkflowSpec';
import type { IComGithubArgoprojArgoWorkflowsV4PkgApisWorkflowV1alpha1WorkflowSpec as IWorkflowSpec } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowSpec';
import type { IParallelSteps } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/ParallelSteps';
import type { IComGithubArgoprojArgoWorkflowsV4PkgApisWorkflowV1alpha1WorkflowStep as IWorkflowStep } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowStep';
import type { IWorkflowTemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/WorkflowTemplate';
import type { ICronWorkflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/CronWorkflow';
import { lowerData } from './_internal/lower.js';
import { type SourceRef, captureSource } from '../_internal/source.js';
import { type Diagnostic, DiagnosticError } from '../diagnostic.js';
import { emitWorkflowResource } from '../emit/workflow.js';
import type { ConditionExpr } from '../ir/expr.js';
import type { HookIR, WorkflowKind, WorkflowResourceIR, WorkflowSpecIR } from '../ir/resource.js';
import type { OutputSpecs } from './output.js';
import type { ParamSpecs } from './param.js';
import { SYNTH, type SynthesizedResource } from '../synthesizable.js';
import type { Callable } from './template.js';
import type { TemplateIR } from '../ir/template.js';

/** Any template, whatever its inputs and outputs. */
export interface AnyTemplate {
  readonly ir: TemplateIR;
}
import type { Conditional } from './value.js';
import { conditionExpr } from './_internal/condition.js';
import { mergePatch as merge } from '../_internal/merge-patch.js';

/**
 * Every field optional, all the way down, array elements included (a patch replaces an array as a whole, and
 * Argo leaves fields such as a template container's `name` out). A `ParallelSteps` is the anonymous list of
 * steps it is in Argo's JSON (the model's `steps` key exists only for kubebuilder, as the model itself notes).
 */
export type DeepPartial<T> = T extends IParallelSteps
  ? readonly DeepPartial<IWorkflowStep>[]
  : T extends readonly (infer E)[]
  ? readonly DeepPartial<E>[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A patch of the emitted object, typed by Argo's models (the last-resort escape hatch). */
export type ResourcePatch = DeepPartial<IWorkflowTemplate> | DeepPartial<ICronWorkflow>;

type PersistentVolumeClaim = NonNullable<IWorkflowSpec['volumeClaimTemplates']>[number];

/**
 * A `volumeClaimTemplates` entry: a PersistentVolumeClaim whose `apiVersion` and `kind` may be left out (Argo's
 * Go type is `apiv1.PersistentVolumeClaim`, whose TypeMeta is optional; the controller creates the claims).
 */
export type VolumeClaimTemplate = Omit<PersistentVolumeClaim, 'apiVersion' | 'kind'> & Partial<Pick<PersistentVolumeClaim, 'apiVersion' | 'kind'>>;

/** WorkflowSpec fields the builders pass through as they are, typed by Argo's model. */
export type WorkflowSpecFields = Readonly<
  Omit<IWorkflowSpec, 'entrypoint' | 'templates' | 'arguments' | 'onExit' | 'hooks' | 'workflowTemplateRef' | 'volumeClaimTemplates'> & {
    readonly volumeClaimTemplates?: readonly VolumeClaimTemplate[];
  }
>;

/** A workflow-level lifecycle hook. */
export interface WorkflowHook {
  readonly template: Callable<OutputSpecs, never>;
  readonly expression?: Conditional<never> | string;
}

export interface WorkflowOptions extends WorkflowSpecFields {
  /** The template the workflow starts with. */
  readonly entrypoint?: AnyTemplate;
  /** More templates to carry even if the entrypoint does not call them (a template library). */
  readonly templates?: readonly AnyTemplate[];
  /** Workflow parameters (`{{workflow.parameters.X}}`). */
  readonly params?: ParamSpecs;
  /** Values for the parameters (a Workflow or CronWorkflow submitting a template). */
  readonly arguments?: Readonly<Record<string, string>>;
  /** Runs when the workflow ends, whatever the result. */
  readonly onExit?: Callable<OutputSpecs, never>;
  readonly hooks?: Readonly<Record<string, WorkflowHook>>;
  /** Run a whole WorkflowTemplate (or ClusterWorkflowTemplate) instead of carrying templates. */
  readonly workflowTemplateRef?: { readonly name: string; readonly clusterScope?: boolean } | WorkflowResource;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly namespace?: string;
}

/** CronWorkflow options: the schedule, and the workflow it starts. */
export interface CronOptions extends WorkflowOptions {
  /** Standard cron expressions. */
  readonly schedules: readonly string[];
  /** An IANA time zone (`Europe/Paris`); UTC when left out. */
  readonly timezone?: string;
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  readonly startingDeadlineSeconds?: number;
  readonly successfulJobsHistoryLimit?: number;
  readonly failedJobsHistoryLimit?: number;
  /** Created suspended. */
  readonly suspendSchedule?: boolean;
  /** Any other CronWorkflowSpec field (stopStrategy, when, workflowMetadata). */
  readonly cron?: Readonly<Partial<Omit<ICronWorkflowSpec, 'workflowSpec' | 'schedules'>>>;
}

function hookIR(h: WorkflowHook): HookIR {
  const expression: ConditionExpr | string | undefined =
    h.expression === undefined || typeof h.expression === 'string' ? h.expression : conditionExpr(h.expression);
  return Object.freeze({ call: h.template.toCall(), ...(expression === undefined ? {} : { expression }) });
}

/** @internal builds a WorkflowSpecIR from options. */
export function workflowSpecIR(options: WorkflowOptions, extra: Partial<Pick<WorkflowSpecIR, 'parameters'>> = {}): WorkflowSpecIR {
  const {
    entrypoint, templates, params, arguments: args, onExit, hooks, workflowTemplateRef,
    labels: _l, annotations: _a, namespace: _n, ...fields
  } = options as WorkflowOptions & Partial<CronOptions>;
  const { schedules: _s, timezone: _t, concurrencyPolicy: _c, startingDeadlineSeconds: _d, successfulJobsHistoryLimit: _h1, failedJobsHistoryLimit: _h2, suspendSchedule: _ss, cron: _cr, ...specFields } =
    fields as Partial<CronOptions> & Record<string, unknown>;
  const parameters = [
    ...(extra.parameters ?? []),
    ...Object.entries(params ?? {}).map(([name, spec]) => Object.freeze({ name, spec, value: args?.[name] })),
  ];
  for (const [name, value] of Object.entries(args ?? {})) {
    if (!params?.[name] && !parameters.some((p) => p.name === name)) {
      parameters.push(Object.freeze({ name, spec: Object.freeze({ kind: 'param', type: 'string', required: true, default: undefined, enum: undefined, description: undefined }), value }));
    }
  }
  const ref =
    workflowTemplateRef === undefined
      ? undefined
      : workflowTemplateRef instanceof WorkflowResource
        ? { name: workflowTemplateRef.name, clusterScope: workflowTemplateRef.ir.apiKind === 'ClusterWorkflowTemplate' }
        : { name: workflowTemplateRef.name, clusterScope: workflowTemplateRef.clusterScope === true };
  return Object.freeze({
    kind: 'workflow-spec',
    entrypoint: entrypoint?.ir,
    templates: Object.freeze((templates ?? []).map((t) => t.ir)),
    parameters: Object.freeze(parameters),
    workflowTemplateRef: ref ? Object.freeze(ref) : undefined,
    onExit: onExit?.toCall(),
    hooks: hooks ? Object.freeze(Object.fromEntries(Object.entries(hooks).map(([k, h]) => [k, hookIR(h)]))) : undefined,
    fields: lowerData(specFields),
  });
}

/** @internal builds a WorkflowResourceIR. */
export function workflowResourceIR(
  apiKind: WorkflowKind,
  name: string | { readonly generateName: string },
  options: WorkflowOptions | CronOptions,
  source: SourceRef,
  extra: Partial<Pick<WorkflowSpecIR, 'parameters'>> = {},
): WorkflowResourceIR {
  const metadata = lowerData({ namespace: options.namespace, labels: options.labels, annotations: options.annotations });
  let cron: WorkflowResourceIR['cron'];
  if (apiKind === 'CronWorkflow') {
    const c = options as CronOptions;
    cron = lowerData({
      schedules: c.schedules,
      timezone: c.timezone,
      concurrencyPolicy: c.concurrencyPolicy,
      startingDeadlineSeconds: c.startingDeadlineSeconds,
      successfulJobsHistoryLimit: c.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: c.failedJobsHistoryLimit,
      suspend: c.suspendSchedule,
      ...(c.cron ?? {}),
    });
  }
  return Object.freeze({
    kind: 'workflow-resource',
    apiKind,
    name: typeof name === 'string' ? name : undefined,
    generateName: typeof name === 'string' ? undefined : name.generateName,
    metadata,
    spec: workflowSpecIR(options, extra),
    cron,
    source,
  });
}

/**
 * An Argo Workflows object (WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, Workflow) that
 * `synth` writes as one file. Immutable: `with(...)` returns a new one.
 */
export class WorkflowResource {
  readonly ir: WorkflowResourceIR;
  /** Other resources emitted with this one (a pipeline's Sensor and EventSource). */
  readonly attached: readonly { readonly [SYNTH]: () => readonly SynthesizedResource[] }[];

  /** Problems found while building (a pipeline body that threw); reported by `synth`. */
  readonly problems: readonly Diagnostic[];
  /** Patches applied to the emitted object, in order (see {@link WorkflowResource.patch}). */
  readonly patches: readonly Readonly<Record<string, unknown>>[];

  constructor(
    ir: WorkflowResourceIR,
    attached: readonly { readonly [SYNTH]: () => readonly SynthesizedResource[] }[] = [],
    problems: readonly Diagnostic[] = [],
    patches: readonly Readonly<Record<string, unknown>>[] = [],
  ) {
    this.ir = ir;
    this.attached = Object.freeze([...attached]);
    this.problems = Object.freeze([...problems]);
    this.patches = Object.freeze([...patches]);
    Object.freeze(this);
  }

  get name(): string {
    return this.ir.name ?? this.ir.generateName ?? '';
  }

  get kind(): WorkflowKind {
    return this.ir.apiKind;
  }

  /**
   * Sets WorkflowSpec fields (typed by Argo's model) and metadata. Returns a new resource.
   * @example shop.with({ serviceAccountName: 'ci', podGC: { strategy: 'OnPodSuccess' }, labels: { team: 'shop' } })
   */
  with(fields: WorkflowSpecFields & { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> }): this {
    const { labels, annotations, ...spec } = fields;
    const metadata = lowerData({
      ...this.ir.metadata,
      ...(labels ? { labels: { ...((this.ir.metadata['labels'] as object | undefined) ?? {}), ...labels } } : {}),
      ...(annotations ? { annotations: { ...((this.ir.metadata['annotations'] as object | undefined) ?? {}), ...annotations } } : {}),
    });
    const ir: WorkflowResourceIR = Object.freeze({
      ...this.ir,
      metadata,
      spec: Object.freeze({ ...this.ir.spec, fields: Object.freeze({ ...this.ir.spec.fields, ...lowerData(spec) }) }),
    });
    const Ctor = this.constructor as new (ir: WorkflowResourceIR, attached: WorkflowResource['attached'], problems: readonly Diagnostic[], patches: WorkflowResource['patches']) => this;
    return new Ctor(ir, this.attached, this.problems, this.patches);
  }

  /**
   * The escape hatch for any Argo or Kubernetes field no builder covers: a patch of the emitted object,
   * typed by Argo's models, merged after emission (objects key by key, arrays and scalars replaced, `null`
   * removes). Validation still runs on the result. Returns a new resource.
   * @example shop.patch({ spec: { podDisruptionBudget: { minAvailable: 1 } } })
   */
  patch(patch: ResourcePatch): this {
    const Ctor = this.constructor as new (ir: WorkflowResourceIR, attached: WorkflowResource['attached'], problems: readonly Diagnostic[], patches: WorkflowResource['patches']) => this;
    return new Ctor(this.ir, this.attached, this.problems, [...this.patches, Object.freeze(JSON.parse(JSON.stringify(patch)) as Record<string, unknown>)]);
  }

  /** The emitted object, its locations and builder diagnostics. */
  emit(): SynthesizedResource {
    const r = emitWorkflowResource(this.ir);
    const object = this.patches.reduce<Record<string, unknown>>((o, p) => merge(o, p), r.object);
    return { object, source: this.ir.source, locations: r.locations, diagnostics: r.diagnostics };
  }

  [SYNTH](): readonly SynthesizedResource[] {
    if (this.problems.length) throw new DiagnosticError(this.problems);
    return [this.emit(), ...this.attached.flatMap((a) => a[SYNTH]())];
  }
}

/**
 * A WorkflowTemplate.
 * @example workflowTemplate('ci-tools', { templates: [lint, test] })
 */
export function workflowTemplate(name: string, options: WorkflowOptions): WorkflowResource {
  return new WorkflowResource(workflowResourceIR('WorkflowTemplate', name, options, captureSource()));
}

/**
 * A ClusterWorkflowTemplate (templates shared by every namespace).
 * @example clusterWorkflowTemplate('security', { templates: [trivyScan] })
 */
export function clusterWorkflowTemplate(name: string, options: WorkflowOptions): WorkflowResource {
  return new WorkflowResource(workflowResourceIR('ClusterWorkflowTemplate', name, options, captureSource()));
}

/**
 * A CronWorkflow: starts a workflow on a schedule.
 * @example
 * cronWorkflow('nightly-cleanup', { schedules: ['0 3 * * *'], timezone: 'Europe/Paris',
 *   concurrencyPolicy: 'Forbid', workflowTemplateRef: cleanup })
 */
export function cronWorkflow(name: string, options: CronOptions): WorkflowResource {
  return new WorkflowResource(workflowResourceIR('CronWorkflow', name, options, captureSource()));
}

/**
 * A Workflow (one run). Give a name, or `{ generateName: 'build-' }`.
 * @example workflow({ generateName: 'shop-build-' }, { workflowTemplateRef: shopPipeline, arguments: { ref: 'main' } })
 */
export function workflow(name: string | { readonly generateName: string }, options: WorkflowOptions): WorkflowResource {
  return new WorkflowResource(workflowResourceIR('Workflow', name, options, captureSource()));
}

