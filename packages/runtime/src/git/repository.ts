/**
 * Clone, fetch (including a single commit by SHA) and deepen shallow clones. Every function takes the
 * repository folder and optional {@link GitAuth}; nothing reads global state.
 */
import { runGit, tryGit } from './run-git.js';
import type { RunGitOptions } from './run-git.js';
import type { GitAuth } from './token-source.js';

export interface CloneOptions {
  readonly url: string;
  /** Folder to create. */
  readonly dir: string;
  readonly branch?: string | undefined;
  /** Shallow clone of this many commits. */
  readonly depth?: number | undefined;
  readonly auth?: GitAuth | undefined;
  /** Folder git runs in (default: the parent of `dir` is not needed; the process cwd). */
  readonly cwd?: string | undefined;
}

/** Clones `url` into `dir` (single branch when `branch` is given). */
export async function cloneRepository(options: CloneOptions): Promise<void> {
  const args = ['clone', '--quiet', '--no-tags'];
  if (options.branch !== undefined) args.push('--branch', options.branch, '--single-branch');
  if (options.depth !== undefined) args.push('--depth', String(options.depth));
  args.push('--', options.url, options.dir);
  await runGit(args, { cwd: options.cwd ?? process.cwd(), auth: options.auth });
}

/** The SHA a revision names, or `undefined` when it does not name a commit here. */
export async function resolveCommit(dir: string, rev: string): Promise<string | undefined> {
  const r = await tryGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd: dir });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** Whether the repository is a shallow clone. */
export async function isShallow(dir: string): Promise<boolean> {
  return (await runGit(['rev-parse', '--is-shallow-repository'], { cwd: dir })).trim() === 'true';
}

/** Fetches refs (`main`, `refs/heads/x:refs/remotes/origin/x`) from a remote. */
export async function fetchRefs(
  dir: string,
  refspecs: readonly string[],
  options: { remote?: string; depth?: number; deepen?: number; auth?: GitAuth | undefined } = {},
): Promise<void> {
  const args = ['fetch', '--quiet', '--no-tags'];
  if (options.depth !== undefined) args.push('--depth', String(options.depth));
  if (options.deepen !== undefined) args.push(`--deepen=${options.deepen}`);
  args.push(options.remote ?? 'origin', ...refspecs);
  await runGit(args, { cwd: dir, auth: options.auth });
}

/**
 * Makes sure a commit is present: already here, or fetched by SHA from the remote (servers allow this for
 * reachable commits; GitHub for any commit it still has). Returns false when the remote no longer has it.
 */
export async function ensureCommit(
  dir: string,
  sha: string,
  options: { remote?: string; auth?: GitAuth | undefined } = {},
): Promise<boolean> {
  if (!/^[0-9a-f]{40}$/.test(sha)) return false;
  if ((await resolveCommit(dir, sha)) !== undefined) return true;
  const r = await tryGit(['fetch', '--quiet', '--no-tags', options.remote ?? 'origin', sha], { cwd: dir, auth: options.auth });
  return r.exitCode === 0 && (await resolveCommit(dir, sha)) !== undefined;
}

/**
 * Deepens a shallow clone step by step (`start` commits, then doubling, `maxSteps` times) until `ready()`
 * holds; then, unless `complete` is false, fetches the rest of the history (`--unshallow`). Returns whether
 * `ready()` finally holds.
 */
export async function deepenUntil(
  dir: string,
  ready: () => Promise<boolean>,
  options: { remote?: string; auth?: GitAuth | undefined; start?: number; maxSteps?: number; complete?: boolean } = {},
): Promise<boolean> {
  let step = options.start ?? 50;
  for (let i = 0; i < (options.maxSteps ?? 12); i++) {
    if (await ready()) return true;
    if (!(await isShallow(dir))) return false;
    const r = await tryGit(['fetch', '--quiet', '--no-tags', `--deepen=${step}`, options.remote ?? 'origin'], { cwd: dir, auth: options.auth });
    if (r.exitCode !== 0) return false;
    step *= 2;
  }
  if (await ready()) return true;
  if (options.complete !== false && (await isShallow(dir))) {
    await tryGit(['fetch', '--quiet', '--no-tags', '--unshallow', options.remote ?? 'origin'], { cwd: dir, auth: options.auth });
  }
  return ready();
}

/** Whether `ancestor` is an ancestor of (or equal to) `descendant`. */
export async function isAncestor(dir: string, ancestor: string, descendant: string): Promise<boolean> {
  const r = await tryGit(['merge-base', '--is-ancestor', ancestor, descendant], { cwd: dir });
  return r.exitCode === 0;
}

/** `git merge-base a b`, or undefined when the histories share nothing (or are cut by a shallow clone). */
export async function mergeBase(dir: string, a: string, b: string): Promise<string | undefined> {
  const r = await tryGit(['merge-base', a, b], { cwd: dir });
  return r.exitCode === 0 ? r.stdout.trim() || undefined : undefined;
}

export type { RunGitOptions };
