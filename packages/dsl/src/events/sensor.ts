/**
 * The Sensor builder: dependencies (plain ones, or GitHub triggers), triggers, and the Sensor's own settings.
 * The result is a frozen, synthesizable plain object; it is validated on creation (errors throw a
 * DiagnosticError pointing at the call).
 */
import { DiagnosticError } from '../diagnostic.js';
import { captureSource } from '../_internal/source.js';
import type { EventDependency, Sensor, Trigger } from './types/sensor.js';
import type { GithubTrigger } from './github-trigger.js';
import { brandResource, compact } from './_internal/synth-brand.js';
import { validateEventResources } from './validate/validate-event-resources.js';

export interface SensorOptions {
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Dependencies: GitHub triggers (`github.push(…)`) or plain Argo dependencies. */
  readonly dependencies: readonly (GithubTrigger<unknown> | EventDependency)[];
  readonly triggers: readonly Trigger[];
  readonly eventBusName?: string;
  /** The service account the Sensor pod runs as (it needs permission to submit Workflows). */
  readonly serviceAccountName?: string;
  /** Labels and annotations of the Sensor pod. */
  readonly templateMetadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly replicas?: number;
}

function isGithubTrigger(d: GithubTrigger<unknown> | EventDependency): d is GithubTrigger<unknown> {
  return (d as GithubTrigger<unknown>).kind === 'github-trigger';
}

/**
 * Builds a Sensor.
 * @example
 * ```ts
 * const push = github.push({ repo: 'acme/shop', branches: ['dev'] });
 * const s = sensor('shop-dev', {
 *   dependencies: [push],
 *   triggers: [submitWorkflow('build', { workflowTemplate: 'shop-dev', parameters: { revision: push.payload.after } })],
 *   serviceAccountName: 'argo-events-sa',
 * });
 * ```
 */
export function sensor(name: string, options: SensorOptions): Sensor {
  const location = captureSource().resolve();
  const template = compact({
    serviceAccountName: options.serviceAccountName,
    metadata: options.templateMetadata ? compact({ labels: options.templateMetadata.labels, annotations: options.templateMetadata.annotations }) : undefined,
  });
  const resource: Sensor = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Sensor',
    metadata: compact({ name, namespace: options.namespace, labels: options.labels, annotations: options.annotations }),
    spec: compact({
      eventBusName: options.eventBusName,
      replicas: options.replicas,
      template: Object.keys(template).length > 0 ? template : undefined,
      dependencies: options.dependencies.map((d) => (isGithubTrigger(d) ? d.dependency : d)),
      triggers: [...options.triggers],
    }),
  };
  const errors = validateEventResources([resource]).filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new DiagnosticError(errors.map((d) => (location ? { ...d, source: location } : d)));
  return brandResource(resource, location);
}
