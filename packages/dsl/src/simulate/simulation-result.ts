/**
 * The result of {@link simulate}: a stable, JSON-serialisable shape (`argots simulate --json` prints it as is).
 */
import type { FilterFailure } from './filter-event.js';
import type { AppliedParameter } from './resolve-parameter.js';

export type DependencyStatus =
  /** The delivery reached the dependency and passed its filters. */
  | 'matched'
  /** The delivery reached the dependency and a filter rejected (or errored on) it. */
  | 'rejected'
  /** The delivery does not reach this dependency (another event source or event name). */
  | 'not-delivered'
  /** A filter or transform simulate cannot evaluate faithfully (see `failure.reason`). */
  | 'unknown';

export interface DependencySimulation {
  readonly name: string;
  readonly eventSourceName: string;
  readonly eventName: string;
  readonly status: DependencyStatus;
  /** For `rejected`, `unknown` and `not-delivered`: the first filter that failed and why. */
  readonly failure?: FilterFailure;
  /** Under `filtersLogicalOperator: or`: why every configured kind failed. */
  readonly failures?: readonly FilterFailure[];
}

export type TriggerStatus =
  /** The trigger's conditions hold and its parameters resolve: it fires. */
  | 'fires'
  /** The conditions do not hold for this delivery alone. */
  | 'waits'
  /** The conditions hold but the trigger fails (a parameter does not resolve, a condition does not parse). */
  | 'fails'
  /** Whether it fires depends on a dependency simulate could not evaluate. */
  | 'unknown';

export interface TriggerSimulation {
  readonly name: string;
  readonly status: TriggerStatus;
  /** The condition expression that decided, or the implicit AND of all dependencies. */
  readonly conditions: string;
  readonly reason?: string;
  /** Every parameter applied, in order (trigger-level parameters first, then resource/payload parameters). */
  readonly parameters: readonly AppliedParameter[];
  /** For a Workflow submitted by an `argoWorkflow` trigger: `spec.arguments.parameters` by name. */
  readonly workflowParameters?: Readonly<Record<string, string>>;
  /** The resource (`argoWorkflow`, `k8s`) or HTTP payload after parameters were applied. */
  readonly resource?: unknown;
}

export interface SensorSimulation {
  readonly sensor: string;
  readonly dependencies: readonly DependencySimulation[];
  readonly triggers: readonly TriggerSimulation[];
}

export interface SimulationResult {
  readonly delivery: { readonly eventType: string; readonly time: string };
  readonly sensors: readonly SensorSimulation[];
}
