import { cleanupStaging as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { cleanupStaging } from '../flows/cleanup-staging.js';
import { loadBranchPolicy } from '../flows/load-branch-policy.js';
import { cloneUrlFor } from '../github/clone-url.js';
import { githubFromContext } from '../github/github-from-env.js';
import { repositoryOfUrl } from '../github/repository-of-url.js';

/** `argots-runtime cleanup-staging`: restores staging to the newest open release's image (see the README). */
export default defineHandler(command, async (inputs, ctx) => {
  // Reads the application's release branches, pushes to the GitOps repository.
  const gitops = repositoryOfUrl(inputs.gitopsUrl);
  const github = await githubFromContext(ctx, { repositories: [inputs.repo, ...(gitops ? [gitops] : [])], permissions: { contents: 'write' } });
  const r = await cleanupStaging({
    appUrl: inputs.gitUrl ?? cloneUrlFor(github.baseUrl, inputs.repo),
    gitopsUrl: inputs.gitopsUrl,
    ...(inputs.branch ? { gitopsBranch: inputs.branch } : {}),
    service: inputs.service,
    policy: await loadBranchPolicy(inputs.policy, ctx.cwd),
    ...(inputs.env ? { environment: inputs.env } : {}),
    ...(inputs.layout ? { layoutFile: inputs.layout } : {}),
    auth: github.gitAuth,
    log: ctx.log,
  });
  return {
    outputs: { release: r.release?.branch ?? '', image: r.image ?? '', changed: r.changed ? 'true' : 'false', commit: r.commit ?? '' },
    details: { reason: r.reason, files: r.files, ...(r.deployment ? { restoredFrom: r.deployment } : {}) },
  };
});
