import { copyConfig as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { gitAuthFromContext, scopeFor } from './_internal/git-auth-from-context.js';
import { copyConfig } from '../manifests/copy-config.js';

/** `argots-runtime copy-config`: git credentials: a GitHub App, or `$ARGOTS_GIT_TOKEN` (never argv). */
export default defineHandler(command, async (inputs, ctx) => {
  const r = await copyConfig({
    repo: inputs.repo,
    gitopsUrl: inputs.gitopsUrl,
    branch: inputs.branch,
    service: inputs.service,
    env: inputs.env,
    files: inputs.files ?? [],
    deleted: inputs.deleted ?? [],
    sourceCommit: inputs.sourceCommit,
    all: inputs.all,
    layoutFile: inputs.layout,
    auth: await gitAuthFromContext(ctx, scopeFor(inputs.gitopsUrl, 'write')),
    log: ctx.log,
  });
  return {
    outputs: { changed: r.changed ? 'true' : 'false', commit: r.commit, files: JSON.stringify(r.files) },
    details: { skipped: r.skipped, left: r.left, attempts: r.attempts },
  };
});
