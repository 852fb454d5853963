import { waitForDeploy as command } from '@argots/contract';
import { revisionContains } from '../argocd/revision-contains.js';
import { waitForDeploy } from '../argocd/wait-for-deploy.js';
import { defineHandler } from '../command-handler.js';
import { rewriteUrl } from '../git/url-rewrite.js';
import { gitAuthFromContext, scopeFor } from './_internal/git-auth-from-context.js';

/**
 * `argots-runtime wait-for-deploy --server … --application … --revision …`: the token from `$ARGOTS_ARGOCD_TOKEN`;
 * the server URL through git's `url.<base>.insteadOf` rules, as the GitOps remote is. With `--gitops-url`, a
 * later revision that contains ours counts: it is checked against the GitOps repository with git credentials
 * (a GitHub App token narrowed to that repository with `contents: read`, or `$ARGOTS_GIT_TOKEN`), minted only
 * when Argo CD reports another revision.
 */
export default defineHandler(command, async (inputs, ctx) => {
  const gitopsUrl = inputs.gitopsUrl;
  const ancestry = gitopsUrl === undefined ? undefined : revisionContains({
    url: gitopsUrl,
    ours: inputs.revision,
    auth: () => gitAuthFromContext(ctx, scopeFor(gitopsUrl, 'read')),
    log: ctx.log,
  });
  try {
    const r = await waitForDeploy({
      server: await rewriteUrl(inputs.server, ctx.env),
      application: inputs.application,
      appNamespace: inputs.appNamespace,
      revision: inputs.revision,
      gitopsUrl,
      contains: ancestry?.contains,
      token: ctx.env['ARGOTS_ARGOCD_TOKEN'],
      timeoutMs: (inputs.timeoutSeconds ?? 900) * 1000,
      intervalMs: (inputs.intervalSeconds ?? 10) * 1000,
      log: ctx.log,
    });
    return { outputs: { health: r.health, revision: r.revision, rollouts: JSON.stringify(r.rollouts) }, details: { polls: r.polls } };
  } finally {
    await ancestry?.close();
  }
});
