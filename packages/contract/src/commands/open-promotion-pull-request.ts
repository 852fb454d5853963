import { defineCommand } from '../define-command.js';

/** Proposes a manifest change through a pull request in the GitOps repository (the production gate). */
export const openPromotionPullRequest = defineCommand({
  name: 'open-promotion-pull-request',
  summary: 'Open (or update) a pull request in the GitOps repository that sets a service image in an environment, with its configuration.',
  inputs: {
    repo: { kind: 'string', description: 'GitOps repository on GitHub, owner/name.', required: true, pattern: '[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+', example: 'acme/gitops' },
    gitUrl: { kind: 'string', description: 'Clone URL of the GitOps repository (default: derived from the GitHub API URL, https://github.com/<repo>.git).', example: 'https://github.com/acme/gitops.git' },
    base: { kind: 'string', description: 'Branch the pull request targets.', example: 'main' },
    service: { kind: 'string', description: 'Service name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'shop-api' },
    env: { kind: 'string', description: 'Environment name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'prod' },
    image: { kind: 'string', description: 'Image reference with a digest.', required: true, pattern: '[^\\s@]+@sha256:[0-9a-f]{64}', example: 'registry.prod.acme.io/shop/api:1.4.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    sourceCommit: { kind: 'string', description: 'Commit of the application repository.', untrusted: true },
    autoMerge: { kind: 'boolean', description: 'Enable auto-merge once required checks pass.' },
    configFrom: { kind: 'string', description: "Path of the application checkout: the branch also carries the service's configuration for the environment (every file under its config mappings, as copy-config --all), in a commit of its own; a pull request is opened when the image or the configuration differs.", example: '/workspace/src' },
    reviewers: { kind: 'string-list', description: 'GitHub logins asked to review a pull request, when one is opened.' },
    labels: { kind: 'string-list', description: 'Labels of the pull request (default ["promotion", "env:<env>"]).' },
    layout: { kind: 'string', description: 'Path, inside the GitOps repository, of the layout file.', example: 'argots.yaml' },
  },
  outputs: {
    pullRequest: { description: 'URL of the pull request.' },
    branch: { description: 'The branch holding the change (`promote/<service>-<sha>`).' },
    changed: { description: '"false" when the environment already had the image (and, with configFrom, the configuration): no pull request was needed.', enum: ['true', 'false'] },
    imageChanged: { description: '"false" when the environment already had the image (a pull request, if any, carries configuration only).', enum: ['true', 'false'] },
  },
});
