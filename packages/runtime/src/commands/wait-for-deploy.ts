import { waitForDeploy as command } from '@argots/contract';
import { waitForDeploy } from '../argocd/wait-for-deploy.js';
import { defineHandler } from '../command-handler.js';
import { rewriteUrl } from '../git/url-rewrite.js';

/**
 * `argots-runtime wait-for-deploy --server … --application … --revision …`: the token from `$ARGOTS_ARGOCD_TOKEN`;
 * the server URL through git's `url.<base>.insteadOf` rules, as the GitOps remote is.
 */
export default defineHandler(command, async (inputs, ctx) => {
  const r = await waitForDeploy({
    server: await rewriteUrl(inputs.server, ctx.env),
    application: inputs.application,
    appNamespace: inputs.appNamespace,
    revision: inputs.revision,
    gitopsUrl: inputs.gitopsUrl,
    token: ctx.env['ARGOTS_ARGOCD_TOKEN'],
    timeoutMs: (inputs.timeoutSeconds ?? 900) * 1000,
    intervalMs: (inputs.intervalSeconds ?? 10) * 1000,
    log: ctx.log,
  });
  return { outputs: { health: r.health, revision: r.revision, rollouts: JSON.stringify(r.rollouts) }, details: { polls: r.polls } };
});
