/**
 * The organisation's branch strategy as typed data. Pure: the runtime (`argots-runtime resolve-flow`) and
 * the DSL (Sensor filters) read the same triggers, so what starts a workflow and what the workflow decides
 * cannot disagree.
 *
 * Default strategy:
 * - a push to `dev` (a `feature/*` merged) → `dev-build` in `dev`;
 * - a `release/*` branch created (its first push) → `staging-promotion` in `staging`;
 * - a pull request `release/*` → `master` merged → `production-promotion` in `prod`;
 * - a pull request `bugfix/*` → `release/*` merged → `staging-bugfix` in `staging` (then the release is
 *   back-merged into `dev`);
 * - a pull request `hotfix/*` → `master` merged → `hotfix` in `staging` (then `master` is back-merged into
 *   the newest release and `dev`, and staging is cleaned up).
 */

export const FLOWS = ['dev-build', 'staging-promotion', 'production-promotion', 'staging-bugfix', 'hotfix', 'none'] as const;
export type Flow = (typeof FLOWS)[number];

export interface BranchPolicy {
  readonly branches: {
    /** The integration branch (exact name). */
    readonly dev: string;
    /** The production branch (exact name). */
    readonly master: string;
    /** Glob patterns, as in git and the Sensors: `*` any run of characters within one path segment, `**` across segments, `?` one character. */
    readonly feature: string;
    readonly release: string;
    readonly bugfix: string;
    readonly hotfix: string;
  };
  readonly environments: {
    readonly dev: string;
    readonly staging: string;
    readonly production: string;
  };
}

export const DEFAULT_BRANCH_POLICY: BranchPolicy = Object.freeze({
  branches: Object.freeze({
    dev: 'dev',
    master: 'master',
    feature: 'feature/*',
    release: 'release/*',
    bugfix: 'bugfix/*',
    hotfix: 'hotfix/*',
  }),
  environments: Object.freeze({ dev: 'dev', staging: 'staging', production: 'prod' }),
});

/** A condition on the webhook payload, in the shape of an Argo Events Sensor data filter. */
export type TriggerCondition =
  | { readonly path: string; readonly type: 'string'; /** anchored regular expression */ readonly value: string }
  | { readonly path: string; readonly type: 'bool'; readonly value: boolean };

/** One flow's trigger: the GitHub event type, and conditions that must all hold. */
export interface FlowTrigger {
  readonly flow: Exclude<Flow, 'none'>;
  readonly eventType: 'push' | 'pull_request';
  readonly environment: string;
  readonly conditions: readonly TriggerCondition[];
  /** How the trigger reads as a sentence, for reasons and docs. */
  readonly summary: string;
}

export interface FlowDecision {
  readonly flow: Flow;
  /** The environment the flow deploys to; absent for `none`. */
  readonly environment?: string;
  /** Why this flow was chosen (or why none was). */
  readonly reason: string;
  /** `owner/name` of the repository the event is about. */
  readonly repository?: string;
  /** The branch merged from (pull request head) or pushed to. */
  readonly source?: string;
  /** The branch merged into (pull request base) or pushed to. */
  readonly target?: string;
  /** The commit the flow works on: the pushed tip, or the pull request's merge commit. */
  readonly commit?: string;
}

export interface GitHubEvent {
  /** The `X-GitHub-Event` header: `push`, `pull_request`, ... */
  readonly type: string;
  /** The parsed JSON body. Untrusted: read defensively. */
  readonly payload: unknown;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);
}

/** The anchored regular expression (source text) of a branch glob: `release/*` → `^release/[^/]*$`, `feature/**` → `^feature/.*$`. */
export function branchPatternSource(pattern: string): string {
  // Git's and the Sensors' glob: `*` and `?` stay within one path segment, `**` crosses them.
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += escapeRegExp(ch);
  }
  return `^${out}$`;
}

/** Whether a branch name matches a branch glob of the policy. */
export function matchesBranch(pattern: string, branch: string): boolean {
  return new RegExp(branchPatternSource(pattern)).test(branch);
}

function exact(name: string): string {
  return `^${escapeRegExp(name)}$`;
}

/**
 * The triggers of a policy, in the order they are tried. The DSL compiles these into Sensor filters;
 * {@link decideFlow} evaluates the very same conditions.
 */
export function flowTriggers(policy: BranchPolicy = DEFAULT_BRANCH_POLICY): readonly FlowTrigger[] {
  const { branches: b, environments: e } = policy;
  const merged = (base: string, head: string): TriggerCondition[] => [
    { path: 'action', type: 'string', value: '^closed$' },
    { path: 'pull_request.merged', type: 'bool', value: true },
    { path: 'pull_request.base.ref', type: 'string', value: base },
    { path: 'pull_request.head.ref', type: 'string', value: head },
  ];
  return [
    {
      flow: 'dev-build',
      eventType: 'push',
      environment: e.dev,
      summary: `a push to "${b.dev}"`,
      conditions: [
        { path: 'ref', type: 'string', value: exact(`refs/heads/${b.dev}`) },
        { path: 'deleted', type: 'bool', value: false },
      ],
    },
    {
      flow: 'staging-promotion',
      eventType: 'push',
      environment: e.staging,
      summary: `a new "${b.release}" branch`,
      conditions: [
        { path: 'ref', type: 'string', value: branchPatternSource(`refs/heads/${b.release}`) },
        { path: 'created', type: 'bool', value: true },
        { path: 'deleted', type: 'bool', value: false },
      ],
    },
    {
      flow: 'production-promotion',
      eventType: 'pull_request',
      environment: e.production,
      summary: `a pull request "${b.release}" → "${b.master}" merged`,
      conditions: merged(exact(b.master), branchPatternSource(b.release)),
    },
    {
      flow: 'staging-bugfix',
      eventType: 'pull_request',
      environment: e.staging,
      summary: `a pull request "${b.bugfix}" → "${b.release}" merged`,
      conditions: merged(branchPatternSource(b.release), branchPatternSource(b.bugfix)),
    },
    {
      flow: 'hotfix',
      eventType: 'pull_request',
      environment: e.staging,
      summary: `a pull request "${b.hotfix}" → "${b.master}" merged`,
      conditions: merged(exact(b.master), branchPatternSource(b.hotfix)),
    },
  ];
}

function at(payload: unknown, path: string): unknown {
  let here: unknown = payload;
  for (const key of path.split('.')) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string, unknown>)[key];
  }
  return here;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function holds(condition: TriggerCondition, payload: unknown): boolean {
  const value = at(payload, condition.path);
  if (condition.type === 'bool') return value === condition.value;
  return typeof value === 'string' && new RegExp(condition.value).test(value);
}

function stringAt(payload: unknown, path: string): string | undefined {
  const value = at(payload, path);
  return typeof value === 'string' ? value : undefined;
}

function describeEvent(event: GitHubEvent): Pick<FlowDecision, 'repository' | 'source' | 'target' | 'commit'> {
  const out: { repository?: string; source?: string; target?: string; commit?: string } = {};
  const repository = stringAt(event.payload, 'repository.full_name');
  if (repository !== undefined) out.repository = repository;
  if (event.type === 'push') {
    const ref = stringAt(event.payload, 'ref');
    if (ref?.startsWith('refs/heads/')) out.source = out.target = ref.slice('refs/heads/'.length);
    const after = stringAt(event.payload, 'after');
    if (after !== undefined) out.commit = after;
  } else if (event.type === 'pull_request') {
    const head = stringAt(event.payload, 'pull_request.head.ref');
    const base = stringAt(event.payload, 'pull_request.base.ref');
    const sha = stringAt(event.payload, 'pull_request.merge_commit_sha');
    if (head !== undefined) out.source = head;
    if (base !== undefined) out.target = base;
    if (sha !== undefined) out.commit = sha;
  }
  return out;
}

function subject(event: GitHubEvent): string {
  if (event.type === 'push') return `push to ${show(at(event.payload, 'ref'))}`;
  if (event.type === 'pull_request') {
    const number = at(event.payload, 'number');
    return `pull request #${show(number)} (${show(at(event.payload, 'pull_request.head.ref'))} → ${show(at(event.payload, 'pull_request.base.ref'))}, action ${show(at(event.payload, 'action'))})`;
  }
  return `event "${event.type}"`;
}

/**
 * Decides which flow of the branch strategy an event starts, and why. The first trigger whose event type
 * matches and whose conditions all hold wins; when none does, the reason names the closest trigger and the
 * condition it failed.
 */
export function decideFlow(event: GitHubEvent, policy: BranchPolicy = DEFAULT_BRANCH_POLICY): FlowDecision {
  const triggers = flowTriggers(policy);
  const facts = describeEvent(event);
  let closest: { trigger: FlowTrigger; failed: TriggerCondition; passed: number } | undefined;
  for (const trigger of triggers) {
    if (trigger.eventType !== event.type) continue;
    const failedAt = trigger.conditions.findIndex((c) => !holds(c, event.payload));
    if (failedAt === -1) {
      return { flow: trigger.flow, environment: trigger.environment, reason: `${subject(event)} is ${trigger.summary}`, ...facts };
    }
    const failed = trigger.conditions[failedAt];
    if (failed && (!closest || failedAt > closest.passed)) closest = { trigger, failed, passed: failedAt };
  }
  if (!closest) {
    const types = [...new Set(triggers.map((t) => t.eventType))].join(', ');
    return { flow: 'none', reason: `${subject(event)} starts no flow: the policy only listens to ${types}`, ...facts };
  }
  const { trigger, failed } = closest;
  const expected = failed.type === 'bool' ? String(failed.value) : `a match for /${failed.value}/`;
  return {
    flow: 'none',
    reason: `${subject(event)} starts no flow: the closest is "${trigger.flow}" (${trigger.summary}), which expects ${failed.path} to be ${expected}, received ${show(at(event.payload, failed.path))}`,
    ...facts,
  };
}

export interface BranchPolicyProblem {
  readonly path: string;
  readonly expected: string;
  readonly received: string;
}

export type BranchPolicyInput = {
  readonly branches?: Partial<BranchPolicy['branches']>;
  readonly environments?: Partial<BranchPolicy['environments']>;
};

const BRANCH_NAME = /^(?!\/|.*\/\/|.*\/$|.*\.\.|.*@\{)[A-Za-z0-9._/*?-]+$/;
const ENVIRONMENT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Reads a policy document (parsed JSON or YAML): every field is optional and defaults to
 * {@link DEFAULT_BRANCH_POLICY}. Collects every problem instead of stopping at the first.
 */
export function parseBranchPolicy(
  value: unknown,
): { readonly ok: true; readonly policy: BranchPolicy } | { readonly ok: false; readonly problems: readonly BranchPolicyProblem[] } {
  const problems: BranchPolicyProblem[] = [];
  const record = (v: unknown, path: string): Record<string, unknown> => {
    if (v === undefined) return {};
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      problems.push({ path, expected: 'an object', received: show(v) });
      return {};
    }
    return v as Record<string, unknown>;
  };
  const root = record(value, '(policy)');
  const read = <T extends Record<string, string>>(section: 'branches' | 'environments', defaults: T, shape: RegExp, what: string): T => {
    const given = record(root[section], section);
    const out: Record<string, string> = { ...defaults };
    for (const [key, v] of Object.entries(given)) {
      const path = `${section}.${key}`;
      if (!(key in defaults)) {
        problems.push({ path, expected: `one of ${Object.keys(defaults).join(', ')}`, received: show(key) });
      } else if (typeof v !== 'string' || !shape.test(v)) {
        problems.push({ path, expected: what, received: show(v) });
      } else {
        out[key] = v;
      }
    }
    return out as T;
  };
  for (const key of Object.keys(root)) {
    if (key !== 'branches' && key !== 'environments') problems.push({ path: key, expected: 'branches or environments', received: show(key) });
  }
  const branches = read('branches', DEFAULT_BRANCH_POLICY.branches, BRANCH_NAME, 'a branch name or glob like "release/*"');
  const environments = read('environments', DEFAULT_BRANCH_POLICY.environments, ENVIRONMENT, 'a DNS label like "staging"');
  for (const key of ['dev', 'master'] as const) {
    if (/[*?]/.test(branches[key])) problems.push({ path: `branches.${key}`, expected: 'an exact branch name (no * or ?)', received: show(branches[key]) });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, policy: Object.freeze({ branches: Object.freeze(branches), environments: Object.freeze(environments) }) };
}

/** The default policy with some fields replaced; throws a `TypeError` listing every problem. */
export function branchPolicy(overrides: BranchPolicyInput = {}): BranchPolicy {
  const parsed = parseBranchPolicy(overrides);
  if (!parsed.ok) {
    throw new TypeError(`invalid branch policy:\n${parsed.problems.map((p) => `✖ ${p.path}: expected ${p.expected}, received ${p.received}`).join('\n')}`);
  }
  return parsed.policy;
}
