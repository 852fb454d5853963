import { firstUserFrame, captureSource, type SourceRef } from '../_internal/source.js';
import type { Diagnostic } from '../diagnostic.js';
import { DiagnosticError } from '../diagnostic.js';
import { DagScope } from './dag.js';
import { expr } from '../ir/expr.js';
import type { HookIR, WorkflowResourceIR } from '../ir/resource.js';
import { conditionExpr } from './_internal/condition.js';
import type { NodeIR, TemplateIR } from '../ir/template.js';
import type { OutputSpecs } from './output.js';
import type { ParamSpec, ParamType } from './param.js';
import type { Synthesizable } from '../synthesizable.js';
import { type Callable, type CallIR } from './template.js';
import { type Conditional, type ScopeBrand, Value } from './value.js';
import { type WorkflowOptions, WorkflowResource, workflowResourceIR } from './workflow-resource.js';
import { addPipelineTrigger, type PipelineTriggerOptions, type TriggerValues } from '../events/pipeline-trigger.js';
import type { GithubTrigger } from '../events/github-trigger.js';
import type { PayloadHandle, PayloadRef } from '../events/payload-handle.js';

/** Options of a pipeline: every WorkflowSpec field, metadata, and the kind it is emitted as. */
export interface PipelineOptions extends Omit<WorkflowOptions, 'entrypoint' | 'params' | 'arguments' | 'workflowTemplateRef' | 'onExit'> {
  /** Emit a ClusterWorkflowTemplate instead of a WorkflowTemplate. */
  readonly kind?: 'WorkflowTemplate' | 'ClusterWorkflowTemplate';
  /** The name of the DAG template the pipeline starts with. Default `main`. */
  readonly entrypointName?: string;
  /** Stop scheduling new tasks after one fails (Argo's default is true). */
  readonly failFast?: boolean;
}

interface PipelineState {
  readonly name: string;
  readonly tasks: NodeIR[];
  readonly parameters: { name: string; spec: ParamSpec; value: string | undefined }[];
  onExit: CallIR | undefined;
  readonly hooks: Record<string, HookIR>;
  readonly attached: Synthesizable[];
}

/**
 * The body of a pipeline: workflow parameters, tasks, an exit handler. `S` is the pipeline's brand
 * (`ScopeBrand<'pipeline', name>`): its tasks and values cannot be used in another pipeline.
 */
export class PipelineScope<S> extends DagScope<S> {
  readonly #state: PipelineState;
  constructor(state: PipelineState) {
    super(state.tasks);
    this.#state = state;
  }

  /** The pipeline's name (`metadata.name`). */
  get name(): string {
    return this.#state.name;
  }

  /**
   * Declares a workflow parameter and returns its typed value (`{{workflow.parameters.X}}`).
   * @example const env = p.param('env', param.enum(['dev', 'staging'], { default: 'dev' }));
   */
  param<const P extends ParamSpec>(name: string, spec: P): Value<ParamType<P>, S> {
    if (!/^[-a-zA-Z0-9_]+$/.test(name)) {
      throw new TypeError(`parameter name "${name}" must match [-a-zA-Z0-9_]+`);
    }
    if (this.#state.parameters.some((p) => p.name === name)) {
      throw new TypeError(`pipeline "${this.#state.name}" declares parameter "${name}" twice`);
    }
    this.#state.parameters.push({ name, spec, value: undefined });
    return new Value<ParamType<P>, S>(expr({ kind: 'workflow-param', name, type: spec.type }), spec.type);
  }

  /**
   * The exit handler: runs when the pipeline ends, whatever the result (`spec.onExit`).
   * @example p.onExit(notify.call({ status: workflowStatus }))
   */
  onExit(target: Callable<OutputSpecs, S>): void {
    this.#state.onExit = target.toCall();
  }

  /**
   * A workflow-level lifecycle hook: runs `template` when `expression` holds (or when the workflow ends, for
   * the name `exit`).
   * @example p.hook('failed', { template: notify, expression: vars.workflowStatus.eq('Failed') })
   */
  hook(name: string, hook: { readonly template: Callable<OutputSpecs, S>; readonly expression?: Conditional<S> | string }): void {
    if (this.#state.hooks[name]) throw new TypeError(`pipeline "${this.#state.name}" declares hook "${name}" twice`);
    const expression = hook.expression === undefined || typeof hook.expression === 'string' ? hook.expression : conditionExpr(hook.expression);
    this.#state.hooks[name] = Object.freeze({ call: hook.template.toCall(), ...(expression === undefined ? {} : { expression }) });
  }

  /**
   * Emits another resource with this pipeline (its Sensor, its EventSource). Used by `p.trigger(...)`.
   * @example p.attach(sensor)
   */
  attach(resource: Synthesizable): void {
    this.#state.attached.push(resource);
  }

  /**
   * Starts the pipeline on a GitHub event: the selected payload values become workflow parameters, filled
   * by the Sensor emitted with the pipeline (see events/pipeline-trigger.ts).
   * @example const push = p.trigger(github.push({ repo: 'acme/shop', branches: ['dev'] }), (e) => ({ revision: e.after }));
   */
  trigger<T, const M extends Readonly<Record<string, PayloadRef>>>(
    trigger: GithubTrigger<T>,
    select: (payload: PayloadHandle<T>) => M,
    options?: PipelineTriggerOptions,
  ): TriggerValues<M, S> {
    return addPipelineTrigger(this, trigger, select, options);
  }
}

function failure(name: string, error: unknown, at: SourceRef): Diagnostic[] {
  if (error instanceof DiagnosticError) return [...error.diagnostics];
  const message = error instanceof Error ? error.message : String(error);
  const location = (error instanceof Error ? firstUserFrame(error.stack ?? '') : undefined) ?? at.resolve();
  return [
    Object.freeze({
      code: 'ARG209',
      severity: 'error' as const,
      message: `pipeline "${name}" could not be built: ${message}`,
      path: '',
      ...(location ? { source: location } : {}),
      hint: 'fix the builder call this points at',
    }),
  ];
}

/**
 * A pipeline: a WorkflowTemplate whose entrypoint is a DAG. Tasks that read each other's outputs are
 * ordered by those reads; `when` and `depends` are built from typed values.
 *
 * @example
 * export default pipeline('shop-api-dev', (p) => {
 *   const sha = p.param('sha', param.string());
 *   const change = p.task('detect', steps.detectChanges({ repo: '/src', before: sha, after: sha }));
 *   p.task('build', build.call({ tag: sha }), { when: change.outputs.kind.eq('code') });
 * });
 */
export function pipeline<const N extends string>(name: N, body: (p: PipelineScope<ScopeBrand<'pipeline', N>>) => void): WorkflowResource;
export function pipeline<const N extends string>(
  name: N,
  options: PipelineOptions,
  body: (p: PipelineScope<ScopeBrand<'pipeline', N>>) => void,
): WorkflowResource;
export function pipeline(
  name: string,
  a: PipelineOptions | ((p: PipelineScope<ScopeBrand<'pipeline', string>>) => void),
  b?: (p: PipelineScope<ScopeBrand<'pipeline', string>>) => void,
): WorkflowResource {
  const source = captureSource();
  const options: PipelineOptions = typeof a === 'function' ? {} : a;
  const body = typeof a === 'function' ? a : b;
  if (typeof body !== 'function') throw new TypeError(`pipeline "${name}": expected a body function (p) => { ... }`);
  const state: PipelineState = { name, tasks: [], parameters: [], onExit: undefined, hooks: {}, attached: [] };
  try {
    body(new PipelineScope<ScopeBrand<'pipeline', string>>(state));
  } catch (error) {
    const empty = workflowResourceIR(options.kind ?? 'WorkflowTemplate', name, {}, source);
    return new WorkflowResource(empty, [], failure(name, error, source));
  }
  const { kind, entrypointName, failFast, ...rest } = options;
  const main: TemplateIR = Object.freeze({
    kind: 'template',
    type: 'dag',
    name: entrypointName ?? 'main',
    inputs: Object.freeze({}),
    outputs: Object.freeze({}),
    body: Object.freeze({ kind: 'dag', tasks: Object.freeze([...state.tasks]), fields: Object.freeze(failFast === undefined ? {} : { failFast }) }),
    fields: Object.freeze({}),
    source,
  });
  const ir: WorkflowResourceIR = workflowResourceIR(kind ?? 'WorkflowTemplate', name, rest, source, {
    parameters: state.parameters.map((p) => Object.freeze({ ...p })),
  });
  const full: WorkflowResourceIR = Object.freeze({
    ...ir,
    spec: Object.freeze({
      ...ir.spec,
      entrypoint: main,
      onExit: state.onExit ?? ir.spec.onExit,
      hooks: Object.keys(state.hooks).length ? Object.freeze({ ...(ir.spec.hooks ?? {}), ...state.hooks }) : ir.spec.hooks,
    }),
  });
  return new WorkflowResource(full, state.attached);
}
