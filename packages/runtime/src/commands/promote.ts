import { promote } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { DEFAULT_ENVIRONMENTS_PATH, loadEnvironments } from '../promote/load-environments.js';
import { promoteBetweenEnvironments } from '../promote/promote-between-environments.js';
import { createProgress } from '../promote/progress.js';

/** `argots-runtime promote --image … --from dev --to staging [--tag …] [--environments file] [--referrers]` */
export default defineHandler(promote, async (inputs, ctx) => {
  const path = inputs.environments ?? ctx.env['ARGOTS_ENVIRONMENTS'] ?? DEFAULT_ENVIRONMENTS_PATH;
  const environments = await loadEnvironments(path);
  const progress = createProgress({
    interactive: ctx.interactive,
    write: ctx.interactive ? (text) => void process.stderr.write(text) : (text) => ctx.log(text.trimEnd()),
    label: `promote ${inputs.from} → ${inputs.to}`,
  });
  try {
    const result = await promoteBetweenEnvironments({
      image: inputs.image,
      from: inputs.from,
      to: inputs.to,
      tag: inputs.tag,
      environments,
      referrers: inputs.referrers ?? false,
      env: ctx.env,
      progress,
      log: ctx.log,
    });
    return {
      outputs: { digest: result.digest, reference: result.reference, replaced: result.replaced ?? '' },
      details: {
        source: result.source,
        mediaType: result.mediaType,
        alreadyPromoted: result.alreadyPromoted,
        ...(result.replaced ? { replaced: result.replaced } : {}),
        manifestsCopied: result.manifestsCopied,
        blobs: result.blobs,
        bytesCopied: result.bytesCopied,
        referrers: result.referrers,
        requests: result.requests,
      },
    };
  } finally {
    progress.finish();
  }
});
