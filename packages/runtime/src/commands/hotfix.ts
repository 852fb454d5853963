import { hotfix as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { runHotfixFlow } from '../flows/hotfix-flow.js';
import { loadBranchPolicy } from '../flows/load-branch-policy.js';
import { cloneUrlFor } from '../github/clone-url.js';
import { githubFromContext } from '../github/github-from-env.js';
import { repositoryOfUrl } from '../github/repository-of-url.js';

/**
 * `argots-runtime hotfix --repo acme/shop --gitops-url … --service shop-api --image …@sha256:…`: the hotfix
 * flow of the library's `runHotfixFlow` as one step (see the README). GitHub App credentials from the
 * environment, narrowed to the application and GitOps repositories.
 */
export default defineHandler(command, async (inputs, ctx) => {
  const gitops = repositoryOfUrl(inputs.gitopsUrl);
  // Pushes to both repositories; opens or updates back-merge pull requests in the application's.
  const github = await githubFromContext(ctx, { repositories: [inputs.repo, ...(gitops ? [gitops] : [])], permissions: { contents: 'write', pull_requests: 'write' } });
  const policy = await loadBranchPolicy(inputs.policy, ctx.cwd);
  const r = await runHotfixFlow({
    repository: inputs.repo,
    appUrl: inputs.gitUrl ?? cloneUrlFor(github.baseUrl, inputs.repo),
    gitopsUrl: inputs.gitopsUrl,
    ...(inputs.branch ? { gitopsBranch: inputs.branch } : {}),
    service: inputs.service,
    image: inputs.image,
    ...(inputs.sourceCommit ? { sourceCommit: inputs.sourceCommit } : {}),
    ...(inputs.releases ? { releases: inputs.releases } : {}),
    policy,
    ...(inputs.layout ? { layoutFile: inputs.layout } : {}),
    ...(inputs.labels ? { labels: inputs.labels } : {}),
    octokit: github.octokit,
    auth: github.gitAuth,
    log: ctx.log,
  });
  const merges = [...r.intoReleases.map((m) => m.result), r.intoDev];
  return {
    outputs: {
      releases: r.intoReleases.map((m) => m.release.branch).join(','),
      pullRequests: merges.flatMap((m) => (m.pullRequest ? [m.pullRequest.url] : [])).join(','),
      stagingImage: r.cleanup.image ?? inputs.image,
      commit: r.cleanup.commit ?? r.deploy.commit,
    },
    details: {
      deploy: { changed: r.deploy.changed, commit: r.deploy.commit },
      backMerges: [
        ...r.intoReleases.map((m) => ({ target: m.release.branch, result: m.result.result, commit: m.result.commit, ...(m.result.pullRequest ? { pullRequest: m.result.pullRequest.url } : {}) })),
        { target: policy.branches.dev, result: r.intoDev.result, commit: r.intoDev.commit, ...(r.intoDev.pullRequest ? { pullRequest: r.intoDev.pullRequest.url } : {}) },
      ],
      cleanup: { changed: r.cleanup.changed, reason: r.cleanup.reason, ...(r.cleanup.release ? { release: r.cleanup.release.branch } : {}) },
    },
  };
});
