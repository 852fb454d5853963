/**
 * Commit and push to a branch that others push to at the same time, without ever force-pushing.
 *
 * Each attempt: fetch the branch, reset the local branch to the remote tip, run `apply` (which edits the
 * working tree, or makes its own commit), commit, push. When the push is rejected because the remote moved
 * (non-fast-forward, "fetch first", a ref lock, a stale ref) the attempt is thrown away and the next one
 * starts from the new tip after a jittered, growing delay. Anything else — `apply` failing, an
 * authentication error, a hook refusing the push — fails at once with the reason.
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
import { runGit, tryGit } from './run-git.js';
import type { GitIdentity } from './run-git.js';
import type { GitAuth } from './token-source.js';

/** What `apply` did: a message to commit the working-tree changes with, its own commit, or nothing. */
export type ApplyResult = { readonly message: string } | { readonly committed: true } | null | undefined;

export interface PushWithRetryOptions {
  /** A clone of the repository (its `remote` points at the server). */
  readonly dir: string;
  readonly branch: string;
  /** Changes the working tree (starting from the current remote tip). Called again on every attempt. */
  readonly apply: (dir: string, attempt: number) => Promise<ApplyResult>;
  readonly remote?: string;
  readonly auth?: GitAuth | undefined;
  readonly identity?: GitIdentity | undefined;
  /** Attempts in all (default 10). */
  readonly maxAttempts?: number;
  /** First delay; doubles each attempt, with ±50 % jitter, capped at `maxDelayMs` (defaults 200 / 5000 ms). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
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

/** Rejections that mean "the remote moved under us; start again from the new tip". */
const RETRYABLE = [
  /\[rejected\].*\((non-fast-forward|fetch first|stale info)\)/i,
  /\[remote rejected\].*(lock|failed to update ref|incorrect old value|cannot lock|reference already exists)/i,
  /cannot lock ref/i,
  /failed to update ref/i,
  /Updates were rejected because/i,
  /stale info/i,
];

export function isRetryablePushRejection(stderr: string): boolean {
  return RETRYABLE.some((re) => re.test(stderr));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function pushWithRetry(options: PushWithRetryOptions): Promise<PushWithRetryResult> {
  const remote = options.remote ?? 'origin';
  const { dir, branch } = options;
  const g = { cwd: dir, auth: options.auth, identity: options.identity };
  const maxAttempts = options.maxAttempts ?? 10;
  const base = options.baseDelayMs ?? 200;
  const cap = options.maxDelayMs ?? 5000;
  const tracking = `refs/remotes/${remote}/${branch}`;
  let lastRejection = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1 || options.freshClone !== true) {
      // A '+' on a remote-tracking ref only moves our local view; it never rewrites the server.
      await runGit(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${tracking}`], g);
      await runGit(['checkout', '--quiet', '--force', '-B', branch, tracking], g);
      await runGit(['clean', '-fdq'], g);
    }
    const tip = (await runGit(['rev-parse', 'HEAD'], g)).trim();
    const result = await options.apply(dir, attempt);
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
    const push = await tryGit(['push', '--porcelain', remote, `HEAD:refs/heads/${branch}`], g);
    if (push.exitCode === 0) return { changed: true, commit: head, attempts: attempt };
    const text = `${push.stdout}\n${push.stderr}`;
    if (!isRetryablePushRejection(text)) {
      throw new RuntimeError('RUN201', `push of ${head.slice(0, 12)} to "${branch}" was refused: ${text.trim().split('\n').slice(-3).join(' | ')}`, {
        hint: 'this is not a moved branch (which is retried); check the credentials, branch protection and server hooks',
      });
    }
    lastRejection = text.trim().split('\n').filter((l) => l.includes('rejected')).join(' | ') || text.trim();
    if (attempt < maxAttempts) {
      const delay = Math.min(cap, base * 2 ** (attempt - 1)) * (0.5 + Math.random());
      options.log?.(`push to "${branch}" rejected (the branch moved); attempt ${attempt + 1}/${maxAttempts} in ${Math.round(delay)} ms`);
      await sleep(delay);
    }
  }
  throw new RuntimeError('RUN202', `push to "${branch}" still rejected after ${maxAttempts} attempts: ${lastRejection}`, {
    hint: 'the branch is moving faster than this step can follow; re-run the step, or raise maxAttempts',
  });
}
