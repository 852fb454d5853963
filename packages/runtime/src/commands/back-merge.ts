import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backMerge as command, parseBranchPolicy } from '@argots/contract';
import { RuntimeError } from '../runtime-error.js';
import { loadBranchPolicy } from '../flows/load-branch-policy.js';
import { defineHandler } from '../command-handler.js';
import { backMerge } from '../flows/back-merge.js';
import { listReleaseBranches } from '../flows/release-branches.js';
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
  let targets = [inputs.target];
  if (/[*?]/.test(inputs.target)) {
    const pattern = inputs.target;
    const scratch = await mkdtemp(join(tmpdir(), 'argots-releases-'));
    try {
      const parsed = parseBranchPolicy({ branches: { ...policy.branches, release: pattern }, environments: policy.environments });
      if (!parsed.ok) {
        throw new RuntimeError('RUN357', `back-merge: --target expected a branch or a branch pattern like "release/*", received "${shorten(pattern)}"`, { hint: 'use * for any run of characters' });
      }
      // Newest version first.
      const open = (await listReleaseBranches(scratch, cloneUrl, { auth: github.gitAuth, policy: parsed.policy })).filter((r) => r.open);
      if (open.length === 0) {
        ctx.log(`no open branch matches "${pattern}"; nothing to back-merge into`);
        return { outputs: { result: 'no-target', commit: '', pullRequest: '', pullRequests: '', target: '', targets: '', sourceCommit: '' } };
      }
      const chosen = inputs.releases === 'all-open' ? [...open].reverse() : open.slice(0, 1);
      ctx.log(`"${pattern}": ${inputs.releases === 'all-open' ? `every open release, oldest first: ${chosen.map((r) => `"${r.branch}" (${r.version})`).join(', ')}` : `the newest open release is "${chosen[0]!.branch}" (${chosen[0]!.version})`}`);
      targets = chosen.map((r) => r.branch);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  const results = [];
  for (const target of targets) {
    results.push(await backMerge({
      repository: inputs.repo,
      cloneUrl,
      source: inputs.source,
      target,
      ...(inputs.labels ? { labels: inputs.labels } : {}),
      ...(inputs.reviewers ? { reviewers: inputs.reviewers } : {}),
      octokit: github.octokit,
      auth: github.gitAuth,
      log: ctx.log,
    }));
  }
  // The newest (last) target is the one `result`, `commit`, `target` and `pullRequest` describe, as before.
  const r = results[results.length - 1]!;
  const target = targets[targets.length - 1]!;
  const each = results.map((x, i) => ({ target: targets[i]!, result: x.result, commit: x.commit, conflicts: x.conflicts, ...(x.pullRequest ? { pullRequestNumber: x.pullRequest.number, branch: x.pullRequest.branch } : {}) }));
  return {
    outputs: {
      result: r.result,
      commit: r.commit,
      pullRequest: r.pullRequest?.url ?? '',
      pullRequests: results.flatMap((x) => (x.pullRequest ? [x.pullRequest.url] : [])).join(','),
      target,
      targets: targets.join(','),
      sourceCommit: r.sourceCommit,
    },
    details: {
      conflicts: r.conflicts,
      attempts: r.attempts,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.pullRequest ? { pullRequestNumber: r.pullRequest.number, branch: r.pullRequest.branch } : {}),
      ...(targets.length > 1 ? { targets: each } : {}),
    },
  };
});
