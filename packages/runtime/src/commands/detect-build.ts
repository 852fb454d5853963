import { detectBuild as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { detectBuild } from '../detect/detect-build.js';

/** `argots-runtime detect-build`: bake variables may be overridden from the step's environment, as bake does. */
export default defineHandler(command, async (inputs, ctx) => {
  const r = await detectBuild({ repo: inputs.repo, context: inputs.context, group: inputs.group, env: ctx.env });
  return {
    outputs: {
      kind: r.kind,
      dockerfiles: JSON.stringify(r.dockerfiles),
      bakeFiles: JSON.stringify(r.bakeFiles),
      targets: JSON.stringify(r.targets),
    },
  };
});
