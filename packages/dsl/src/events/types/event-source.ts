/**
 * The Argo Events `EventSource` (argoproj.io/v1alpha1) as plain data, for the sources argots builds: GitHub,
 * generic webhook and calendar. Field names follow the upstream API exactly.
 */
import type { ObjectMeta, SecretKeySelector } from './sensor.js';

export interface WebhookContext {
  readonly endpoint: string;
  readonly port: string;
  readonly method?: string;
  readonly url?: string;
  readonly authSecret?: SecretKeySelector;
  readonly maxPayloadSize?: number;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface OwnedRepositories {
  readonly owner: string;
  readonly names: readonly string[];
}

export interface GithubAppCreds {
  readonly appID: number;
  readonly installationID: number;
  readonly privateKey: SecretKeySelector;
}

export interface GithubEventSource {
  readonly repositories?: readonly OwnedRepositories[];
  readonly organizations?: readonly string[];
  /** Deprecated upstream: use `repositories`. */
  readonly owner?: string;
  /** Deprecated upstream: use `repositories`. */
  readonly repository?: string;
  readonly events: readonly string[];
  readonly webhook?: WebhookContext;
  readonly webhookSecret?: SecretKeySelector;
  readonly apiToken?: SecretKeySelector;
  readonly githubApp?: GithubAppCreds;
  readonly contentType?: 'json' | 'form' | (string & {});
  readonly active?: boolean;
  readonly insecure?: boolean;
  readonly deleteHookOnFinish?: boolean;
  readonly githubBaseURL?: string;
  readonly githubUploadURL?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface CalendarEventSource {
  readonly schedule?: string;
  readonly interval?: string;
  readonly exclusionDates?: readonly string[];
  readonly timezone?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
}

export interface EventSourceSpec {
  readonly eventBusName?: string;
  readonly service?: { readonly ports: readonly ServicePort[]; readonly clusterIP?: string };
  readonly github?: Readonly<Record<string, GithubEventSource>>;
  readonly webhook?: Readonly<Record<string, WebhookContext>>;
  readonly calendar?: Readonly<Record<string, CalendarEventSource>>;
  readonly template?: { readonly serviceAccountName?: string; readonly [other: string]: unknown };
  readonly [otherSourceType: string]: unknown;
}

export interface EventSource {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'EventSource';
  readonly metadata: ObjectMeta;
  readonly spec: EventSourceSpec;
}
