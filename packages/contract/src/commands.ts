import { backMerge } from './commands/back-merge.js';
import { checkout } from './commands/checkout.js';
import { cleanupStaging } from './commands/cleanup-staging.js';
import { copyConfig } from './commands/copy-config.js';
import { currentImage } from './commands/current-image.js';
import { detectBuild } from './commands/detect-build.js';
import { detectChanges } from './commands/detect-changes.js';
import { detectDeploy } from './commands/detect-deploy.js';
import { hotfix } from './commands/hotfix.js';
import { listServices } from './commands/list-services.js';
import { openPromotionPullRequest } from './commands/open-promotion-pull-request.js';
import { promote } from './commands/promote.js';
import { registryLogin } from './commands/registry-login.js';
import { resolveFlow } from './commands/resolve-flow.js';
import { updateManifests } from './commands/update-manifests.js';
import { waitForDeploy } from './commands/wait-for-deploy.js';

export {
  backMerge,
  checkout,
  cleanupStaging,
  copyConfig,
  currentImage,
  detectBuild,
  detectChanges,
  detectDeploy,
  hotfix,
  listServices,
  openPromotionPullRequest,
  promote,
  registryLogin,
  resolveFlow,
  updateManifests,
  waitForDeploy,
};

/** Every runtime command, by name. The runtime CLI dispatches on it; the DSL wraps each as a typed step. */
export const commands = {
  'back-merge': backMerge,
  checkout,
  'cleanup-staging': cleanupStaging,
  'copy-config': copyConfig,
  'current-image': currentImage,
  'detect-build': detectBuild,
  'detect-changes': detectChanges,
  'detect-deploy': detectDeploy,
  hotfix,
  'list-services': listServices,
  'open-promotion-pull-request': openPromotionPullRequest,
  promote,
  'registry-login': registryLogin,
  'resolve-flow': resolveFlow,
  'update-manifests': updateManifests,
  'wait-for-deploy': waitForDeploy,
} as const;

export type CommandName = keyof typeof commands;
