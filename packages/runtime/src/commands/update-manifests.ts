import { updateManifests as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { gitAuthFromContext, scopeFor } from './_internal/git-auth-from-context.js';
import { updateManifests } from '../manifests/update-manifests.js';
import { tryGit } from '../git/run-git.js';

/**
 * `argots-runtime update-manifests`: git credentials: a GitHub App, or `$ARGOTS_GIT_TOKEN` (never argv).
 * App tokens: `contents: write` on the GitOps repository; with `--app-repo`, a second one with `contents: read`
 * on the application repository (its checkout's origin), to fetch a newer deployment's commit.
 */
export default defineHandler(command, async (inputs, ctx) => {
  let appAuth;
  if (inputs.appRepo !== undefined) {
    const origin = await tryGit(['config', '--get', 'remote.origin.url'], { cwd: inputs.appRepo });
    if (origin.exitCode === 0 && origin.stdout.trim()) appAuth = await gitAuthFromContext(ctx, scopeFor(origin.stdout.trim(), 'read'));
  }
  const r = await updateManifests({
    gitopsUrl: inputs.gitopsUrl,
    branch: inputs.branch ?? 'main',
    updates: [{ service: inputs.service, env: inputs.env, image: inputs.image, ...(inputs.replacedDigest ? { replacedDigest: inputs.replacedDigest } : {}) }],
    sourceCommit: inputs.sourceCommit,
    layoutFile: inputs.layout,
    appRepo: inputs.appRepo,
    allowOlder: inputs.allowOlder,
    auth: await gitAuthFromContext(ctx, scopeFor(inputs.gitopsUrl, 'write')),
    appAuth,
    log: ctx.log,
  });
  return {
    outputs: { changed: r.changed ? 'true' : 'false', commit: r.commit, files: JSON.stringify(r.files) },
    details: { attempts: r.attempts },
  };
});
