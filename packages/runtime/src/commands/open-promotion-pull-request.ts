import { openPromotionPullRequest as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { openPromotionPullRequest } from '../flows/open-promotion-pull-request.js';
import { cloneUrlFor } from '../github/clone-url.js';
import { githubFromContext } from '../github/github-from-env.js';

/** `argots-runtime open-promotion-pull-request`: the production gate, as a pull request in the GitOps repository. */
export default defineHandler(command, async (inputs, ctx) => {
  const github = await githubFromContext(ctx, { repositories: [inputs.repo], permissions: { contents: 'write', pull_requests: 'write' } });
  const r = await openPromotionPullRequest({
    repository: inputs.repo,
    cloneUrl: inputs.gitUrl ?? cloneUrlFor(github.baseUrl, inputs.repo),
    ...(inputs.base ? { base: inputs.base } : {}),
    service: inputs.service,
    env: inputs.env,
    image: inputs.image,
    sourceCommit: inputs.sourceCommit,
    ...(inputs.autoMerge !== undefined ? { autoMerge: inputs.autoMerge } : {}),
    ...(inputs.configFrom !== undefined ? { configFrom: inputs.configFrom } : {}),
    ...(inputs.labels ? { labels: inputs.labels } : {}),
    ...(inputs.reviewers ? { reviewers: inputs.reviewers } : {}),
    layoutFile: inputs.layout,
    octokit: github.octokit,
    auth: github.gitAuth,
    log: ctx.log,
  });
  return {
    outputs: { pullRequest: r.pullRequest?.url ?? '', branch: r.branch, changed: r.changed ? 'true' : 'false', imageChanged: r.imageChanged ? 'true' : 'false' },
    details: { files: r.files, configFiles: r.configFiles, autoMerge: r.autoMerge, ...(r.pullRequest ? { pullRequestNumber: r.pullRequest.number, created: r.pullRequest.created } : {}) },
  };
});
