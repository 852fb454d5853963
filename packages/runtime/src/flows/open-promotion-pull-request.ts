/**
 * The production gate: instead of pushing a production manifest change, propose it as a pull request in the
 * GitOps repository, from a branch `promote/<service>-<sha>` (the source commit's short SHA, or the image
 * digest's when no source commit is given), optionally with auto-merge once required checks pass.
 *
 * With `configFrom` (the application checkout), the same branch also carries the release's configuration:
 * every file under the service's `config` mappings, copied as `copy-config --all` copies it, in a commit of its
 * own. The pull request is opened once both are on the branch, so it never shows the image without its
 * configuration. When the environment already runs the image but its configuration differs, the pull request
 * carries the configuration only (and says so).
 *
 * Idempotent: the branch is created once (a re-run finds the change already on it and pushes nothing, or
 * fast-forwards it); an open pull request from it is updated, never duplicated. When the environment
 * already runs the image and its configuration (or no `configFrom` is given), nothing is proposed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { resolveCommit } from '../git/repository.js';
import { runGit, tryGit } from '../git/run-git.js';
import type { GitIdentity } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import { applyConfigCopy, prepareConfigCopy } from '../manifests/copy-config.js';
import { recordPath } from '../manifests/config-record.js';
import { parseDigestRef } from '../manifests/image-ref.js';
import { DEFAULT_LAYOUT_FILE, loadLayout } from '../manifests/layout.js';
import { setImagesInRepository } from '../manifests/set-image-in-repository.js';
import { setImagesVerified } from '../manifests/set-images-verified.js';
import { deployCommitMessage } from '../manifests/update-manifests.js';
import { RuntimeError } from '../runtime-error.js';
import { enableAutoMerge, ensurePullRequest } from '../github/pull-requests.js';
import type { PullRequestRef } from '../github/pull-requests.js';
import { parseRepositoryName } from '../github/repository-name.js';
import { fetchBranches } from './_internal/fetch-branches.js';
import { shorten } from '../redact.js';

export interface PromotionPullRequestOptions {
  /** The GitOps repository, `owner/name`. */
  readonly repository: string;
  readonly cloneUrl: string;
  /** Branch the pull request targets (default `main`). */
  readonly base?: string;
  readonly service: string;
  readonly env: string;
  /** `repo:tag@sha256:…` */
  readonly image: string;
  /** Commit of the application repository the image was built from. */
  readonly sourceCommit?: string | undefined;
  readonly autoMerge?: boolean;
  /**
   * The application checkout whose configuration (every file under the service's `config` mappings for
   * `env`) the branch carries too, in a commit of its own.
   */
  readonly configFrom?: string | undefined;
  readonly layoutFile?: string | undefined;
  readonly labels?: readonly string[];
  readonly reviewers?: readonly string[];
  readonly octokit: Octokit;
  readonly auth?: GitAuth | undefined;
  readonly identity?: GitIdentity | undefined;
  readonly log?: (message: string) => void;
}

export interface PromotionPullRequestResult {
  /** False when the environment already runs the image and the configuration: no branch, no pull request. */
  readonly changed: boolean;
  /** False when the environment already runs the image (the pull request, if any, carries configuration only). */
  readonly imageChanged: boolean;
  readonly branch: string;
  readonly pullRequest?: PullRequestRef;
  /** GitOps files the pull request changes: the image's, then the configuration's. */
  readonly files: readonly string[];
  /** GitOps configuration files written or removed on the branch (with `configFrom`). */
  readonly configFiles: readonly string[];
  readonly autoMerge: boolean;
}

/** `promote/<service>-<sha>`. */
export function promotionBranch(service: string, image: string, sourceCommit?: string): string {
  const sha = sourceCommit ?? parseDigestRef(image).digest.slice('sha256:'.length);
  return `promote/${service}-${sha.slice(0, 12)}`;
}

export async function openPromotionPullRequest(options: PromotionPullRequestOptions): Promise<PromotionPullRequestResult> {
  const repository = parseRepositoryName(options.repository);
  parseDigestRef(options.image, `image of service "${options.service}"`);
  if (options.sourceCommit !== undefined && !/^[0-9a-f]{7,64}$/.test(options.sourceCommit)) {
    throw new RuntimeError('RUN370', `source commit must be a commit SHA (7 to 64 hex digits), received "${shorten(options.sourceCommit)}"`, {
      hint: 'pass the application commit the image was built from',
    });
  }
  const base = options.base ?? 'main';
  const branch = promotionBranch(options.service, options.image, options.sourceCommit);
  const layoutFile = options.layoutFile ?? DEFAULT_LAYOUT_FILE;
  const dir = await mkdtemp(join(tmpdir(), 'argots-promotion-'));
  const g = { cwd: dir, auth: options.auth, identity: options.identity };
  try {
    await fetchBranches(dir, options.cloneUrl, [base, branch], options.auth);
    const baseTip = await resolveCommit(dir, `refs/remotes/origin/${base}`);
    if (!baseTip) throw new RuntimeError('RUN371', `branch "${base}" not found in the GitOps repository ${options.repository}`, { hint: 'pass --base' });
    // Does the base already run the image? Then the image is not proposed (the configuration may be).
    await runGit(['checkout', '--quiet', '--force', '-B', base, baseTip], g);
    const update = [{ service: options.service, env: options.env, image: options.image }];
    const onBase = setImagesInRepository(dir, loadLayout(dir, layoutFile), update).files;
    const imageChanged = onBase.length > 0;
    if (!imageChanged) options.log?.(`"${options.service}" in "${options.env}" already runs ${options.image} on "${base}"`);
    if (!imageChanged && options.configFrom === undefined) {
      options.log?.('no pull request needed');
      return { changed: false, imageChanged, branch, files: [], configFiles: [], autoMerge: false };
    }
    await runGit(['checkout', '--quiet', '--force', base], g);
    // Build the change on the promotion branch: its existing tip (a re-run), or the base.
    const existing = await resolveCommit(dir, `refs/remotes/origin/${branch}`);
    const start = existing ?? baseTip;
    await runGit(['checkout', '--quiet', '--force', '-B', branch, start], g);
    if (imageChanged) {
      // What the pull request proposes is rendered first (kubectl kustomize / helm template), as update-manifests
      // does: production must run exactly the promoted image once it is merged, or nothing is proposed.
      const files = (await setImagesVerified(dir, loadLayout(dir, layoutFile), update, { gitopsUrl: options.cloneUrl, ...(options.log ? { log: options.log } : {}) })).files;
      if (files.length > 0) {
        await runGit(['add', '--all', '--', ...files], g);
        await runGit(['commit', '--quiet', '--no-verify', '-F', '-'], { ...g, input: deployCommitMessage(update, options.sourceCommit) });
      }
    }
    let configFiles: readonly string[] = [];
    if (options.configFrom !== undefined) {
      const copy = prepareConfigCopy(dir, { repo: options.configFrom, service: options.service, env: options.env, files: [], all: true, sourceCommit: options.sourceCommit, layoutFile });
      const applied = applyConfigCopy(dir, copy, options.log);
      if (applied.message !== null) {
        configFiles = [...applied.touched].sort();
        await runGit(['add', '--all', '--', ...configFiles, recordPath(options.service, options.env)], g);
        await runGit(['commit', '--quiet', '--no-verify', '-F', '-'], { ...g, input: applied.message });
      }
    }
    const tip = await resolveCommit(dir, 'HEAD');
    if (tip !== start) {
      const push = await tryGit(['push', '--porcelain', 'origin', `HEAD:refs/heads/${branch}`], g);
      if (push.exitCode !== 0) {
        throw new RuntimeError('RUN372', `push of the promotion branch "${branch}" was refused: ${`${push.stdout}\n${push.stderr}`.trim().split('\n').slice(-2).join(' | ')}`, {
          hint: 'someone else pushed to the promotion branch; re-run the step',
        });
      }
    } else if (existing) {
      options.log?.(`"${branch}" already holds the change`);
    }
    // Nothing on the branch that the base does not have (the image runs, the configuration is the same, or an
    // earlier branch was merged): nothing to propose.
    const ahead = (await runGit(['rev-list', '--count', `${baseTip}..HEAD`], g)).trim();
    if (ahead === '0') {
      options.log?.(`"${options.env}" already runs ${options.image} with this configuration; no pull request needed`);
      return { changed: false, imageChanged, branch, files: [], configFiles: [], autoMerge: false };
    }
    const changedFiles = (await runGit(['diff', '--name-only', `${baseTip}...HEAD`], g)).split('\n').filter((f) => f !== '');
    const proposedConfig = changedFiles.filter((f) => !onBase.includes(f));
    const digest = parseDigestRef(options.image).digest;
    const pr = await ensurePullRequest(options.octokit, repository, {
      head: branch,
      base,
      title: imageChanged ? `Promote ${options.service} to ${options.env}: ${digest.slice(0, 'sha256:'.length + 12)}` : `Configuration of ${options.service} in ${options.env}${options.sourceCommit ? ` from ${options.sourceCommit.slice(0, 12)}` : ''}`,
      body: [
        ...(imageChanged
          ? [`Sets the image of \`${options.service}\` in \`${options.env}\` to`, '', `    ${options.image}`, '']
          : [`\`${options.service}\` in \`${options.env}\` already runs`, '', `    ${options.image}`, '', 'This pull request carries its configuration only.', '']),
        ...(options.sourceCommit ? [`Built from ${options.sourceCommit}.`, ''] : []),
        ...(onBase.length > 0 ? [`Image: ${onBase.map((f) => `\`${f}\``).join(', ')}`, ''] : []),
        ...(proposedConfig.length > 0 ? [`Configuration: ${proposedConfig.map((f) => `\`${f}\``).join(', ')}`, ''] : []),
        options.autoMerge ? 'Auto-merge is on: this merges once the required checks pass.' : 'Merge to deploy.',
        '',
      ].join('\n'),
      labels: options.labels && options.labels.length > 0 ? options.labels : ['promotion', `env:${options.env}`],
      ...(options.reviewers ? { reviewers: options.reviewers } : {}),
    });
    if (options.autoMerge) await enableAutoMerge(options.octokit, pr);
    options.log?.(`${pr.created ? 'opened' : 'updated'} pull request #${pr.number} (${branch} → ${base}): ${pr.url}`);
    return { changed: true, imageChanged, branch, pullRequest: pr, files: [...onBase, ...proposedConfig], configFiles: proposedConfig, autoMerge: options.autoMerge === true };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
