/**
 * GitHub triggers in GitHub's words. Each one is a Sensor dependency whose filters pin the event type
 * (`X-GitHub-Event`), the repository's full name and the ref, compiled to Argo's filter semantics
 * (unanchored RE2 regexes, so every pattern is emitted anchored, `^…$`, with dots escaped), plus a typed
 * handle on the payload whose fields become workflow parameters.
 */
import type { CreateEvent, PullRequestClosedEvent, PullRequestEvent, PushEvent } from '@octokit/webhooks-types';
import { DiagnosticError, type Diagnostic } from '../diagnostic.js';
import { captureSource } from '../_internal/source.js';
import type { DataFilter, EventDependency } from './types/sensor.js';
import { escapeRe2, globProblem, globToRegex } from './_internal/glob.js';
import { payloadHandle, type PayloadHandle } from './payload-handle.js';

/** A GitHub event a trigger listens to, with its payload type. */
export interface GithubTrigger<TPayload> {
  readonly kind: 'github-trigger';
  /** The `X-GitHub-Event` header value. */
  readonly event: 'push' | 'create' | 'pull_request';
  /** `push to acme/shop on dev`: for messages and reports. */
  readonly description: string;
  /** `owner/name`. */
  readonly repo: string;
  readonly eventSourceName: string;
  readonly eventName: string;
  /** The Sensor dependency, filters included. */
  readonly dependency: EventDependency;
  /** Typed handle on the delivery's body. */
  readonly payload: PayloadHandle<TPayload>;
  /** Where the trigger was declared. */
  readonly location: Diagnostic['source'];
}

/** Options every GitHub trigger takes. */
export interface GithubTriggerCommon {
  /** The repository, `owner/name`. Filters always pin it. */
  readonly repo: string;
  /** The EventSource receiving the webhook (default `github`). */
  readonly eventSource?: string;
  /** The event name inside that EventSource (default: the repository, `acme-shop`). */
  readonly eventName?: string;
  /** The Sensor dependency name (default per trigger kind). */
  readonly dependency?: string;
}

const REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const DNS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function fail(code: string, message: string, hint: string, location: Diagnostic['source']): never {
  throw new DiagnosticError([{ code, severity: 'error', message, path: '', ...(location ? { source: location } : {}), hint }]);
}

/** `acme/shop` → `acme-shop`, usable as an event name and in Kubernetes names. */
export function repoSlug(repo: string): string {
  return repo.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

function common(kind: string, options: GithubTriggerCommon, defaultDependency: string, location: Diagnostic['source']) {
  if (typeof options.repo !== 'string' || !REPO.test(options.repo) || options.repo.endsWith('.git')) {
    fail('ARG302', `github.${kind}: repository must be "owner/name", received ${JSON.stringify(options.repo)}`, 'write the repository as GitHub shows it, e.g. "acme/shop" (no URL, no .git)', location);
  }
  const dependency = options.dependency ?? defaultDependency;
  if (!DNS.test(dependency)) {
    fail('ARG312', `github.${kind}: dependency name must be lower-case letters, digits and dashes, received ${JSON.stringify(dependency)}`, 'use a name like "push" or "pr-merged"', location);
  }
  const repoFilter: DataFilter = { path: 'body.repository.full_name', type: 'string', value: [`(?i)^${escapeRe2(options.repo)}$`] };
  return {
    dependency,
    eventSourceName: options.eventSource ?? 'github',
    eventName: options.eventName ?? repoSlug(options.repo),
    repoFilter,
  };
}

function globs(kind: string, field: string, list: readonly string[], prefix: string, location: Diagnostic['source']): string[] {
  if (list.length === 0) fail('ARG303', `github.${kind}: "${field}" is empty`, `give at least one ${field === 'branches' ? 'branch' : 'pattern'}, e.g. ['main'] or ['release/*']`, location);
  return list.map((glob) => {
    const problem = typeof glob === 'string' ? globProblem(glob) : 'it is not a string';
    if (problem) fail('ARG303', `github.${kind}: ${field} pattern ${JSON.stringify(glob)} is invalid: ${problem}`, 'use a git ref name with * (within one path segment), ** (across segments) or ?', location);
    return globToRegex(glob, prefix);
  });
}

const eventFilter = (event: string): DataFilter => ({ path: 'headers.X-Github-Event.0', type: 'string', value: [`^${event}$`] });

function build<T>(event: GithubTrigger<T>['event'], description: string, options: GithubTriggerCommon, c: ReturnType<typeof common>, data: DataFilter[], location: Diagnostic['source']): GithubTrigger<T> {
  const dependency: EventDependency = Object.freeze({
    name: c.dependency,
    eventSourceName: c.eventSourceName,
    eventName: c.eventName,
    filters: Object.freeze({ data: Object.freeze([eventFilter(event), c.repoFilter, ...data].map((f) => Object.freeze({ ...f, value: Object.freeze([...f.value]) }))) }),
  });
  return Object.freeze({
    kind: 'github-trigger' as const,
    event,
    description,
    repo: options.repo,
    eventSourceName: c.eventSourceName,
    eventName: c.eventName,
    dependency,
    payload: payloadHandle<T>(c.dependency, description),
    location,
  });
}

export interface GithubPushOptions extends GithubTriggerCommon {
  /** Branch globs: `dev`, `release/*`, `feature/**`. */
  readonly branches: readonly string[];
}

export interface GithubPatternOptions extends GithubTriggerCommon {
  /** A glob, or several (ORed): `release/*`, `v*`. */
  readonly pattern: string | readonly string[];
}

export interface GithubTagOptions extends GithubTriggerCommon {
  /** Tag globs (default every tag, `**`). */
  readonly pattern?: string | readonly string[];
}

export interface GithubPullRequestMergedOptions extends GithubTriggerCommon {
  /** The base (target) branch glob, e.g. `master`. */
  readonly base: string;
  /** The head (source) branch glob (default any, `**`). */
  readonly head?: string;
  /**
   * Accept pull requests whose head branch lives in a fork. Off by default: the head repository is pinned to
   * `repo` too, so a fork cannot name its branch `release/x` and start a release.
   */
  readonly allowForks?: boolean;
}

/** A `pull_request` webhook action, as GitHub sends it (`opened`, `synchronize`, `labeled`, …). */
export type PullRequestAction = PullRequestEvent['action'];

/** The actions `github.pullRequest` listens to by default: a pull request opened, pushed to, or reopened. */
export const DEFAULT_PULL_REQUEST_ACTIONS = Object.freeze(['opened', 'synchronize', 'reopened'] as const);

/** Every action GitHub sends with `pull_request` (checked at run time too, for JavaScript callers). */
const PULL_REQUEST_ACTIONS: ReadonlySet<string> = new Set<PullRequestAction>([
  'assigned', 'auto_merge_disabled', 'auto_merge_enabled', 'closed', 'converted_to_draft', 'demilestoned', 'dequeued',
  'edited', 'enqueued', 'labeled', 'locked', 'milestoned', 'opened', 'ready_for_review', 'reopened',
  'review_request_removed', 'review_requested', 'synchronize', 'unassigned', 'unlabeled', 'unlocked',
]);

export interface GithubPullRequestOptions<A extends PullRequestAction = PullRequestAction> extends GithubTriggerCommon {
  /** The actions that start the pipeline (ORed). Default `['opened', 'synchronize', 'reopened']`. */
  readonly actions?: readonly A[];
  /** Base (target) branch globs, ORed (default any, `**`). */
  readonly base?: string | readonly string[];
  /** Head (source) branch globs, ORed (default any, `**`). */
  readonly head?: string | readonly string[];
  /** The pull request must carry at least one of these labels (exact names, case-sensitive). */
  readonly labels?: readonly string[];
  /** Draft pull requests start the pipeline too (default true, as in GitHub Actions); false ignores drafts. */
  readonly includeDrafts?: boolean;
  /**
   * Accept pull requests whose head branch lives in a fork. Off by default: the head repository is pinned to
   * `repo`, so a fork's code does not run with the pipeline's credentials.
   */
  readonly allowForks?: boolean;
}

/**
 * The regex matching a label name inside gjson's `labels.#.name` result, a JSON array written without spaces
 * (`["bug","ci"]`): anchored, the name as a JSON string at an element boundary. Inside a JSON string a quote
 * is always escaped, so `,"` and `["` only occur where an element starts.
 */
export function labelPattern(label: string): string {
  return `^\\[(?:.*,)?${escapeRe2(JSON.stringify(label))}(?:,.*)?\\]$`;
}

const list = (p: string | readonly string[]): readonly string[] => (typeof p === 'string' ? [p] : p);

/** GitHub triggers, in GitHub's words. */
export const github = {
  /**
   * A push of commits to one of `branches` (not a branch deletion).
   * @example
   * ```ts
   * const push = github.push({ repo: 'acme/shop', branches: ['dev'] });
   * push.payload.after; // the pushed commit sha, as a workflow parameter
   * ```
   */
  push(options: GithubPushOptions): GithubTrigger<PushEvent> {
    const location = captureSource().resolve();
    const c = common('push', options, 'push', location);
    const refs = globs('push', 'branches', options.branches ?? [], 'refs/heads/', location);
    return build<PushEvent>('push', `push to ${options.repo} on ${options.branches.join(', ')}`, options, c, [
      { path: 'body.ref', type: 'string', value: refs },
      { path: 'body.deleted', type: 'bool', value: ['false'] },
    ], location);
  },

  /**
   * A tag pushed (created or moved, not deleted) whose name matches `pattern`.
   * @example
   * ```ts
   * const tag = github.tagPushed({ repo: 'acme/shop', pattern: 'v*' });
   * tag.payload.ref; // refs/tags/v1.2.3
   * ```
   */
  tagPushed(options: GithubTagOptions): GithubTrigger<PushEvent> {
    const location = captureSource().resolve();
    const c = common('tagPushed', options, 'tag', location);
    const refs = globs('tagPushed', 'pattern', list(options.pattern ?? '**'), 'refs/tags/', location);
    return build<PushEvent>('push', `tag pushed to ${options.repo} matching ${list(options.pattern ?? '**').join(', ')}`, options, c, [
      { path: 'body.ref', type: 'string', value: refs },
      { path: 'body.deleted', type: 'bool', value: ['false'] },
    ], location);
  },

  /**
   * A branch created whose name matches `pattern` (GitHub's `create` event with `ref_type: branch`).
   * @example
   * ```ts
   * const created = github.branchCreated({ repo: 'acme/shop', pattern: 'release/*' });
   * created.payload.ref; // release/1.4
   * ```
   */
  branchCreated(options: GithubPatternOptions): GithubTrigger<CreateEvent> {
    const location = captureSource().resolve();
    const c = common('branchCreated', options, 'branch-created', location);
    const refs = globs('branchCreated', 'pattern', list(options.pattern ?? []), '', location);
    return build<CreateEvent>('create', `branch created in ${options.repo} matching ${list(options.pattern).join(', ')}`, options, c, [
      { path: 'body.ref_type', type: 'string', value: ['^branch$'] },
      { path: 'body.ref', type: 'string', value: refs },
    ], location);
  },

  /**
   * A pull request event: by default opened, pushed to (`synchronize`) or reopened — the usual CI trigger.
   * Filters pin the event type, the repository, the actions, the base and head branch globs, the head
   * repository (unless `allowForks`), and optionally labels and drafts. The payload is typed for the actions
   * given: `pr.payload.pull_request.head.sha` is the commit to test.
   * @example
   * ```ts
   * const pr = github.pullRequest({ repo: 'acme/shop', base: ['main', 'release/*'], labels: ['ci'] });
   * pr.payload.pull_request.head.sha; // the head commit, as a workflow parameter
   * pr.payload.number;                // the pull request number
   * ```
   */
  pullRequest<const A extends PullRequestAction = (typeof DEFAULT_PULL_REQUEST_ACTIONS)[number]>(
    options: GithubPullRequestOptions<A>,
  ): GithubTrigger<Extract<PullRequestEvent, { action: A }>> {
    const location = captureSource().resolve();
    const c = common('pullRequest', options, 'pull-request', location);
    const actions: readonly string[] = options.actions ?? DEFAULT_PULL_REQUEST_ACTIONS;
    if (!Array.isArray(actions) || actions.length === 0) {
      fail('ARG338', 'github.pullRequest: "actions" is empty', `give at least one action, e.g. ${JSON.stringify(DEFAULT_PULL_REQUEST_ACTIONS)} (the default)`, location);
    }
    for (const action of actions) {
      if (!PULL_REQUEST_ACTIONS.has(action)) {
        fail('ARG338', `github.pullRequest: action ${JSON.stringify(action)} is not one GitHub sends with pull_request`, `use one of ${[...PULL_REQUEST_ACTIONS].join(', ')}`, location);
      }
    }
    const base = globs('pullRequest', 'base', list(options.base ?? '**'), '', location);
    const head = globs('pullRequest', 'head', list(options.head ?? '**'), '', location);
    const labels = options.labels ?? [];
    if (options.labels !== undefined && labels.length === 0) fail('ARG338', 'github.pullRequest: "labels" is empty', 'leave "labels" out to accept any pull request, or name at least one label', location);
    for (const label of labels) {
      if (typeof label !== 'string' || label.trim() === '') fail('ARG338', `github.pullRequest: label ${JSON.stringify(label)} is not a label name`, 'write label names as GitHub shows them, e.g. "ci"', location);
    }
    const repo = `(?i)^${escapeRe2(options.repo)}$`;
    const any = (l: readonly string[]) => l.length === 1 && l[0] === '**';
    const describe = [
      `pull request ${actions.join('/')} in ${options.repo}`,
      any(list(options.base ?? '**')) ? '' : ` into ${list(options.base ?? '**').join(', ')}`,
      any(list(options.head ?? '**')) ? '' : ` from ${list(options.head ?? '**').join(', ')}`,
      labels.length > 0 ? ` labelled ${labels.join(' or ')}` : '',
    ].join('');
    return build<Extract<PullRequestEvent, { action: A }>>('pull_request', describe, options, c, [
      { path: 'body.action', type: 'string', value: [...actions].sort().map((a) => `^${a}$`) },
      { path: 'body.pull_request.base.repo.full_name', type: 'string', value: [repo] },
      ...(options.allowForks ? [] : [{ path: 'body.pull_request.head.repo.full_name', type: 'string', value: [repo] } satisfies DataFilter]),
      { path: 'body.pull_request.base.ref', type: 'string', value: base },
      { path: 'body.pull_request.head.ref', type: 'string', value: head },
      ...(labels.length > 0 ? [{ path: 'body.pull_request.labels.#.name', type: 'string', value: labels.map(labelPattern) } satisfies DataFilter] : []),
      ...(options.includeDrafts === false ? [{ path: 'body.pull_request.draft', type: 'bool', value: ['false'] } satisfies DataFilter] : []),
    ], location);
  },

  /**
   * A pull request into `base` closed by merging it. Filters check `merged == true`, the base repository
   * and (unless `allowForks`) the head repository.
   * @example
   * ```ts
   * const merged = github.pullRequestMerged({ repo: 'acme/shop', base: 'master', head: 'release/*' });
   * merged.payload.pull_request.merge_commit_sha;
   * ```
   */
  pullRequestMerged(options: GithubPullRequestMergedOptions): GithubTrigger<PullRequestClosedEvent> {
    const location = captureSource().resolve();
    const c = common('pullRequestMerged', options, 'pr-merged', location);
    const [base] = globs('pullRequestMerged', 'base', [options.base], '', location);
    const [head] = globs('pullRequestMerged', 'head', [options.head ?? '**'], '', location);
    const repo = `(?i)^${escapeRe2(options.repo)}$`;
    return build<PullRequestClosedEvent>('pull_request', `pull request merged in ${options.repo} into ${options.base}${options.head ? ` from ${options.head}` : ''}`, options, c, [
      { path: 'body.action', type: 'string', value: ['^closed$'] },
      { path: 'body.pull_request.merged', type: 'bool', value: ['true'] },
      { path: 'body.pull_request.base.repo.full_name', type: 'string', value: [repo] },
      ...(options.allowForks ? [] : [{ path: 'body.pull_request.head.repo.full_name', type: 'string', value: [repo] } satisfies DataFilter]),
      { path: 'body.pull_request.base.ref', type: 'string', value: [base as string] },
      { path: 'body.pull_request.head.ref', type: 'string', value: [head as string] },
    ], location);
  },
} as const;
