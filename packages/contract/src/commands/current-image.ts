import { defineCommand } from '../define-command.js';

/**
 * Reads the image, by digest, that a service runs in an environment from the GitOps repository's manifests:
 * what a promotion copies to the next environment (not a tag derived from a commit, which may not exist).
 */
export const currentImage = defineCommand({
  name: 'current-image',
  summary: "Read the image (by digest) a service runs in an environment from the GitOps repository's manifests.",
  inputs: {
    gitopsUrl: { kind: 'string', description: 'Clone URL of the GitOps repository.', required: true, example: 'https://github.com/acme/gitops.git' },
    branch: { kind: 'string', description: 'Branch of the GitOps repository (default main).', example: 'main' },
    service: { kind: 'string', description: 'Service name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'shop-api' },
    env: { kind: 'string', description: 'Environment whose manifests are read.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'dev' },
    layout: { kind: 'string', description: 'Path, inside the GitOps repository, of the layout file.', example: 'argots.yaml' },
  },
  outputs: {
    image: { description: 'The image the environment runs: `registry/repo[:tag]@sha256:…`.' },
    digest: { description: 'Its digest, `sha256:…`.' },
    sourceCommit: { description: 'The application commit of the deployment commit that set it (its Source-Commit trailer; empty when unknown).' },
    commit: { description: 'The GitOps commit read.' },
  },
});
