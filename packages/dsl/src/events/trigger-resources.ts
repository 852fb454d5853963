/**
 * A pipeline's triggers as Argo Events resources: one Sensor whose dependencies are the GitHub triggers and
 * whose triggers submit the pipeline's WorkflowTemplate (one submit per GitHub trigger, conditioned on that
 * dependency alone), and — given the GitHub connection — the EventSource that receives the webhooks.
 */
import type { EventSource } from './types/event-source.js';
import type { Sensor } from './types/sensor.js';
import type { GithubTrigger } from './github-trigger.js';
import type { ParameterSource } from './parameter-source.js';
import { sensor } from './sensor.js';
import { submitWorkflow, type TriggerOptions } from './trigger.js';
import { eventSource, type SecretRef } from './event-source.js';

export interface TriggerBinding {
  readonly trigger: GithubTrigger<unknown>;
  /** Workflow parameters this trigger fills: payload values (`push.payload.after`), explicit sources, constants. */
  readonly parameters: Readonly<Record<string, ParameterSource | string>>;
}

/** How GitHub reaches the EventSource, and the credentials it uses. */
export interface GithubConnection {
  /** Public base URL GitHub calls. */
  readonly url: string;
  readonly webhookSecret?: SecretRef;
  readonly insecureAcceptUnsignedWebhooks?: true;
  readonly githubApp?: { readonly appId: number; readonly installationId: number; readonly privateKey: SecretRef };
  readonly port?: number;
}

export interface TriggerResourcesOptions extends Pick<TriggerOptions, 'retryStrategy' | 'rateLimit' | 'policy'> {
  /** The WorkflowTemplate every trigger submits. */
  readonly workflowTemplate: string;
  /** It is a ClusterWorkflowTemplate. */
  readonly clusterScope?: boolean;
  readonly bindings: readonly TriggerBinding[];
  readonly namespace?: string;
  readonly serviceAccountName?: string;
  readonly eventBusName?: string;
  /** With it, the EventSource is emitted too. */
  readonly github?: GithubConnection;
}

export interface TriggerResources {
  readonly sensor: Sensor;
  readonly eventSource?: EventSource;
}

/**
 * Emits the Sensor (and EventSource) that start `workflowTemplate` on the given GitHub triggers.
 * @example
 * ```ts
 * const push = github.push({ repo: 'acme/shop', branches: ['dev'] });
 * triggerResources('shop-dev', { workflowTemplate: 'shop-dev', bindings: [{ trigger: push, parameters: { revision: push.payload.after } }] });
 * ```
 */
export function triggerResources(name: string, options: TriggerResourcesOptions): TriggerResources {
  const deps = new Map<string, GithubTrigger<unknown>>();
  for (const b of options.bindings) deps.set(b.trigger.dependency.name, b.trigger);
  const triggers = options.bindings.map((b) =>
    submitWorkflow(options.bindings.length === 1 ? options.workflowTemplate : `${options.workflowTemplate}-${b.trigger.dependency.name}`, {
      workflowTemplate: options.workflowTemplate,
      parameters: b.parameters,
      ...(options.bindings.length > 1 ? { conditions: b.trigger.dependency.name } : {}),
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(options.clusterScope ? { clusterScope: true } : {}),
      ...(options.retryStrategy ? { retryStrategy: options.retryStrategy } : {}),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
    }),
  );
  const s = sensor(name, {
    dependencies: [...deps.values()],
    triggers,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.serviceAccountName ? { serviceAccountName: options.serviceAccountName } : {}),
    ...(options.eventBusName ? { eventBusName: options.eventBusName } : {}),
  });
  if (!options.github) return { sensor: s };
  const connection = options.github;
  const bySource = new Map<string, Map<string, { repo: string; events: Set<string> }>>();
  for (const t of deps.values()) {
    const events = bySource.get(t.eventSourceName) ?? new Map<string, { repo: string; events: Set<string> }>();
    const entry = events.get(t.eventName) ?? { repo: t.repo, events: new Set<string>() };
    entry.events.add(t.event);
    events.set(t.eventName, entry);
    bySource.set(t.eventSourceName, events);
  }
  if (bySource.size !== 1) throw new Error(`triggerResources: the triggers of "${name}" use ${bySource.size} EventSources; emit them separately`);
  const [sourceName, events] = [...bySource][0] as [string, Map<string, { repo: string; events: Set<string> }>];
  const es = eventSource(sourceName, {
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.eventBusName ? { eventBusName: options.eventBusName } : {}),
    github: Object.fromEntries(
      [...events].map(([eventName, e]) => [
        eventName,
        {
          repositories: [e.repo],
          events: [...e.events].sort(),
          url: connection.url,
          endpoint: `/github/${eventName}`,
          ...(connection.port ? { port: connection.port } : {}),
          ...(connection.webhookSecret ? { webhookSecret: connection.webhookSecret } : {}),
          ...(connection.insecureAcceptUnsignedWebhooks ? { insecureAcceptUnsignedWebhooks: true as const } : {}),
          ...(connection.githubApp ? { githubApp: connection.githubApp } : {}),
        },
      ]),
    ),
  });
  return { sensor: s, eventSource: es };
}
