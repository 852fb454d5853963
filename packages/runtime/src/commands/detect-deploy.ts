import { detectDeploy as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { findDeployment } from '../manifests/find-deployment.js';
import { DEFAULT_LAYOUT_FILE, loadLayout, resolveTarget } from '../manifests/layout.js';

/** `argots-runtime detect-deploy`: reads a GitOps checkout; changes nothing. */
export default defineHandler(command, async (inputs) => {
  const layout = loadLayout(inputs.gitops, inputs.layout ?? DEFAULT_LAYOUT_FILE);
  const target = resolveTarget(layout, inputs.service, inputs.env);
  const d = findDeployment(inputs.gitops, target);
  return {
    outputs: { kind: d.kind, files: JSON.stringify(d.files.map((f) => f.path)) },
    details: { path: target.path, formats: d.files },
  };
});
