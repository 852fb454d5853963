/**
 * Back-merge: bring a source branch (a release, `master`) into a target branch (`dev`, a release) without
 * ever losing work.
 *
 * - the source is already contained in the target → nothing to do (`up-to-date`);
 * - otherwise a merge commit (`Merge branch '<source>' into <target>`; never a squash, never `-X ours/theirs`)
 *   pushed to the target. A push rejected because the target moved is retried from the new tip (fetch, merge
 *   again, push), bounded;
 * - the merge conflicts, or the target requires pull requests (branch protection, or the push is refused as
 *   protected) → the source commit is pushed as `backmerge/<source>-into-<target>-<short sha>` and a pull
 *   request is opened listing the conflicting files, with labels. An open back-merge pull request for the
 *   same source and target is updated (its branch fast-forwarded) instead of a second one being opened, and
 *   runs racing each other (both open one before seeing the other's) close the superseded one: one open
 *   back-merge pull request per (source, target). A proposal branch another run pushes at the same moment (a
 *   ref lock) is retried or taken as it is.
 *
 * Idempotent: re-running finds the source contained (no second merge) or the pull request open (no second
 * pull request). Never force-pushes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAncestor, resolveCommit } from '../git/repository.js';
import { pushWithRetry } from '../git/push-with-retry.js';
import { runGit, tryGit } from '../git/run-git.js';
import type { GitIdentity } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import type { Octokit } from '@octokit/rest';
import { RuntimeError } from '../runtime-error.js';
import { branchProtection } from '../github/branch-protection.js';
import { ensurePullRequest } from '../github/pull-requests.js';
import type { PullRequestRef } from '../github/pull-requests.js';
import { parseRepositoryName } from '../github/repository-name.js';
import type { RepositoryName } from '../github/repository-name.js';
import { conflictingFiles } from './_internal/conflicts.js';
import { fetchBranches } from './_internal/fetch-branches.js';
import { shorten } from '../redact.js';

export interface BackMergeOptions {
  /** `owner/name` on GitHub. */
  readonly repository: string;
  /** Clone URL of the repository (HTTPS). */
  readonly cloneUrl: string;
  readonly source: string;
  readonly target: string;
  /** Labels of the pull request, if one is opened (default `back-merge`; `merge-conflict` is added on conflict). */
  readonly labels?: readonly string[];
  /** GitHub logins asked to review the pull request, when one is opened. */
  readonly reviewers?: readonly string[];
  readonly octokit: Octokit;
  readonly auth?: GitAuth | undefined;
  readonly identity?: GitIdentity | undefined;
  /** A folder to work in (a fresh temporary folder by default, removed afterwards). */
  readonly workDir?: string;
  /** Push attempts when the target keeps moving (default 10). */
  readonly maxAttempts?: number;
  readonly log?: (message: string) => void;
}

export type BackMergeOutcome = 'up-to-date' | 'merged' | 'pull-request';

export interface BackMergeResult {
  readonly result: BackMergeOutcome;
  /** The source commit that was merged (or proposed). */
  readonly sourceCommit: string;
  /** The target's tip after the command. */
  readonly commit: string;
  readonly pullRequest?: PullRequestRef & { readonly branch: string };
  /** Files that conflict when merging the source into the target (empty when it merges cleanly). */
  readonly conflicts: readonly string[];
  /** Why a pull request was opened instead of a merge. */
  readonly reason?: 'conflict' | 'protected';
  readonly attempts: number;
}

/** The branch a back-merge pull request comes from. */
export function backMergeBranch(source: string, target: string, sourceCommit: string): string {
  return `backmerge/${source}-into-${target}-${sourceCommit.slice(0, 7)}`;
}

/** The standard merge message, git's own wording. */
export function backMergeMessage(source: string, target: string, sourceCommit: string): string {
  return `Merge branch '${source}' into ${target}\n\nBack-merge of ${source} at ${sourceCommit} (argots).\n`;
}

const PROTECTED_PUSH = /protected branch|GH006|required status check|pull request review is required|changes must be made through a pull request/i;

export async function backMerge(options: BackMergeOptions): Promise<BackMergeResult> {
  const repository = parseRepositoryName(options.repository);
  const { source, target } = options;
  if (source === target) {
    throw new RuntimeError('RUN350', `back-merge: expected two different branches, received "${source}" twice`, { hint: 'pass --source and --target' });
  }
  for (const [what, name] of [['source', source], ['target', target]] as const) {
    // Untrusted (webhook) input: a valid branch name, and never something git could read as an option.
    if (name.startsWith('-') || (await tryGit(['check-ref-format', `refs/heads/${name}`], { cwd: tmpdir() })).exitCode !== 0) {
      throw new RuntimeError('RUN355', `back-merge: ${what} expected a branch name, received "${shorten(name)}"`, { hint: 'pass the branch name without refs/heads/, e.g. release/1.4' });
    }
  }
  const dir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'argots-back-merge-')));
  try {
    const g = { cwd: dir, auth: options.auth, identity: options.identity };
    await fetchBranches(dir, options.cloneUrl, [source, target], options.auth);
    const sourceCommit = await resolveCommit(dir, `refs/remotes/origin/${source}`);
    if (!sourceCommit) {
      throw new RuntimeError('RUN351', `back-merge: source branch "${source}" not found in ${options.repository}`, { hint: 'check the branch name (it is case-sensitive)' });
    }
    const targetTip = await resolveCommit(dir, `refs/remotes/origin/${target}`);
    if (!targetTip) {
      throw new RuntimeError('RUN352', `back-merge: target branch "${target}" not found in ${options.repository}`, { hint: 'check the branch name (it is case-sensitive)' });
    }
    if (await isAncestor(dir, sourceCommit, targetTip)) {
      options.log?.(`"${source}" (${sourceCommit.slice(0, 12)}) is already contained in "${target}"; nothing to do`);
      return { result: 'up-to-date', sourceCommit, commit: targetTip, conflicts: [], attempts: 0 };
    }
    const protection = await branchProtection(options.octokit, repository, target);
    if (!protection.readable) {
      options.log?.(`branch protection of "${target}" is not readable by the App (grant "Administration: read"); a protected branch will show when the push is refused`);
    }
    if (protection.requiresPullRequest) {
      options.log?.(`"${target}" requires pull requests; proposing the back-merge as one`);
      const conflicts = await conflictingFiles(dir, targetTip, sourceCommit);
      return await proposeBackMerge(options, repository, dir, sourceCommit, targetTip, conflicts, 'protected');
    }

    let conflicts: string[] = [];
    let upToDate = false;
    let pushed;
    try {
      pushed = await pushWithRetry({
        dir,
        branch: target,
        auth: options.auth,
        identity: options.identity,
        ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
        ...(options.log ? { log: options.log } : {}),
        apply: async () => {
          conflicts = [];
          upToDate = await isAncestor(dir, sourceCommit, 'HEAD');
          if (upToDate) return null;
          const merge = await tryGit(['merge', '--no-ff', '--no-edit', '-m', backMergeMessage(source, target, sourceCommit).trimEnd(), sourceCommit], g);
          if (merge.exitCode === 0) return { committed: true };
          conflicts = (await runGit(['diff', '--name-only', '--diff-filter=U', '-z'], g)).split('\0').filter((f) => f !== '');
          await tryGit(['merge', '--abort'], g);
          if (conflicts.length === 0) {
            throw new RuntimeError('RUN353', `back-merge of "${source}" into "${target}" failed: ${merge.stderr.trim().split('\n').slice(-2).join(' | ')}`, {
              hint: 'the merge failed without conflicting files; run it by hand to see why',
            });
          }
          return null;
        },
      });
    } catch (error) {
      if (error instanceof RuntimeError && error.code === 'RUN201' && PROTECTED_PUSH.test(error.message)) {
        options.log?.(`the push to "${target}" was refused as protected; proposing the back-merge as a pull request`);
        const tip = (await resolveCommit(dir, `refs/remotes/origin/${target}`)) ?? targetTip;
        return await proposeBackMerge(options, repository, dir, sourceCommit, tip, await conflictingFiles(dir, tip, sourceCommit), 'protected');
      }
      throw error;
    }
    if (pushed.changed) {
      options.log?.(`merged "${source}" (${sourceCommit.slice(0, 12)}) into "${target}": ${pushed.commit.slice(0, 12)}`);
      return { result: 'merged', sourceCommit, commit: pushed.commit, conflicts: [], attempts: pushed.attempts };
    }
    if (upToDate) return { result: 'up-to-date', sourceCommit, commit: pushed.commit, conflicts: [], attempts: pushed.attempts };
    options.log?.(`merging "${source}" into "${target}" conflicts in ${conflicts.length} file(s); proposing a pull request`);
    return await proposeBackMerge(options, repository, dir, sourceCommit, pushed.commit, conflicts, 'conflict', pushed.attempts);
  } finally {
    if (options.workDir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

function pullRequestBody(source: string, target: string, sourceCommit: string, conflicts: readonly string[], reason: 'conflict' | 'protected'): string {
  const lines = [
    `Back-merge of \`${source}\` (${sourceCommit}) into \`${target}\`, opened by argots.`,
    '',
    reason === 'protected'
      ? `\`${target}\` requires pull requests, so this back-merge could not be pushed directly.`
      : `Merging \`${source}\` into \`${target}\` conflicts; resolve the conflicts in this pull request (merge, do not squash).`,
    '',
  ];
  if (conflicts.length > 0) {
    lines.push('Conflicting files:', '', ...conflicts.map((f) => `- \`${f}\``), '');
  } else {
    lines.push('The merge is clean.', '');
  }
  return lines.join('\n');
}

async function proposeBackMerge(
  options: BackMergeOptions,
  repository: RepositoryName,
  dir: string,
  sourceCommit: string,
  targetTip: string,
  conflicts: readonly string[],
  reason: 'conflict' | 'protected',
  attempts = 0,
): Promise<BackMergeResult> {
  const { source, target } = options;
  const g = { cwd: dir, auth: options.auth, identity: options.identity };
  // An open back-merge pull request for the same source and target: move its branch forward, don't open another.
  const prefix = `backmerge/${source}-into-${target}-`;
  const { data: open } = await options.octokit.rest.pulls.list({ ...repository, state: 'open', base: target, per_page: 100 });
  const existing = open.find((pr) => pr.head.ref.startsWith(prefix) && pr.head.ref.length === prefix.length + 7);
  let branch = backMergeBranch(source, target, sourceCommit);
  if (existing) {
    await runGit(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${existing.head.ref}:refs/remotes/origin/${existing.head.ref}`], g);
    const headTip = await resolveCommit(dir, `refs/remotes/origin/${existing.head.ref}`);
    if (headTip && (await isAncestor(dir, headTip, sourceCommit))) branch = existing.head.ref;
    else if (headTip && (await isAncestor(dir, sourceCommit, headTip))) {
      // A newer run already proposed a later source commit, which holds this one.
      options.log?.(`pull request #${existing.number} (${existing.head.ref}) already holds ${sourceCommit.slice(0, 12)}; nothing to do`);
      const pr = { number: existing.number, url: existing.html_url, nodeId: existing.node_id, created: false, branch: existing.head.ref };
      return { result: 'pull-request', sourceCommit, commit: targetTip, pullRequest: await closeSuperseded(options, repository, dir, prefix, pr), conflicts, reason, attempts };
    }
  }
  // Never forced: a new branch, the same commit again (a no-op), or a fast-forward of an existing PR branch.
  await pushProposal(options, dir, sourceCommit, branch);
  const labels = [...(options.labels && options.labels.length > 0 ? options.labels : ['back-merge']), ...(conflicts.length > 0 ? ['merge-conflict'] : [])];
  const pr = await ensurePullRequest(options.octokit, repository, {
    head: branch,
    base: target,
    title: `Back-merge ${source} into ${target}`,
    body: pullRequestBody(source, target, sourceCommit, conflicts, reason),
    labels,
    ...(options.reviewers ? { reviewers: options.reviewers } : {}),
  });
  options.log?.(`${pr.created ? 'opened' : 'updated'} pull request #${pr.number} (${branch} → ${target}): ${pr.url}`);
  const kept = await closeSuperseded(options, repository, dir, prefix, { ...pr, branch });
  return { result: 'pull-request', sourceCommit, commit: targetTip, pullRequest: kept, conflicts, reason, attempts };
}

/**
 * Pushes the source commit to the proposal branch. Another run proposing the same back-merge at the same moment
 * may hold the ref's lock or have pushed it already: the push is retried, and a branch that already holds the
 * commit is taken as it is. Never forced.
 */
async function pushProposal(options: BackMergeOptions, dir: string, sourceCommit: string, branch: string): Promise<void> {
  const g = { cwd: dir, auth: options.auth, identity: options.identity };
  const ATTEMPTS = 5;
  for (let attempt = 1; ; attempt++) {
    const push = await tryGit(['push', '--porcelain', 'origin', `${sourceCommit}:refs/heads/${branch}`], g);
    if (push.exitCode === 0) return;
    const why = `${push.stdout}\n${push.stderr}`.trim().split('\n').slice(-2).join(' | ');
    const fetched = await tryGit(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`], g);
    const tip = fetched.exitCode === 0 ? await resolveCommit(dir, `refs/remotes/origin/${branch}`) : undefined;
    if (tip && (await isAncestor(dir, sourceCommit, tip))) {
      options.log?.(`"${branch}" already holds ${sourceCommit.slice(0, 12)} (another run pushed it at the same time)`);
      return;
    }
    if (tip && !(await isAncestor(dir, tip, sourceCommit))) {
      throw new RuntimeError('RUN354', `back-merge: branch "${branch}" holds commits that are not in ${sourceCommit.slice(0, 12)}, so it cannot be moved forward: ${why}`, {
        hint: `someone committed to "${branch}" by hand; merge their work into a pull request by hand, or delete the branch if it is not needed`,
      });
    }
    if (attempt >= ATTEMPTS) {
      throw new RuntimeError('RUN354', `back-merge: push of ${sourceCommit.slice(0, 12)} to "${branch}" was refused ${attempt} times: ${why}`, {
        hint: 'the git server kept refusing the push (another run updating the branch at the same time, or a server-side rule); re-run the step, and check the push rights of the App if it persists',
      });
    }
    options.log?.(`push to "${branch}" was refused (${why}); trying again`);
    await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 400)));
  }
}

/**
 * One open back-merge pull request per (source, target). Runs racing each other (two bugfixes landing close
 * together) may each open one before seeing the other's: the one whose branch holds every other's commits is
 * kept and the others are closed, their body saying which replaces them. Branches are left as they are.
 */
async function closeSuperseded(
  options: BackMergeOptions,
  repository: RepositoryName,
  dir: string,
  prefix: string,
  mine: PullRequestRef & { readonly branch: string },
): Promise<PullRequestRef & { readonly branch: string }> {
  const g = { cwd: dir, auth: options.auth, identity: options.identity };
  const { data: open } = await options.octokit.rest.pulls.list({ ...repository, state: 'open', base: options.target, per_page: 100 });
  const ours = open.filter((pr) => pr.head.ref.startsWith(prefix) && pr.head.ref.length === prefix.length + 7);
  if (ours.length <= 1) return mine;
  const tips = new Map<number, string>();
  for (const pr of ours) {
    const fetched = await tryGit(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${pr.head.ref}:refs/remotes/origin/${pr.head.ref}`], g);
    const tip = fetched.exitCode === 0 ? await resolveCommit(dir, `refs/remotes/origin/${pr.head.ref}`) : undefined;
    if (tip) tips.set(pr.number, tip);
  }
  // Of branches holding every other's commits (equal ones, if several), the oldest pull request is kept.
  let keep: (typeof ours)[number] | undefined;
  for (const candidate of [...ours].sort((a, b) => a.number - b.number)) {
    const tip = tips.get(candidate.number);
    if (!tip) continue;
    let holdsAll = true;
    for (const other of ours) {
      const otherTip = tips.get(other.number);
      if (other.number !== candidate.number && (!otherTip || !(await isAncestor(dir, otherTip, tip)))) holdsAll = false;
    }
    if (holdsAll) {
      keep = candidate;
      break;
    }
  }
  if (!keep) {
    options.log?.(`${ours.length} back-merge pull requests of "${options.source}" into "${options.target}" are open and none holds the others' commits; leaving them open`);
    return mine;
  }
  for (const pr of ours) {
    if (pr.number === keep.number) continue;
    await options.octokit.rest.pulls.update({
      ...repository,
      pull_number: pr.number,
      state: 'closed',
      body: `${pr.body ?? ''}\n\nSuperseded by #${keep.number} (\`${keep.head.ref}\`), which holds these commits too; closed by argots.\n`,
    });
    options.log?.(`closed pull request #${pr.number} (${pr.head.ref}): superseded by #${keep.number}`);
  }
  return keep.number === mine.number ? mine : { number: keep.number, url: keep.html_url, nodeId: keep.node_id, created: false, branch: keep.head.ref };
}
