/**
 * `p.trigger(...)`: a pipeline declares what starts it. Each selected payload value becomes a workflow
 * parameter of the pipeline (typed `Value<string>`), filled by the Sensor the pipeline emits with its
 * WorkflowTemplate (and, given a GitHub connection, the EventSource). Event values reach the workflow only
 * as parameters; `synth` refuses a pipeline that puts one inside script source or a shell `-c` string.
 */
import type { PipelineScope } from '../authoring/pipeline.js';
import { param } from '../authoring/param.js';
import type { Value } from '../authoring/value.js';
import { SYNTH } from './_internal/synth-brand.js';
import type { GithubTrigger } from './github-trigger.js';
import type { PayloadHandle, PayloadRef } from './payload-handle.js';
import { triggerResources, type GithubConnection, type TriggerBinding } from './trigger-resources.js';
import type { Backoff, RateLimit } from './types/sensor.js';
import { captureSource } from '../_internal/source.js';
import type { SourceLocation } from '../diagnostic.js';
import { sourceAt, type SynthesizedResource } from '../synthesizable.js';

export interface PipelineTriggerOptions {
  /** How GitHub reaches the EventSource; without it only the Sensor is emitted (the EventSource is shared). */
  readonly github?: GithubConnection;
  readonly namespace?: string;
  /** Service account of the Sensor pod (needs permission to submit Workflows). */
  readonly serviceAccountName?: string;
  readonly eventBusName?: string;
  /** The pipeline is emitted as a ClusterWorkflowTemplate (`kind: 'ClusterWorkflowTemplate'`). */
  readonly clusterScope?: boolean;
  readonly retryStrategy?: Backoff;
  readonly rateLimit?: RateLimit;
}

/** The workflow parameters a trigger fills, typed. */
export type TriggerValues<M, S> = { readonly [K in keyof M]: Value<string, S> };

interface TriggerState {
  readonly bindings: TriggerBinding[];
  readonly values: Map<string, unknown>;
  options: PipelineTriggerOptions;
  /** The first `p.trigger` call (the Sensor's location) and the one giving the GitHub connection (the EventSource's). */
  readonly at: { sensor: SourceLocation | undefined; eventSource: SourceLocation | undefined };
}

const states = new WeakMap<object, TriggerState>();

/**
 * Binds a GitHub trigger to a pipeline. Used by `PipelineScope.trigger`.
 * @example
 * ```ts
 * pipeline('shop-api-dev', (p) => {
 *   const push = p.trigger(github.push({ repo: 'acme/shop', branches: ['dev'] }), (e) => ({ revision: e.after, branch: e.ref }));
 *   p.task('build', build.call({ tag: push.revision }));
 * });
 * ```
 */
export function addPipelineTrigger<S, T, const M extends Readonly<Record<string, PayloadRef>>>(
  scope: PipelineScope<S>,
  trigger: GithubTrigger<T>,
  select: (payload: PayloadHandle<T>) => M,
  options: PipelineTriggerOptions = {},
): TriggerValues<M, S> {
  let state = states.get(scope);
  const here = captureSource().resolve();
  if (!state) {
    const created: TriggerState = { bindings: [], values: new Map(), options, at: { sensor: here, eventSource: options.github ? here : undefined } };
    state = created;
    states.set(scope, created);
    scope.attach({
      [SYNTH]: () => {
        const { sensor, eventSource } = triggerResources(scope.name, {
          workflowTemplate: scope.name,
          bindings: created.bindings,
          ...created.options,
        });
        // Built here, at synth time, the resources have no user frame of their own: they point at the p.trigger call.
        const at = (r: SynthesizedResource, location: SourceLocation | undefined): SynthesizedResource =>
          r.source?.resolve() || !location ? r : { ...r, source: sourceAt(location) };
        return [
          ...(sensor as unknown as { [SYNTH]: () => SynthesizedResource[] })[SYNTH]().map((r) => at(r, created.at.sensor)),
          ...(eventSource ? (eventSource as unknown as { [SYNTH]: () => SynthesizedResource[] })[SYNTH]().map((r) => at(r, created.at.eventSource ?? created.at.sensor)) : []),
        ];
      },
    } as never);
  } else {
    state.options = { ...state.options, ...options };
    if (options.github && !state.at.eventSource) state.at.eventSource = here;
  }
  const selected = select(trigger.payload);
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(selected)) {
    let value = state.values.get(name);
    if (!value) {
      value = scope.param(name, param.string({ description: `from the ${trigger.event} event (filled by the Sensor)` }));
      state.values.set(name, value);
    }
    out[name] = value;
  }
  state.bindings.push({ trigger: trigger as GithubTrigger<unknown>, parameters: selected });
  return out as TriggerValues<M, S>;
}
