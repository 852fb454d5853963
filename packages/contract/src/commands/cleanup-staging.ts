import { defineCommand } from '../define-command.js';

/** After a hotfix: restores staging's manifests to the image of the newest open release. */
export const cleanupStaging = defineCommand({
  name: 'cleanup-staging',
  summary: "After a hotfix, restore staging's manifests to the image of the newest open release branch.",
  inputs: {
    repo: { kind: 'string', description: 'Application repository on GitHub, owner/name.', required: true, pattern: '[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+', example: 'acme/shop' },
    gitUrl: { kind: 'string', description: 'Clone URL of the application repository (default: derived from the GitHub API URL, https://github.com/<repo>.git).', example: 'https://github.com/acme/shop.git' },
    gitopsUrl: { kind: 'string', description: 'Clone URL of the GitOps repository.', required: true },
    branch: { kind: 'string', description: 'Branch of the GitOps repository (default main).', example: 'main' },
    service: { kind: 'string', description: 'Service name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'shop-api' },
    env: { kind: 'string', description: 'The staging environment name.', example: 'staging' },
    policy: { kind: 'string', description: 'Path of the branch policy file (YAML or JSON; default: the built-in policy).' },
    layout: { kind: 'string', description: 'Path, inside the GitOps repository, of the layout file.', example: 'argots.yaml' },
  },
  outputs: {
    release: { description: 'The release branch whose image staging was restored to.' },
    image: { description: 'The image staging now runs.' },
    changed: { description: '"true" when staging manifests changed.', enum: ['true', 'false'] },
    commit: { description: 'The GitOps commit after clean-up (empty when no release is open).' },
  },
});
