/**
 * Sensor triggers: submit a Workflow from a WorkflowTemplate, create/patch a Kubernetes resource, call HTTP,
 * or log. Each builder returns Argo's `Trigger` as plain data.
 */
import type { Backoff, RateLimit, Trigger, TriggerParameter, TriggerPolicy } from './types/sensor.js';
import { toTriggerSource, type ParameterSource } from './parameter-source.js';
import { compact } from './_internal/synth-brand.js';

/** Options every trigger takes. */
export interface TriggerOptions {
  /** A boolean expression over dependency names (`push || tag`); default: all dependencies. */
  readonly conditions?: string;
  readonly retryStrategy?: Backoff;
  readonly rateLimit?: RateLimit;
  readonly policy?: TriggerPolicy;
  readonly atLeastOnce?: boolean;
}

function wrap(options: TriggerOptions, template: Record<string, unknown>): Trigger {
  return compact({
    template: compact({ name: template['name'], conditions: options.conditions, ...template }) as Trigger['template'],
    retryStrategy: options.retryStrategy,
    rateLimit: options.rateLimit,
    policy: options.policy,
    atLeastOnce: options.atLeastOnce,
  }) as Trigger;
}

export interface SubmitWorkflowOptions extends TriggerOptions {
  /** The WorkflowTemplate to submit from. */
  readonly workflowTemplate: string;
  /** The template is a ClusterWorkflowTemplate (`workflowTemplateRef.clusterScope: true`). */
  readonly clusterScope?: boolean;
  /** Workflow parameters: a payload value, an explicit source, or a constant string. */
  readonly parameters?: Readonly<Record<string, ParameterSource | string>>;
  /** `generateName` of the Workflow (default `<workflowTemplate>-`). */
  readonly generateName?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Submits a Workflow from a WorkflowTemplate, its parameters filled from the event.
 * @example
 * ```ts
 * const push = github.push({ repo: 'acme/shop', branches: ['dev'] });
 * submitWorkflow('build', { workflowTemplate: 'shop-dev', parameters: { revision: push.payload.after } });
 * ```
 */
export function submitWorkflow(name: string, options: SubmitWorkflowOptions): Trigger {
  const entries = Object.entries(options.parameters ?? {});
  const parameters: TriggerParameter[] = [];
  const args = entries.map(([param, source], i) => {
    if (typeof source === 'string') return { name: param, value: source };
    parameters.push({ src: toTriggerSource(source), dest: `spec.arguments.parameters.${i}.value` });
    return { name: param };
  });
  const resource = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: compact({ generateName: options.generateName ?? `${options.workflowTemplate}-`, namespace: options.namespace, labels: options.labels }),
    spec: compact({ workflowTemplateRef: options.clusterScope ? { name: options.workflowTemplate, clusterScope: true } : { name: options.workflowTemplate }, arguments: args.length > 0 ? { parameters: args } : undefined }),
  };
  return wrap(options, { name, argoWorkflow: compact({ operation: 'submit', source: { resource }, parameters: parameters.length > 0 ? parameters : undefined }) });
}

export interface K8sTriggerOptions extends TriggerOptions {
  readonly operation: 'create' | 'update' | 'patch' | 'delete';
  readonly resource: Readonly<Record<string, unknown>>;
  /** sjson dest inside the resource → source. */
  readonly parameters?: Readonly<Record<string, ParameterSource>>;
  readonly patchStrategy?: string;
}

/**
 * Creates, updates, patches or deletes a Kubernetes resource.
 * @example
 * ```ts
 * k8sTrigger('note', { operation: 'create', resource: configMap, parameters: { 'data.sha': push.payload.after } });
 * ```
 */
export function k8sTrigger(name: string, options: K8sTriggerOptions): Trigger {
  const parameters = Object.entries(options.parameters ?? {}).map(([dest, source]) => ({ src: toTriggerSource(source), dest }));
  return wrap(options, { name, k8s: compact({ operation: options.operation, source: { resource: options.resource }, parameters: parameters.length > 0 ? parameters : undefined, patchStrategy: options.patchStrategy }) });
}

export interface HttpTriggerOptions extends TriggerOptions {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON body: sjson dest → source. */
  readonly payload?: Readonly<Record<string, ParameterSource>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeout?: number;
}

/**
 * Calls an HTTP endpoint with a JSON payload built from the event.
 * @example
 * ```ts
 * httpTrigger('notify', { url: 'https://hooks.example.com/ci', payload: { sha: push.payload.after } });
 * ```
 */
export function httpTrigger(name: string, options: HttpTriggerOptions): Trigger {
  const payload = Object.entries(options.payload ?? {}).map(([dest, source]) => ({ src: toTriggerSource(source), dest }));
  return wrap(options, { name, http: compact({ url: options.url, method: options.method ?? 'POST', payload, headers: options.headers, timeout: options.timeout }) });
}

/**
 * Logs the event (for debugging a Sensor).
 * @example
 * ```ts
 * logTrigger('debug', { intervalSeconds: 10 });
 * ```
 */
export function logTrigger(name: string, options: TriggerOptions & { readonly intervalSeconds?: number } = {}): Trigger {
  return wrap(options, { name, log: compact({ intervalSeconds: options.intervalSeconds }) });
}
