import { updateManifests as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { gitAuthFromContext } from './_internal/git-auth-from-context.js';
import { updateManifests } from '../manifests/update-manifests.js';

/** `argots-runtime update-manifests`: git credentials: a GitHub App, or `$ARGOTS_GIT_TOKEN` (never argv). */
export default defineHandler(command, async (inputs, ctx) => {
  const r = await updateManifests({
    gitopsUrl: inputs.gitopsUrl,
    branch: inputs.branch ?? 'main',
    updates: [{ service: inputs.service, env: inputs.env, image: inputs.image }],
    sourceCommit: inputs.sourceCommit,
    layoutFile: inputs.layout,
    appRepo: inputs.appRepo,
    allowOlder: inputs.allowOlder,
    auth: await gitAuthFromContext(ctx),
    log: ctx.log,
  });
  return {
    outputs: { changed: r.changed ? 'true' : 'false', commit: r.commit, files: JSON.stringify(r.files) },
    details: { attempts: r.attempts },
  };
});
