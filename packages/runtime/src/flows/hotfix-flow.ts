/**
 * The hotfix flow, after a `hotfix/*` pull request is merged into the production branch:
 *
 * 1. deploy the hotfix image to staging (update-manifests);
 * 2. back-merge the production branch into every open release branch, oldest version first (`releases:
 *    'all-open'`, the default: each of them ships later and must not lose the fix), or into the newest only
 *    (`releases: 'newest'`);
 * 3. back-merge the production branch into `dev`;
 * 4. clean staging up: restore it to the image of that release (see {@link cleanupStaging}).
 *
 * Each step is idempotent, so re-running the whole flow after a failure finishes what is left and
 * duplicates nothing. A back-merge that conflicts (or hits a protected branch) becomes a pull request and the
 * flow goes on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { DEFAULT_BRANCH_POLICY } from '@argots/contract';
import type { BranchPolicy } from '@argots/contract';
import type { GitIdentity } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import { updateManifests } from '../manifests/update-manifests.js';
import type { UpdateManifestsResult } from '../manifests/update-manifests.js';
import { backMerge } from './back-merge.js';
import type { BackMergeResult } from './back-merge.js';
import { cleanupStaging } from './cleanup-staging.js';
import type { CleanupStagingResult } from './cleanup-staging.js';
import { listReleaseBranches } from './release-branches.js';
import type { ReleaseBranch } from './release-branches.js';

export interface HotfixFlowOptions {
  /** The application repository, `owner/name`. */
  readonly repository: string;
  readonly appUrl: string;
  readonly gitopsUrl: string;
  readonly gitopsBranch?: string;
  readonly service: string;
  /** The hotfix image, by digest. */
  readonly image: string;
  /** The production-branch commit the image was built from. */
  readonly sourceCommit?: string;
  readonly layoutFile?: string;
  readonly policy?: BranchPolicy;
  readonly labels?: readonly string[];
  /** Which open release branches get the hotfix: every one (default) or the newest only. */
  readonly releases?: 'all-open' | 'newest';
  readonly octokit: Octokit;
  readonly auth?: GitAuth | undefined;
  readonly identity?: GitIdentity | undefined;
  readonly log?: (message: string) => void;
}

export interface HotfixFlowResult {
  readonly deploy: UpdateManifestsResult;
  /** The newest open release at the time of the flow (absent when none is open). */
  readonly release?: ReleaseBranch;
  /** The back-merge into the newest open release. */
  readonly intoRelease?: BackMergeResult;
  /** Every release that got the hotfix, oldest version first, with its back-merge. */
  readonly intoReleases: readonly { readonly release: ReleaseBranch; readonly result: BackMergeResult }[];
  readonly intoDev: BackMergeResult;
  readonly cleanup: CleanupStagingResult;
}

export async function runHotfixFlow(options: HotfixFlowOptions): Promise<HotfixFlowResult> {
  const policy = options.policy ?? DEFAULT_BRANCH_POLICY;
  const common = {
    auth: options.auth,
    identity: options.identity,
    ...(options.log ? { log: options.log } : {}),
  };
  const deploy = await updateManifests({
    gitopsUrl: options.gitopsUrl,
    branch: options.gitopsBranch ?? 'main',
    updates: [{ service: options.service, env: policy.environments.staging, image: options.image }],
    sourceCommit: options.sourceCommit,
    layoutFile: options.layoutFile,
    ...common,
  });
  const scratch = await mkdtemp(join(tmpdir(), 'argots-hotfix-'));
  let open: ReleaseBranch[];
  try {
    open = (await listReleaseBranches(scratch, options.appUrl, { auth: options.auth, policy })).filter((r) => r.open);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const release = open[0];
  const targets = options.releases === 'newest' ? open.slice(0, 1) : [...open].reverse();
  const merge = (target: string): Promise<BackMergeResult> =>
    backMerge({
      repository: options.repository,
      cloneUrl: options.appUrl,
      source: policy.branches.master,
      target,
      octokit: options.octokit,
      ...(options.labels ? { labels: options.labels } : {}),
      ...common,
    });
  const intoReleases: { release: ReleaseBranch; result: BackMergeResult }[] = [];
  for (const target of targets) intoReleases.push({ release: target, result: await merge(target.branch) });
  const intoRelease = intoReleases.find((r) => r.release.branch === release?.branch)?.result;
  if (!release) options.log?.(`no open "${policy.branches.release}" branch: nothing to back-merge the hotfix into but "${policy.branches.dev}"`);
  const intoDev = await merge(policy.branches.dev);
  const cleanup = await cleanupStaging({
    appUrl: options.appUrl,
    gitopsUrl: options.gitopsUrl,
    ...(options.gitopsBranch ? { gitopsBranch: options.gitopsBranch } : {}),
    service: options.service,
    policy,
    ...(options.layoutFile ? { layoutFile: options.layoutFile } : {}),
    ...common,
  });
  return { deploy, ...(release ? { release } : {}), ...(intoRelease ? { intoRelease } : {}), intoReleases, intoDev, cleanup };
}
