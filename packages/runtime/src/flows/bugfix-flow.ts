/**
 * The bugfix flow's git part, after a `bugfix/*` pull request is merged into a release branch: the release
 * is back-merged into `dev` (a merge commit, or a pull request on conflict or protection). The fresh image
 * for staging is built and deployed by the build and update-manifests steps.
 */
import { DEFAULT_BRANCH_POLICY, matchesBranch } from '@argots/contract';
import { RuntimeError } from '../runtime-error.js';
import type { BranchPolicy } from '@argots/contract';
import { backMerge } from './back-merge.js';
import type { BackMergeOptions, BackMergeResult } from './back-merge.js';
import { shorten } from '../redact.js';

export type BugfixFlowOptions = Omit<BackMergeOptions, 'source' | 'target'> & {
  /** The release branch the bugfix was merged into. */
  readonly release: string;
  readonly policy?: BranchPolicy;
};

export async function runBugfixFlow(options: BugfixFlowOptions): Promise<BackMergeResult> {
  const { release, policy = DEFAULT_BRANCH_POLICY, ...rest } = options;
  if (!matchesBranch(policy.branches.release, release)) {
    throw new RuntimeError('RUN356', `bugfix flow: expected a release branch matching "${policy.branches.release}", received "${shorten(release)}"`, {
      hint: 'the bugfix flow back-merges the release branch a bugfix/* pull request was merged into',
    });
  }
  return backMerge({ ...rest, source: release, target: policy.branches.dev });
}
