/**
 * The EventSource builder for GitHub webhooks, generic webhooks and calendars. GitHub webhooks are signed:
 * a webhook secret is required unless `insecureAcceptUnsignedWebhooks: true` is given, which the emitted
 * EventSource then carries as a visible annotation. Webhooks are registered with GitHub App credentials.
 */
import { DiagnosticError } from '../diagnostic.js';
import { captureSource } from '../_internal/source.js';
import type { EventSource, GithubEventSource, WebhookContext } from './types/event-source.js';
import type { SecretKeySelector } from './types/sensor.js';
import { brandResource, compact } from './_internal/synth-brand.js';
import { validateEventResources } from './validate/validate-event-resources.js';
import { UNSIGNED_WEBHOOKS_ANNOTATION } from './validate/event-source-rules.js';

export interface SecretRef {
  /** The Kubernetes Secret's name. */
  readonly name: string;
  readonly key: string;
}

export interface GithubWebhookOptions {
  /** `owner/name` repositories (or give `organizations`). */
  readonly repositories?: readonly string[];
  readonly organizations?: readonly string[];
  /** GitHub event names: `push`, `pull_request`, `create`, … */
  readonly events: readonly string[];
  /** Public base URL GitHub calls, e.g. `https://events.example.com`. */
  readonly url: string;
  /** Path of this webhook, e.g. `/github/acme-shop`. */
  readonly endpoint: string;
  /** Port the EventSource listens on (default 12000). */
  readonly port?: number;
  /** The Secret holding the webhook secret; GitHub's HMAC signature is verified with it. */
  readonly webhookSecret?: SecretRef;
  /** Accept deliveries without verifying GitHub's signature. Anyone reaching the endpoint can then start pipelines. */
  readonly insecureAcceptUnsignedWebhooks?: true;
  /** GitHub App credentials used to register the webhook (instead of a personal API token). */
  readonly githubApp?: { readonly appId: number; readonly installationId: number; readonly privateKey: SecretRef };
  readonly contentType?: 'json' | 'form';
  readonly active?: boolean;
  readonly deleteHookOnFinish?: boolean;
  /** GitHub Enterprise API URLs. */
  readonly githubBaseURL?: string;
  readonly githubUploadURL?: string;
}

export interface WebhookOptions {
  readonly endpoint: string;
  readonly port?: number;
  readonly method?: 'POST' | 'PUT' | 'GET' | 'PATCH' | 'DELETE';
  /** A Secret holding a bearer token callers must send. */
  readonly authSecret?: SecretRef;
}

export interface CalendarOptions {
  /** A cron schedule (`0 2 * * 1-5`), or give `interval`. */
  readonly schedule?: string;
  /** A Go duration (`1h`). */
  readonly interval?: string;
  readonly timezone?: string;
  readonly exclusionDates?: readonly string[];
}

export interface EventSourceOptions {
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly eventBusName?: string;
  readonly serviceAccountName?: string;
  readonly github?: Readonly<Record<string, GithubWebhookOptions>>;
  readonly webhook?: Readonly<Record<string, WebhookOptions>>;
  readonly calendar?: Readonly<Record<string, CalendarOptions>>;
  /**
   * The escape hatch: any other EventSource spec field (an event source kind the options above do not type, such
   * as `kafka` or `sns`), written as it is beside what the options produce.
   * @example spec: { kafka: { orders: { url: 'kafka:9092', topic: 'orders', partition: '0' } } }
   */
  readonly spec?: Readonly<Record<string, unknown>>;
}

const secret = (s: SecretRef): SecretKeySelector => ({ name: s.name, key: s.key });

function githubSource(o: GithubWebhookOptions): GithubEventSource {
  const owners = new Map<string, string[]>();
  for (const repo of o.repositories ?? []) {
    const [owner = '', name = ''] = repo.includes('/') ? repo.split('/', 2) : ['', repo];
    owners.set(owner, [...(owners.get(owner) ?? []), name]);
  }
  const webhook: WebhookContext = { endpoint: o.endpoint, port: String(o.port ?? 12000), method: 'POST', url: o.url };
  return compact({
    repositories: owners.size > 0 ? [...owners].map(([owner, names]) => ({ owner, names })) : undefined,
    organizations: o.organizations ? [...o.organizations] : undefined,
    events: [...o.events],
    webhook,
    webhookSecret: o.webhookSecret ? secret(o.webhookSecret) : undefined,
    githubApp: o.githubApp ? { appID: o.githubApp.appId, installationID: o.githubApp.installationId, privateKey: secret(o.githubApp.privateKey) } : undefined,
    contentType: o.contentType ?? 'json',
    active: o.active ?? true,
    insecure: false,
    deleteHookOnFinish: o.deleteHookOnFinish,
    githubBaseURL: o.githubBaseURL,
    githubUploadURL: o.githubUploadURL,
  }) as GithubEventSource;
}

/**
 * Builds an EventSource.
 * @example
 * ```ts
 * eventSource('github', {
 *   github: {
 *     'acme-shop': {
 *       repositories: ['acme/shop'], events: ['push', 'pull_request', 'create'],
 *       url: 'https://events.example.com', endpoint: '/github/acme-shop',
 *       webhookSecret: { name: 'github-webhook', key: 'secret' },
 *       githubApp: { appId: 12345, installationId: 678, privateKey: { name: 'github-app', key: 'private-key' } },
 *     },
 *   },
 * });
 * ```
 */
export function eventSource(name: string, options: EventSourceOptions): EventSource {
  const location = captureSource().resolve();
  const github = Object.entries(options.github ?? {});
  const webhook = Object.entries(options.webhook ?? {});
  const calendar = Object.entries(options.calendar ?? {});
  const unsigned = github.some(([, g]) => g.insecureAcceptUnsignedWebhooks === true && !g.webhookSecret);
  const ports = [...new Set([...github.map(([, g]) => g.port ?? 12000), ...webhook.map(([, w]) => w.port ?? 12000)])].sort((a, b) => a - b);
  const annotations = unsigned ? { [UNSIGNED_WEBHOOKS_ANNOTATION]: 'true' } : undefined;
  const resource: EventSource = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'EventSource',
    metadata: compact({ name, namespace: options.namespace, labels: options.labels, annotations }),
    spec: compact({
      eventBusName: options.eventBusName,
      template: options.serviceAccountName ? { serviceAccountName: options.serviceAccountName } : undefined,
      service: ports.length > 0 ? { ports: ports.map((port) => ({ port, targetPort: port })) } : undefined,
      github: github.length > 0 ? Object.fromEntries(github.map(([k, g]) => [k, githubSource(g)])) : undefined,
      webhook: webhook.length > 0 ? Object.fromEntries(webhook.map(([k, w]) => [k, compact({ endpoint: w.endpoint, port: String(w.port ?? 12000), method: w.method ?? 'POST', authSecret: w.authSecret ? secret(w.authSecret) : undefined })])) : undefined,
      calendar: calendar.length > 0 ? Object.fromEntries(calendar.map(([k, c]) => [k, compact({ schedule: c.schedule, interval: c.interval, timezone: c.timezone, exclusionDates: c.exclusionDates ? [...c.exclusionDates] : undefined })])) : undefined,
      ...(options.spec ? (JSON.parse(JSON.stringify(options.spec)) as Record<string, unknown>) : {}),
    }),
  };
  const problems = [...validateEventResources([resource])];
  for (const [key, g] of github) {
    for (const repo of g.repositories ?? []) {
      if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repo)) {
        problems.push({ code: 'ARG302', severity: 'error', message: `EventSource "${name}": GitHub event "${key}": repository must be "owner/name", received ${JSON.stringify(repo)}`, path: `spec.github.${key}.repositories`, hint: 'write e.g. "acme/shop"' });
      }
    }
  }
  const errors = problems.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new DiagnosticError(errors.map((d) => (location ? { ...d, source: location } : d)));
  return brandResource(resource, location);
}
