/**
 * The event an Argo Events Sensor receives for one webhook delivery: a CloudEvents context and the data the
 * event source wrote. The GitHub source writes `{headers, body, metadata?}` (GithubEventData), the generic
 * webhook source `{header, body, metadata?}` (WebhookEventData); headers are Go `http.Header` maps (canonical names such as `X-Github-Event`, each value
 * a list), so `headers.X-Github-Event.0` is `push`.
 */
import { goJson } from '@argots/expr';

/** One GitHub webhook delivery, as GitHub sends it. */
export interface WebhookDelivery {
  /** The `X-GitHub-Event` header: `push`, `create`, `pull_request`, … */
  readonly eventType: string;
  /** The parsed JSON body. */
  readonly body: unknown;
  /** Extra request headers (any case); values may be lists. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
}

export interface ArgoEventContext {
  readonly id: string;
  readonly source: string;
  readonly specversion: string;
  readonly type: string;
  readonly time: string;
  readonly datacontenttype: string;
  readonly subject: string;
}

export interface ArgoEvent {
  readonly context: ArgoEventContext;
  /** The event data as JSON values (what gjson paths read). */
  readonly data: unknown;
}

/** Where a delivery arrives: the EventSource and event name, the kind of source, and when. */
export interface EventOrigin {
  readonly eventSourceName: string;
  readonly eventName: string;
  /** `github` (default) writes `headers`; `webhook` writes `header`. */
  readonly sourceType?: 'github' | 'webhook';
  /** RFC 3339 time of the event; simulations are deterministic, so it defaults to a fixed instant. */
  readonly time?: string;
  readonly id?: string;
  /** The event's `metadata` in the EventSource, forwarded in the event data when non-empty. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** The default event time: fixed, so results never depend on the clock. */
export const DEFAULT_EVENT_TIME = '2026-01-01T12:00:00Z';

/** Go's `textproto.CanonicalMIMEHeaderKey`: `x-github-event` → `X-Github-Event`. */
export function canonicalHeaderName(name: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(name)) return name;
  return name
    .split('-')
    .map((w) => (w === '' ? w : w[0]?.toUpperCase() + w.slice(1).toLowerCase()))
    .join('-');
}

/** Builds the Argo Events event a Sensor receives for `delivery` arriving at `origin`. */
export function buildArgoEvent(delivery: WebhookDelivery, origin: EventOrigin): ArgoEvent {
  return buildArgoEventFrom(normalizeDelivery(delivery), origin);
}

/** A delivery's headers and body as the event source forwards them (computed once per delivery). */
export interface NormalizedDelivery {
  readonly headers: Readonly<Record<string, string[]>>;
  readonly body: unknown;
  readonly id: string | undefined;
}

/** Canonical, sorted headers and a Go-encoded copy of the body. */
export function normalizeDelivery(delivery: WebhookDelivery, id = '00000000-0000-0000-0000-000000000000'): NormalizedDelivery {
  const headers: Record<string, string[]> = {
    'Content-Type': ['application/json'],
    'X-Github-Delivery': [id],
    'X-Github-Event': [delivery.eventType],
  };
  for (const [name, value] of Object.entries(delivery.headers ?? {})) {
    headers[canonicalHeaderName(name)] = typeof value === 'string' ? [value] : [...value];
  }
  const sorted: Record<string, string[]> = {};
  for (const name of Object.keys(headers).sort()) sorted[name] = headers[name] as string[];
  // The body is forwarded as raw JSON; re-encoding it the way Go does keeps raw-JSON reads identical.
  return { headers: sorted, body: JSON.parse(goJson(delivery.body)) as unknown, id };
}

/** Builds the event from an already normalized delivery. */
export function buildArgoEventFrom(delivery: NormalizedDelivery, origin: EventOrigin): ArgoEvent {
  const id = origin.id ?? delivery.id ?? '00000000-0000-0000-0000-000000000000';
  const sourceType = origin.sourceType ?? 'github';
  const metadata = origin.metadata && Object.keys(origin.metadata).length > 0 ? { metadata: origin.metadata } : {};
  const data = sourceType === 'github' ? { headers: delivery.headers, body: delivery.body, ...metadata } : { header: delivery.headers, body: delivery.body, ...metadata };
  return {
    context: {
      id,
      source: origin.eventSourceName,
      specversion: '1.0',
      type: sourceType,
      time: origin.time ?? DEFAULT_EVENT_TIME,
      datacontenttype: 'application/json',
      subject: origin.eventName,
    },
    data,
  };
}
