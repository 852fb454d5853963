/**
 * Turns a push event's `before` / `after` into the two commits to compare, handling what breaks naive
 * tools: a new branch (`before` all zeros: the merge base with the default branch), a force push (`before`
 * not an ancestor: fetched by SHA; gone → fail closed), shallow clones (deepened until the base is there, and
 * until an ancestor is seen to be one) and root commits (compared with the empty tree). A merge commit is compared tree to tree, so its changes
 * are never an empty list.
 */
import { RuntimeError } from '../runtime-error.js';
import { deepenUntil, ensureCommit, isShallow, mergeBase, resolveCommit } from '../git/repository.js';
import { tryGit } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';

export const ZERO_SHA = '0000000000000000000000000000000000000000';
/** The empty tree: what a root commit is compared with. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

export type CommitRange =
  | { readonly kind: 'diff'; readonly base: string; readonly head: string; readonly reason: string }
  /** The base cannot be found: the caller must fail closed (treat everything as code). */
  | { readonly kind: 'unknown-base'; readonly head: string; readonly reason: string };

export interface ResolveRangeOptions {
  readonly repo: string;
  readonly before: string;
  readonly after: string;
  readonly defaultBranch?: string | undefined;
  readonly remote?: string;
  readonly auth?: GitAuth | undefined;
}

async function present(repo: string, ...shas: string[]): Promise<boolean[]> {
  const r = await tryGit(['cat-file', '--batch-check=%(objecttype)'], { cwd: repo, input: shas.map((s) => `${s}\n`).join('') });
  const lines = r.stdout.split('\n');
  return shas.map((_, i) => lines[i] === 'commit');
}

async function firstParentBase(repo: string, head: string, why: string, fetchOpts: { readonly remote: string; readonly auth: GitAuth | undefined }): Promise<CommitRange> {
  const parent = await resolveCommit(repo, `${head}^1`);
  if (parent) return { kind: 'diff', base: parent, head, reason: `${why}: compared with the first parent ${parent.slice(0, 12)}` };
  if (await isShallow(repo)) {
    const ok = await deepenUntil(repo, async () => (await resolveCommit(repo, `${head}^1`)) !== undefined, { ...fetchOpts, start: 1, maxSteps: 1 });
    const p = ok ? await resolveCommit(repo, `${head}^1`) : undefined;
    if (p) return { kind: 'diff', base: p, head, reason: `${why}: compared with the first parent ${p.slice(0, 12)}` };
  }
  return { kind: 'diff', base: EMPTY_TREE, head, reason: `${why}: ${head.slice(0, 12)} is a root commit, so every file it holds is new` };
}

export async function resolveCommitRange(options: ResolveRangeOptions): Promise<CommitRange> {
  const { repo, before, after } = options;
  const remote = options.remote ?? 'origin';
  const fetchOpts = { remote, auth: options.auth };
  // The usual case (both commits here, before an ancestor) costs two git processes, run side by side.
  const normal = before !== ZERO_SHA && before !== after;
  const [[afterHere, beforeHere], earlyAncestor] = await Promise.all([
    present(repo, after, before === ZERO_SHA ? after : before),
    normal ? tryGit(['merge-base', '--is-ancestor', before, after], { cwd: repo }) : Promise.resolve(undefined),
  ]);
  if (!afterHere && !(await ensureCommit(repo, after, fetchOpts))) {
    throw new RuntimeError('RUN810', `commit "after" ${after} is not in the checkout "${repo}" and could not be fetched`, {
      hint: 'check out the pushed commit before detect-changes runs',
    });
  }
  if (before === after) return { kind: 'diff', base: after, head: after, reason: 'before and after are the same commit: nothing changed' };

  if (before === ZERO_SHA) {
    const branch = options.defaultBranch;
    if (branch === undefined) return firstParentBase(repo, after, 'new branch and no default branch given', fetchOpts);
    let ref = (await resolveCommit(repo, `refs/remotes/${remote}/${branch}`)) ?? (await resolveCommit(repo, `refs/heads/${branch}`));
    if (ref === undefined) {
      await tryGit(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`], { cwd: repo, auth: options.auth });
      ref = await resolveCommit(repo, `refs/remotes/${remote}/${branch}`);
    }
    if (ref === undefined) return firstParentBase(repo, after, `new branch, and the default branch "${branch}" was not found`, fetchOpts);
    const target = ref;
    let base = await mergeBase(repo, target, after);
    if (base === undefined && (await isShallow(repo))) {
      await deepenUntil(repo, async () => (base = await mergeBase(repo, target, after)) !== undefined, fetchOpts);
    }
    if (base === undefined) {
      return { kind: 'unknown-base', head: after, reason: `new branch with no common history with "${branch}": cannot tell what changed, so it is treated as code` };
    }
    if (base === after) return firstParentBase(repo, after, `new branch at a commit of "${branch}"`, fetchOpts);
    return { kind: 'diff', base, head: after, reason: `new branch: compared with its merge base with "${branch}" (${base.slice(0, 12)})` };
  }

  let have = beforeHere === true;
  if (!have && (await isShallow(repo))) {
    // Most likely a recent ancestor the shallow clone cut off: deepen a few times (10, 20, 40, 80, 160
    // commits) before fetching it by SHA, which would bring the whole of its history.
    have = await deepenUntil(repo, async () => (await resolveCommit(repo, before)) !== undefined, { ...fetchOpts, start: 10, maxSteps: 5, complete: false });
  }
  if (!have) have = await ensureCommit(repo, before, fetchOpts);
  if (!have) {
    return {
      kind: 'unknown-base',
      head: after,
      reason: `"before" ${before} is gone (a force push rewrote it and the server no longer has it): cannot tell what changed, so it is treated as code`,
    };
  }
  const answer =
    beforeHere === true && afterHere === true && earlyAncestor !== undefined && earlyAncestor.exitCode <= 1
      ? earlyAncestor.exitCode
      : (await tryGit(['merge-base', '--is-ancestor', before, after], { cwd: repo })).exitCode;
  return { kind: 'diff', base: before, head: after, reason: await pushReason(options, answer) };
}

/**
 * Why `before..after` is compared as it is, given git's first answer to `merge-base --is-ancestor before
 * after` (0 yes, 1 no): a push, or a force push (the old tip is not an ancestor; the two trees are compared
 * all the same). In a shallow clone a "no" may only mean that the history between them is cut off, so
 * the clone is deepened until the answer is yes or the clone is complete.
 */
export async function pushReason(options: ResolveRangeOptions, firstAnswer: number): Promise<string> {
  const { repo, before, after } = options;
  let ancestor = firstAnswer === 0;
  let deepened = false;
  if (!ancestor && (await isShallow(repo))) {
    deepened = true;
    ancestor = await deepenUntil(repo, async () => (await tryGit(['merge-base', '--is-ancestor', before, after], { cwd: repo })).exitCode === 0, {
      remote: options.remote ?? 'origin',
      auth: options.auth,
      start: 10,
    });
  }
  const shallow = deepened ? ' (the shallow clone was deepened to tell)' : '';
  return ancestor
    ? `push: compared ${before.slice(0, 12)}..${after.slice(0, 12)}${shallow}`
    : `force push: ${before.slice(0, 12)} is not an ancestor of ${after.slice(0, 12)}${shallow}; compared the two trees`;
}
