/**
 * Staging clean-up after a hotfix. A hotfix is deployed to staging to be verified there, which displaces
 * the release candidate staging was running. Clean-up puts the release candidate back:
 *
 * 1. the newest open release branch of the application repository is found (semantic-version order of the
 *    names matching the policy's release pattern; "open" = its tip is not contained in the production branch);
 * 2. the GitOps history of the branch is searched, newest first, for deployment commits of this service to
 *    the staging environment (the `Service:` / `Environment:` / `Image:` / `Source-Commit:` trailers that
 *    update-manifests writes); the first whose source commit is contained in that release branch and NOT in
 *    the production branch, nor in an older open release branch, is the release's image (a hotfix's source
 *    commit is on the production branch, so the hotfix deployment itself never qualifies, even after it was
 *    back-merged into the release; with two releases open, an image of the older one never stands in for the
 *    newer one's, though the newer release may contain its commits);
 * 3. that image is set for the service in staging (the layout file says where), committed with the same
 *    trailers (so a later clean-up finds it again) and pushed, re-applied if the branch moved. Nothing else
 *    in the GitOps repository is touched; when staging already runs that image nothing is committed.
 *
 * No open release: nothing to restore (staging keeps the hotfix). An open release never deployed to
 * staging: an error naming it, since staging cannot be restored to an image that does not exist.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BRANCH_POLICY } from '@argots/contract';
import type { BranchPolicy } from '@argots/contract';
import { cloneRepository, isAncestor, resolveCommit } from '../git/repository.js';
import { runGit } from '../git/run-git.js';
import type { GitIdentity } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import { REPLACED_DIGEST_TRAILER, updateManifests } from '../manifests/update-manifests.js';
import { RuntimeError } from '../runtime-error.js';
import { listReleaseBranches } from './release-branches.js';
import type { ReleaseBranch } from './release-branches.js';

export interface CleanupStagingOptions {
  /** Clone URL of the application repository. */
  readonly appUrl: string;
  /** Clone URL of the GitOps repository. */
  readonly gitopsUrl: string;
  /** Branch of the GitOps repository (default `main`). */
  readonly gitopsBranch?: string;
  readonly service: string;
  /** The staging environment (default: the policy's). */
  readonly environment?: string;
  readonly layoutFile?: string;
  readonly policy?: BranchPolicy;
  readonly auth?: GitAuth | undefined;
  readonly identity?: GitIdentity | undefined;
  readonly log?: (message: string) => void;
}

export interface CleanupStagingResult {
  /** The release staging was restored to; absent when no release is open. */
  readonly release?: ReleaseBranch;
  /** The image staging runs now (absent when no release is open). */
  readonly image?: string;
  /** The GitOps commit that deployed the release's image originally. */
  readonly deployment?: string;
  readonly changed: boolean;
  /** The GitOps branch tip after clean-up. */
  readonly commit?: string;
  readonly files: readonly string[];
  readonly reason: string;
}

export interface DeploymentRecord {
  readonly commit: string;
  readonly service: string;
  readonly environment: string;
  readonly image: string;
  readonly sourceCommit?: string;
  /** The digest the promotion moved the registry tag away from (trailer `Argots-Replaced-Digest`). */
  readonly replacedDigest?: string;
}

/** The deployment trailer blocks of one commit message (as update-manifests writes them). */
export function parseDeploymentTrailers(commit: string, message: string): DeploymentRecord[] {
  const out: DeploymentRecord[] = [];
  for (const block of message.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z-]+): (.+)$/.exec(line.trim());
      if (m?.[1] && m[2]) fields.set(m[1], m[2].trim());
    }
    const service = fields.get('Service');
    const environment = fields.get('Environment');
    const image = fields.get('Image');
    if (!service || !environment || !image) continue;
    const sourceCommit = fields.get('Source-Commit');
    const replacedDigest = fields.get(REPLACED_DIGEST_TRAILER);
    out.push({ commit, service, environment, image, ...(sourceCommit ? { sourceCommit } : {}), ...(replacedDigest ? { replacedDigest } : {}) });
  }
  return out;
}

async function deploymentHistory(dir: string, branch: string, service: string, environment: string): Promise<DeploymentRecord[]> {
  const log = await runGit(
    ['log', '--format=%H%x1f%B%x1e', '-F', '--all-match', '--grep', `Service: ${service}`, '--grep', `Environment: ${environment}`, `refs/remotes/origin/${branch}`, '--'],
    { cwd: dir },
  );
  return log
    .split('\x1e')
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.includes('\x1f'))
    .flatMap((r) => {
      const [commit = '', message = ''] = r.split('\x1f');
      return parseDeploymentTrailers(commit, message).filter((d) => d.service === service && d.environment === environment);
    });
}

export async function cleanupStaging(options: CleanupStagingOptions): Promise<CleanupStagingResult> {
  const policy = options.policy ?? DEFAULT_BRANCH_POLICY;
  const environment = options.environment ?? policy.environments.staging;
  const gitopsBranch = options.gitopsBranch ?? 'main';
  const work = await mkdtemp(join(tmpdir(), 'argots-cleanup-'));
  try {
    const app = join(work, 'app');
    const open = (await listReleaseBranches(app, options.appUrl, { auth: options.auth, policy })).filter((r) => r.open);
    const release = open[0];
    // Older open releases: a deployment built from one of them is that release's image, not this one's, even
    // when its commits reached this release too (cut after a back-merge into dev).
    const older = open.slice(1);
    if (!release) {
      const reason = `no open "${policy.branches.release}" branch: nothing to restore, staging keeps its current image`;
      options.log?.(reason);
      return { changed: false, files: [], reason };
    }
    const master = await resolveCommit(app, `refs/remotes/origin/${policy.branches.master}`);
    const gitops = join(work, 'gitops');
    await cloneRepository({ url: options.gitopsUrl, dir: gitops, branch: gitopsBranch, auth: options.auth, cwd: work });
    let found: DeploymentRecord | undefined;
    for (const deployment of await deploymentHistory(gitops, gitopsBranch, options.service, environment)) {
      const source = deployment.sourceCommit;
      if (!source || (await resolveCommit(app, source)) === undefined) continue;
      if (!(await isAncestor(app, source, release.commit))) continue;
      if (master !== undefined && (await isAncestor(app, source, master))) continue;
      let ofOlder: string | undefined;
      for (const other of older) if (await isAncestor(app, source, other.commit)) ofOlder = other.branch;
      if (ofOlder) {
        options.log?.(`skipping ${deployment.image} (deployed by ${deployment.commit.slice(0, 12)}): built from "${ofOlder}", not "${release.branch}"`);
        continue;
      }
      found = deployment;
      break;
    }
    if (!found) {
      throw new RuntimeError('RUN360', `cleanup-staging: no deployment of service "${options.service}" to "${environment}" built from "${release.branch}" found in the history of "${gitopsBranch}"`, {
        hint: `staging can only be restored to an image that was deployed there; run the staging promotion of "${release.branch}" instead`,
      });
    }
    options.log?.(`restoring "${options.service}" in "${environment}" to the image of "${release.branch}": ${found.image} (deployed by ${found.commit.slice(0, 12)})`);
    const updated = await updateManifests({
      gitopsUrl: options.gitopsUrl,
      branch: gitopsBranch,
      updates: [{ service: options.service, env: environment, image: found.image }],
      sourceCommit: found.sourceCommit,
      layoutFile: options.layoutFile,
      auth: options.auth,
      identity: options.identity,
      ...(options.log ? { log: options.log } : {}),
    });
    return {
      release,
      image: found.image,
      deployment: found.commit,
      changed: updated.changed,
      commit: updated.commit,
      files: updated.files,
      reason: updated.changed
        ? `staging restored to the image of "${release.branch}"`
        : `staging already runs the image of "${release.branch}"`,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
