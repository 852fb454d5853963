/**
 * Release branches in semantic-version order, and which one is the newest still open (not yet merged
 * into the production branch).
 */
import semver from 'semver';
import { DEFAULT_BRANCH_POLICY, matchesBranch } from '@argots/contract';
import type { BranchPolicy } from '@argots/contract';
import { isAncestor, resolveCommit } from '../git/repository.js';
import type { GitAuth } from '../git/token-source.js';
import { fetchBranches } from './_internal/fetch-branches.js';

export interface ReleaseBranch {
  readonly branch: string;
  /** The version read from the name (`release/1.4` → `1.4.0`). */
  readonly version: string;
  readonly commit: string;
  /** False when its tip is already contained in the production branch (the release shipped). */
  readonly open: boolean;
}

/** `release/1.4` → `1.4.0`, `release/v2.0.0-rc.1` → `2.0.0-rc.1`; `undefined` when the name holds no version. */
export function releaseVersion(branch: string, pattern: string = DEFAULT_BRANCH_POLICY.branches.release): string | undefined {
  const star = pattern.indexOf('*');
  const rest = star === -1 ? branch : branch.slice(star);
  const exact = semver.valid(semver.clean(rest.replace(/^v/, ''), { loose: true }) ?? '');
  if (exact) return exact;
  return semver.coerce(rest)?.version;
}

/**
 * Lists the release branches of the repository checked out in `dir` (whose `origin` is `url`), newest
 * version first, fetching them and the production branch.
 */
export async function listReleaseBranches(
  dir: string,
  url: string,
  options: { readonly auth?: GitAuth | undefined; readonly policy?: BranchPolicy } = {},
): Promise<ReleaseBranch[]> {
  const policy = options.policy ?? DEFAULT_BRANCH_POLICY;
  const isRelease = (b: string): boolean => matchesBranch(policy.branches.release, b);
  const names = (await fetchBranches(dir, url, (remote) => [policy.branches.master, ...remote.filter(isRelease)], options.auth)).filter(isRelease);
  const master = await resolveCommit(dir, `refs/remotes/origin/${policy.branches.master}`);
  const out: ReleaseBranch[] = [];
  for (const branch of names) {
    const version = releaseVersion(branch, policy.branches.release);
    const commit = await resolveCommit(dir, `refs/remotes/origin/${branch}`);
    if (version === undefined || commit === undefined) continue;
    const open = master === undefined || !(await isAncestor(dir, commit, master));
    out.push({ branch, version, commit, open });
  }
  return out.sort((a, b) => semver.rcompare(a.version, b.version) || a.branch.localeCompare(b.branch));
}

/** The newest open release branch, or `undefined` when every release has shipped. */
export async function newestOpenRelease(
  dir: string,
  url: string,
  options: { readonly auth?: GitAuth | undefined; readonly policy?: BranchPolicy } = {},
): Promise<ReleaseBranch | undefined> {
  return (await listReleaseBranches(dir, url, options)).find((r) => r.open);
}
