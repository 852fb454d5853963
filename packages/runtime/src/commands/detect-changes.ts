import { detectChanges as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { RuntimeError } from '../runtime-error.js';
import { gitAuthFromContext } from './_internal/git-auth-from-context.js';
import { detectChanges } from '../detect/detect-changes.js';

/** `argots-runtime detect-changes`: fetches missing commits with a GitHub App or `$ARGOTS_GIT_TOKEN` when set. */
export default defineHandler(command, async (inputs, ctx) => {
  const r = await detectChanges({
    repo: inputs.repo,
    before: inputs.before,
    after: inputs.after,
    defaultBranch: inputs.defaultBranch,
    rules: inputs.rules,
    auth: await gitAuthFromContext(ctx, { permissions: { contents: 'read' } }),
  });
  if (inputs.requireServices && r.services.length === 0) {
    throw new RuntimeError('RUN803', `detect-changes: the change rules of "${inputs.repo}" declare no services, and this pipeline builds and deploys per service`, {
      hint: `declare them in ${inputs.rules ?? '.argots/changes.yaml'}, one a line: "services: { shop-api: services/shop-api }"`,
    });
  }
  return {
    outputs: {
      kind: r.kind,
      codeFiles: JSON.stringify(r.codeFiles),
      configFiles: JSON.stringify(r.configFiles),
      deletedConfigFiles: JSON.stringify(r.deletedConfigFiles),
      services: JSON.stringify(r.services),
      codeServices: JSON.stringify(r.services.filter((x) => x.kind === 'code').map((x) => x.name)),
      configServices: JSON.stringify(r.services.filter((x) => x.configFiles.length + x.deletedConfigFiles.length > 0).map((x) => x.name)),
      reason: r.reason,
    },
    details: { base: r.base ?? null, head: r.head },
  };
});
