import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backMerge as command, parseBranchPolicy } from '@argots/contract';
import { RuntimeError } from '../runtime-error.js';
import { loadBranchPolicy } from '../flows/load-branch-policy.js';
import { defineHandler } from '../command-handler.js';
import { backMerge } from '../flows/back-merge.js';
import { newestOpenRelease } from '../flows/release-branches.js';
import { cloneUrlFor } from '../github/clone-url.js';
import { githubFromContext } from '../github/github-from-env.js';
import { shorten } from '../redact.js';

/**
 * `argots-runtime back-merge --repo acme/shop --source master --target 'release/*'`: GitHub App credentials
 * from the environment (ARGOTS_GITHUB_APP_ID, ARGOTS_GITHUB_APP_PRIVATE_KEY, ARGOTS_GITHUB_APP_INSTALLATION_ID).
 */
export default defineHandler(command, async (inputs, ctx) => {
  const policy = await loadBranchPolicy(inputs.policy, ctx.cwd);
  // Merges and pushes to the repository, opens or updates pull requests there: nothing else.
  const github = await githubFromContext(ctx, { repositories: [inputs.repo], permissions: { contents: 'write', pull_requests: 'write' } });
  const cloneUrl = inputs.gitUrl ?? cloneUrlFor(github.baseUrl, inputs.repo);
  let target = inputs.target;
  if (/[*?]/.test(target)) {
    const scratch = await mkdtemp(join(tmpdir(), 'argots-releases-'));
    try {
      const parsed = parseBranchPolicy({ branches: { ...policy.branches, release: target }, environments: policy.environments });
      if (!parsed.ok) {
        throw new RuntimeError('RUN357', `back-merge: --target expected a branch or a branch pattern like "release/*", received "${shorten(target)}"`, { hint: 'use * for any run of characters' });
      }
      const release = await newestOpenRelease(scratch, cloneUrl, { auth: github.gitAuth, policy: parsed.policy });
      if (!release) {
        ctx.log(`no open branch matches "${target}"; nothing to back-merge into`);
        return { outputs: { result: 'no-target', commit: '', pullRequest: '', target: '', sourceCommit: '' } };
      }
      ctx.log(`"${target}": the newest open release is "${release.branch}" (${release.version})`);
      target = release.branch;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const r = await backMerge({
    repository: inputs.repo,
    cloneUrl,
    source: inputs.source,
    target,
    ...(inputs.labels ? { labels: inputs.labels } : {}),
    ...(inputs.reviewers ? { reviewers: inputs.reviewers } : {}),
    octokit: github.octokit,
    auth: github.gitAuth,
    log: ctx.log,
  });
  return {
    outputs: { result: r.result, commit: r.commit, pullRequest: r.pullRequest?.url ?? '', target, sourceCommit: r.sourceCommit },
    details: { conflicts: r.conflicts, attempts: r.attempts, ...(r.reason ? { reason: r.reason } : {}), ...(r.pullRequest ? { pullRequestNumber: r.pullRequest.number, branch: r.pullRequest.branch } : {}) },
  };
});
