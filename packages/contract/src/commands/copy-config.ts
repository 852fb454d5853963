import { defineCommand } from '../define-command.js';

/** Copies changed configuration files from the application repository into an environment's manifest folder. */
export const copyConfig = defineCommand({
  name: 'copy-config',
  summary: "Copy changed configuration files into an environment's manifest folder, removing deleted ones; commit and push.",
  inputs: {
    repo: { kind: 'string', description: 'Path of the application repository checkout.', required: true, example: '/workspace/src' },
    gitopsUrl: { kind: 'string', description: 'Clone URL of the GitOps repository.', required: true, example: 'https://github.com/acme/gitops.git' },
    branch: { kind: 'string', description: 'Branch of the GitOps repository to push to.', example: 'main' },
    service: { kind: 'string', description: 'Service name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'shop-api' },
    env: { kind: 'string', description: 'Environment name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'dev' },
    files: { kind: 'string-list', description: 'Configuration files changed (paths in the application repository).', untrusted: true },
    deleted: { kind: 'string-list', description: 'Configuration files deleted (paths in the application repository).', untrusted: true },
    all: { kind: 'boolean', description: 'Copy every file under the service\'s config mappings from the checkout, not only --files (a promotion: the release\'s configuration reaches the environment).' },
    sourceCommit: { kind: 'string', description: 'Commit of the application repository.', untrusted: true },
    layout: { kind: 'string', description: 'Path, inside the GitOps repository, of the layout file.', example: 'argots.yaml' },
  },
  outputs: {
    changed: { description: '"true" when a commit was pushed.', enum: ['true', 'false'] },
    commit: { description: 'The GitOps commit that now holds the configuration.' },
    files: { description: 'Files written or removed in the GitOps repository.', format: 'json' },
  },
});
