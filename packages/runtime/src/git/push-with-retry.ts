/**
 * Commit and push to a branch that others push to at the same time, without ever force-pushing.
 *
 * Each attempt: fetch the branch, reset the local branch to the remote tip, run `apply` (which edits the
 * working tree, or makes its own commit), commit, push. When the push is rejected because the remote moved
 * or was busy (see {@link PushRejection}) the attempt is thrown away and the next one starts from the new
 * tip after a jittered, growing delay, at most `maxAttempts` in all (then `RUN202`). `apply` failing on a
 * new tip is a real conflict with what landed meanwhile: `RUN203`, at once, nothing pushed. Anything else —
 * `apply` failing on the first attempt, an authentication error, a hook refusing the push (`RUN201`) —
 * fails at once with the reason.
 *
 * ```ts
 * const r = await pushWithRetry({
 *   dir: '/tmp/gitops', branch: 'main', auth,
 *   apply: async (dir) => (await setImageInFolder(dir, ...)).changed ? { message: 'deploy api' } : null,
 * });
 * r.changed; r.commit; r.attempts;
 * ```
 */
import { RuntimeError } from '../runtime-error.js';
import { redact } from '../redact.js';
import { runGit, tryGit } from './run-git.js';
import type { GitIdentity } from './run-git.js';
import type { GitAuth } from './token-source.js';

/** What `apply` did: a message to commit the working-tree changes with, its own commit, or nothing. */
export type ApplyResult = { readonly message: string } | { readonly committed: true } | null | undefined;

export interface PushWithRetryOptions {
  /** A clone of the repository (its `remote` points at the server). */
  readonly dir: string;
  readonly branch: string;
  /**
   * Changes the working tree (starting from the current remote tip). Called again on every attempt. If it
   * throws on a later attempt (the branch moved and the change no longer fits), the push fails with `RUN203`.
   */
  readonly apply: (dir: string, attempt: number) => Promise<ApplyResult>;
  readonly remote?: string;
  readonly auth?: GitAuth | undefined;
  readonly identity?: GitIdentity | undefined;
  /** Attempts in all (default 10). */
  readonly maxAttempts?: number;
  /**
   * Delay before attempt n+1: a random value between half and all of
   * `min(maxDelayMs, baseDelayMs × 2^(n-1))` (defaults 200 / 5000 ms), so never more than `maxDelayMs`.
   */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Random numbers in [0, 1) for the jitter (default `Math.random`). */
  readonly random?: () => number;
  /** Waits between attempts (default a timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The clone was made a moment ago from the branch tip: the first attempt skips the fetch and reset
   * (later attempts always start from a fresh fetch).
   */
  readonly freshClone?: boolean;
  /** Progress lines (e.g. the command's `log`). */
  readonly log?: (message: string) => void;
}

export interface PushWithRetryResult {
  /** True when a commit was pushed. */
  readonly changed: boolean;
  /** The branch tip that holds the change (the unchanged tip when nothing was to do). */
  readonly commit: string;
  readonly attempts: number;
}

/**
 * A rejection that means "start again from the new tip":
 * - `fetch-first` / `non-fast-forward`: the client saw that the branch has commits we do not have;
 * - `stale-ref`: the server's ref moved between the advertisement and the update ("cannot lock ref …: is at
 *   X but expected Y", "reference already exists"; and `stale info`, which git reports only for
 *   `--force-with-lease`, never used here);
 * - `ref-locked`: another process holds `<ref>.lock` on the server;
 * - `ref-update-failed`: the server failed to update the ref and gave no reason.
 */
export type PushRejection = 'fetch-first' | 'non-fast-forward' | 'stale-ref' | 'ref-locked' | 'ref-update-failed';

const STATUS = /\[(remote rejected|rejected)\][^\n]*?\(([^\n]+)\)[ \t]*$/m;
const LOCKED = /\.lock'?: File exists|failed to lock/i;
const STALE = /is at [0-9a-f]{4,} but expected [0-9a-f]{4,}|reference already exists|incorrect old value|stale info/i;

/** Classifies `git push` output (porcelain or not); `undefined` when retrying from a new tip would not help. */
export function classifyPushRejection(output: string): PushRejection | undefined {
  const status = STATUS.exec(output);
  if (status) {
    const reason = status[2] ?? '';
    if (status[1] === 'rejected') {
      if (/fetch first/i.test(reason)) return 'fetch-first';
      if (/non-fast-forward/i.test(reason)) return 'non-fast-forward';
      return /stale info/i.test(reason) ? 'stale-ref' : undefined;
    }
    // "[remote rejected]": only a failed ref update is the branch moving; a hook or protection declining is not.
    if (!/failed to (update ref|lock)|cannot lock ref|incorrect old value|reference already exists/i.test(reason)) return undefined;
  }
  if (LOCKED.test(output)) return 'ref-locked';
  if (STALE.test(output)) return 'stale-ref';
  if (/fetch first|remote contains work that you do not have/i.test(output)) return 'fetch-first';
  if (/non-fast-forward|Updates were rejected because/i.test(output)) return 'non-fast-forward';
  if (/cannot lock ref/i.test(output)) return 'ref-locked';
  if (/failed to update ref/i.test(output)) return 'ref-update-failed';
  return undefined;
}

export function isRetryablePushRejection(stderr: string): boolean {
  return classifyPushRejection(stderr) !== undefined;
}

const SUMMARY: Readonly<Record<PushRejection, string>> = {
  'fetch-first': 'the branch moved',
  'non-fast-forward': 'the branch moved',
  'stale-ref': 'the branch moved',
  'ref-locked': 'the ref is locked on the server',
  'ref-update-failed': 'the server could not update the ref',
};

const timer = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The lines of a refused push worth showing: the ref's status and what the server said — all of it for a
 * refusal (a hook's explanation), only its errors for a retried rejection.
 */
function rejectionDetail(text: string, only: 'all' | 'errors'): string {
  const all = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const kept = all
    .filter((l) => /\[(remote )?rejected\]/.test(l) || (only === 'all' ? /^remote:\s*\S/ : /^remote:\s*error:/).test(l))
    .map((l) => l.replace(/^remote:\s*/, '').replace(/\s+/g, ' '))
    .slice(0, 8);
  return (kept.length > 0 ? kept : all.slice(-3)).join(' | ');
}

function checkOptions(options: PushWithRetryOptions): void {
  const { maxAttempts, baseDelayMs, maxDelayMs } = options;
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
    throw new RuntimeError('RUN204', `pushWithRetry: maxAttempts must be a whole number of at least 1, received ${String(maxAttempts)}`, {
      hint: 'pass 1 or more (1 means no retry), or leave it out for the default of 10',
    });
  }
  for (const [name, value] of [['baseDelayMs', baseDelayMs], ['maxDelayMs', maxDelayMs]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new RuntimeError('RUN204', `pushWithRetry: ${name} must be a number of milliseconds of at least 0, received ${String(value)}`, {
        hint: 'pass 0 or more milliseconds, or leave it out for the default (baseDelayMs 200, maxDelayMs 5000)',
      });
    }
  }
}

export async function pushWithRetry(options: PushWithRetryOptions): Promise<PushWithRetryResult> {
  checkOptions(options);
  const remote = options.remote ?? 'origin';
  const { dir, branch } = options;
  const g = { cwd: dir, auth: options.auth, identity: options.identity };
  const maxAttempts = options.maxAttempts ?? 10;
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 5000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? timer;
  const tracking = `refs/remotes/${remote}/${branch}`;
  /** Where, for messages: `"main" of https://host/repo.git` (never credentials). */
  const where = async (): Promise<string> => {
    const url = await tryGit(['remote', 'get-url', remote], { cwd: dir });
    return `"${branch}" of ${url.exitCode === 0 ? redact(url.stdout.trim()) : `remote "${remote}" in "${dir}"`}`;
  };
  let firstTip: string | undefined;
  let last: { kind: PushRejection; detail: string } | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1 || options.freshClone !== true) {
      // A '+' on a remote-tracking ref only moves our local view; it never rewrites the server.
      await runGit(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${tracking}`], g);
      await runGit(['checkout', '--quiet', '--force', '-B', branch, tracking], g);
      await runGit(['clean', '-fdq'], g);
    }
    const tip = (await runGit(['rev-parse', 'HEAD'], g)).trim();
    firstTip ??= tip;
    let result: ApplyResult;
    try {
      result = await options.apply(dir, attempt);
    } catch (error) {
      if (attempt === 1 || !isConflict(error)) throw error;
      throw await conflictError(error, { g, branch, where: await where(), firstTip, tip, attempt, maxAttempts, rejection: last });
    }
    if (result && 'message' in result) {
      await runGit(['add', '--all'], g);
      const staged = await tryGit(['diff', '--cached', '--quiet'], g);
      if (staged.exitCode === 0) return { changed: false, commit: tip, attempts: attempt };
      await runGit(['commit', '--quiet', '--no-verify', '-F', '-'], { ...g, input: result.message });
    } else if (!result) {
      return { changed: false, commit: tip, attempts: attempt };
    }
    const head = (await runGit(['rev-parse', 'HEAD'], g)).trim();
    if (head === tip) return { changed: false, commit: tip, attempts: attempt };
    // Never --force, never --force-with-lease: a push that is not a fast-forward is refused by the server.
    const push = await tryGit(['push', '--porcelain', remote, `HEAD:refs/heads/${branch}`], g);
    if (push.exitCode === 0) return { changed: true, commit: head, attempts: attempt };
    const text = `${push.stdout}\n${push.stderr}`;
    const kind = classifyPushRejection(text);
    if (kind === undefined) {
      throw new RuntimeError('RUN201', `push of ${head.slice(0, 12)} to ${await where()} was refused: ${rejectionDetail(text, 'all')}`, {
        hint: 'this is not a moved branch (which is retried); check the credentials, branch protection and server hooks',
      });
    }
    last = { kind, detail: rejectionDetail(text, 'errors') };
    if (attempt < maxAttempts) {
      const step = Math.min(cap, base * 2 ** (attempt - 1));
      const delay = step * (0.5 + 0.5 * Math.min(Math.max(random(), 0), 1));
      options.log?.(`push to "${branch}" rejected (${SUMMARY[kind]}): ${kind}; attempt ${attempt + 1}/${maxAttempts} in ${Math.round(delay)} ms`);
      await sleep(delay);
    }
  }
  const final = last ?? { kind: 'ref-update-failed' as const, detail: '' };
  throw new RuntimeError('RUN202', `push to ${await where()} still rejected after ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'} (${SUMMARY[final.kind]}: ${final.kind}); last rejection: ${final.detail}`, {
    hint:
      final.kind === 'ref-locked'
        ? `the server holds a lock on "refs/heads/${branch}"; if no push is running there, a crashed git process left "refs/heads/${branch}.lock" behind: have it removed, then re-run the step`
        : 'the branch is moving faster than this step can follow; re-run the step, or raise maxAttempts',
  });
}

/** A failure of `apply` on a new tip is a conflict with what landed, unless it is a bug in the program. */
function isConflict(error: unknown): boolean {
  return !(error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError);
}

async function conflictError(
  error: unknown,
  at: {
    g: { cwd: string };
    branch: string;
    where: string;
    firstTip: string;
    tip: string;
    attempt: number;
    maxAttempts: number;
    rejection: { kind: PushRejection } | undefined;
  },
): Promise<RuntimeError> {
  const reason = error instanceof RuntimeError ? `${error.code} ${error.message}` : error instanceof Error ? error.message : String(error);
  const changed = await tryGit(['diff', '--name-only', '-z', at.firstTip, at.tip], at.g);
  const files = changed.exitCode === 0 ? changed.stdout.split('\0').filter((f) => f !== '') : [];
  const shown = files.slice(0, 5).map((f) => `"${f}"`).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  return new RuntimeError(
    'RUN203',
    `the change to ${at.where} does not apply to its new tip ${at.tip.slice(0, 12)} (attempt ${at.attempt} of ${at.maxAttempts}, after the push was rejected${at.rejection ? `: ${at.rejection.kind}` : ''}; ` +
      `the branch moved from ${at.firstTip.slice(0, 12)}${files.length > 0 ? `, changing ${shown}` : ''}): ${redact(reason)}`,
    {
      hint: `someone changed "${at.branch}" meanwhile in a way that conflicts with this change (e.g. removed or rewrote the file it edits); nothing was pushed. Look at "git log ${at.firstTip.slice(0, 12)}..${at.tip.slice(0, 12)}", reconcile, then re-run the step`,
      cause: error,
    },
  );
}
