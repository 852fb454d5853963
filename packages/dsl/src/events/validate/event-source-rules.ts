/**
 * Semantic checks of an EventSource for the sources argots builds: GitHub (signed webhooks, repositories,
 * events, GitHub App credentials), generic webhooks and calendars.
 */
import { asArray, asString, isRecord, quote, type PathPart, type Reporter } from './_internal/reporter.js';
import { GITHUB_WEBHOOK_EVENTS } from './_internal/github-events.js';

/** The annotation the builder writes when webhook signatures are knowingly not verified. */
export const UNSIGNED_WEBHOOKS_ANNOTATION = 'argots.dev/insecure-unsigned-webhooks';

const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const CRON_FIELD = /^(?:\*|\?|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?(?:\/\d+)?|\*\/\d+)(?:,(?:\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?(?:\/\d+)?|\*\/\d+))*$/;
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function checkWebhook(r: Reporter, w: unknown, path: PathPart[], needUrl: boolean): void {
  if (!isRecord(w)) {
    r.report('ARG306', path, 'needs a webhook (endpoint, port, method), received nothing', 'add webhook: { endpoint: /push, port: "12000", method: POST }');
    return;
  }
  const endpoint = asString(w['endpoint']);
  if (!endpoint || !endpoint.startsWith('/')) r.report('ARG306', [...path, 'endpoint'], `webhook endpoint must start with "/", received ${quote(w['endpoint'])}`, 'use a path such as /github/acme-shop');
  const port = asString(w['port']);
  if (!port || !/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) r.report('ARG306', [...path, 'port'], `webhook port must be a number between 1 and 65535 written as a string, received ${quote(w['port'])}`, 'use e.g. "12000"');
  const method = asString(w['method']);
  if (method !== undefined && !['POST', 'PUT', 'GET', 'PATCH', 'DELETE'].includes(method)) r.report('ARG306', [...path, 'method'], `webhook method must be an HTTP method, received ${quote(method)}`, 'GitHub sends POST');
  if (needUrl && !asString(w['url'])) r.report('ARG306', [...path, 'url'], 'webhook url (the public base URL GitHub calls) is missing', 'set url to the address GitHub reaches the EventSource at, e.g. https://events.example.com');
}

function checkGithub(r: Reporter, name: string, g: Record<string, unknown>, path: PathPart[], unsignedAllowed: boolean): void {
  const subject = `GitHub event ${quote(name)}`;
  const events = asArray(g['events']);
  if (events.length === 0) r.report('ARG304', [...path, 'events'], `${subject} subscribes to no events`, 'list the events, e.g. [push, pull_request, create]');
  events.forEach((e, i) => {
    if (!GITHUB_WEBHOOK_EVENTS.has(String(e))) r.report('ARG304', [...path, 'events', i], `${subject}: ${quote(e)} is not an event GitHub sends`, 'use GitHub\'s event names: push, pull_request, create, release, …');
  });
  const repos = asArray(g['repositories']);
  const orgs = asArray(g['organizations']);
  const legacy = typeof g['owner'] === 'string' && typeof g['repository'] === 'string';
  if (legacy) r.report('ARG301', path, `${subject} uses the deprecated owner/repository fields`, `write repositories: [{ owner: ${String(g['owner'])}, names: [${String(g['repository'])}] }]`, 'warning');
  if (repos.length === 0 && orgs.length === 0 && !legacy) r.report('ARG301', path, `${subject} names neither repositories nor organizations`, 'add repositories: [{ owner: acme, names: [shop] }]');
  if (repos.length > 0 && orgs.length > 0) r.report('ARG301', path, `${subject} names both repositories and organizations (Argo accepts one of them)`, 'keep repositories, or organizations');
  repos.forEach((repo, i) => {
    if (!isRecord(repo)) return;
    if (!asString(repo['owner']) || !/^[A-Za-z0-9-]+$/.test(String(repo['owner']))) r.report('ARG302', [...path, 'repositories', i, 'owner'], `${subject}: repository owner must be a GitHub user or organisation, received ${quote(repo['owner'])}`, 'write the owner only, e.g. acme');
    asArray(repo['names']).forEach((n, j) => {
      if (typeof n !== 'string' || !/^[A-Za-z0-9._-]+$/.test(n)) r.report('ARG302', [...path, 'repositories', i, 'names', j], `${subject}: repository name must be a bare name, received ${quote(n)}`, 'write the name only, e.g. shop (not acme/shop, no .git)');
    });
    if (asArray(repo['names']).length === 0) r.report('ARG302', [...path, 'repositories', i, 'names'], `${subject}: repository owner ${quote(repo['owner'])} lists no names`, 'list the repository names');
  });
  if (!isRecord(g['webhookSecret'])) {
    r.report('ARG300', [...path, 'webhookSecret'], `${subject} has no webhookSecret: the EventSource would accept unsigned deliveries, so anyone who can reach it can start pipelines (stricter than Argo Events, which accepts it)`,
      unsignedAllowed ? `the EventSource is annotated ${UNSIGNED_WEBHOOKS_ANNOTATION}; remove the annotation once a secret is configured` : `reference a Secret: webhookSecret: { name: github-webhook, key: secret }; to accept unsigned deliveries on purpose, annotate the EventSource ${UNSIGNED_WEBHOOKS_ANNOTATION}: "true" (builders: insecureAcceptUnsignedWebhooks: true), which makes this a warning`,
      unsignedAllowed ? 'warning' : 'error');
  }
  if (isRecord(g['apiToken']) && !isRecord(g['githubApp'])) {
    r.report('ARG305', [...path, 'apiToken'], `${subject} manages its webhook with a personal API token`, 'use githubApp: { appID, installationID, privateKey } — scoped, short-lived credentials', 'warning');
  }
  if (!isRecord(g['apiToken']) && !isRecord(g['githubApp'])) {
    r.report('ARG305', path, `${subject} has no GitHub App credentials: the webhook must then be created by hand`, 'add githubApp: { appID, installationID, privateKey } so the EventSource registers the webhook', 'warning');
  }
  const contentType = g['contentType'];
  if (contentType !== undefined && contentType !== 'json' && contentType !== 'form') r.report('ARG304', [...path, 'contentType'], `${subject}: contentType must be json or form, received ${quote(contentType)}`, 'use json');
  checkWebhook(r, g['webhook'], [...path, 'webhook'], isRecord(g['apiToken']) || isRecord(g['githubApp']));
}

function checkCalendar(r: Reporter, name: string, c: Record<string, unknown>, path: PathPart[]): void {
  const schedule = asString(c['schedule']);
  const interval = asString(c['interval']);
  if (!schedule && !interval) r.report('ARG307', path, `calendar event ${quote(name)} has neither schedule nor interval`, 'add schedule: "0 2 * * *" or interval: 1h');
  if (schedule) {
    const fields = schedule.trim().split(/\s+/);
    const ok = DESCRIPTORS.has(schedule.trim()) || /^@every \S+$/.test(schedule.trim()) || ((fields.length === 5 || fields.length === 6) && fields.every((f) => CRON_FIELD.test(f)));
    if (!ok) r.report('ARG307', [...path, 'schedule'], `calendar event ${quote(name)}: schedule ${quote(schedule)} is not a cron expression`, 'use five fields (minute hour day month weekday), e.g. "0 2 * * 1-5"');
  }
  if (interval && !DURATION.test(interval)) r.report('ARG307', [...path, 'interval'], `calendar event ${quote(name)}: interval ${quote(interval)} is not a duration`, 'use a Go duration such as 10m or 1h30m');
  const zone = asString(c['timezone']);
  if (zone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      r.report('ARG307', [...path, 'timezone'], `calendar event ${quote(name)}: timezone ${quote(zone)} is not an IANA time zone`, 'use a name such as "Europe/Paris"');
    }
  }
}

/** Checks one EventSource (already schema-valid). */
export function checkEventSource(r: Reporter, source: Record<string, unknown>): void {
  const spec = isRecord(source['spec']) ? source['spec'] : {};
  const metadata = isRecord(source['metadata']) ? source['metadata'] : {};
  const annotations = isRecord(metadata['annotations']) ? metadata['annotations'] : {};
  const unsignedAllowed = annotations[UNSIGNED_WEBHOOKS_ANNOTATION] === 'true';
  const kinds = Object.keys(spec).filter((k) => !['eventBusName', 'service', 'template', 'replicas'].includes(k) && isRecord(spec[k]) && Object.keys(spec[k] as object).length > 0);
  if (kinds.length === 0) r.report('ARG308', ['spec'], 'EventSource defines no event', 'add github:, webhook: or calendar: with at least one named event');
  const github = isRecord(spec['github']) ? spec['github'] : {};
  for (const [name, g] of Object.entries(github)) if (isRecord(g)) checkGithub(r, name, g, ['spec', 'github', name], unsignedAllowed);
  const webhook = isRecord(spec['webhook']) ? spec['webhook'] : {};
  for (const [name, w] of Object.entries(webhook)) checkWebhook(r, w, ['spec', 'webhook', name], false);
  const calendar = isRecord(spec['calendar']) ? spec['calendar'] : {};
  for (const [name, c] of Object.entries(calendar)) if (isRecord(c)) checkCalendar(r, name, c, ['spec', 'calendar', name]);
}

/** `eventSourceName` → event names it defines, for cross-checks with Sensors. */
export function eventsOf(source: Record<string, unknown>): string[] {
  const spec = isRecord(source['spec']) ? source['spec'] : {};
  const out: string[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (['eventBusName', 'service', 'template', 'replicas'].includes(key) || !isRecord(value)) continue;
    out.push(...Object.keys(value));
  }
  return out;
}
