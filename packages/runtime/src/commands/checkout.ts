import { checkout as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { checkout } from '../checkout/checkout.js';
import { gitAuthFromContext, scopeFor } from './_internal/git-auth-from-context.js';

/** `argots-runtime checkout --url … --revision release/1.4 --dir /workspace/src`: a read-only token for that repository. */
export default defineHandler(command, async (inputs, ctx) => {
  const r = await checkout({
    url: inputs.url,
    revision: inputs.revision,
    dir: inputs.dir,
    depth: inputs.depth,
    auth: await gitAuthFromContext(ctx, scopeFor(inputs.url, 'read')),
    log: ctx.log,
  });
  return { outputs: { commit: r.commit, ref: r.ref } };
});
