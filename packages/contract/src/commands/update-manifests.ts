import { defineCommand } from '../define-command.js';

/** Sets a service's image, by digest, in an environment of the GitOps repository, then commits and pushes. */
export const updateManifests = defineCommand({
  name: 'update-manifests',
  summary: "Set a service's image by digest in an environment of the GitOps repository, commit and push (retrying on a moved remote).",
  inputs: {
    gitopsUrl: { kind: 'string', description: 'Clone URL of the GitOps repository.', required: true, example: 'https://github.com/acme/gitops.git' },
    branch: { kind: 'string', description: 'Branch of the GitOps repository to push to.', example: 'main' },
    service: { kind: 'string', description: 'Service name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'shop-api' },
    env: { kind: 'string', description: 'Environment name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'dev' },
    image: { kind: 'string', description: 'Image reference with a digest (`repo:tag@sha256:...`).', required: true, pattern: '[^\\s@]+@sha256:[0-9a-f]{64}', example: 'registry.dev.acme.io/shop/api:4f7c2e1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    sourceCommit: { kind: 'string', description: 'Commit of the application repository the image was built from.', untrusted: true, example: '4f7c2e1d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e' },
    layout: { kind: 'string', description: 'Path, inside the GitOps repository, of the layout file.', example: 'argots.yaml' },
    appRepo: { kind: 'string', description: 'Checkout of the application repository: with --source-commit, an environment already running an image built from a newer commit (a descendant) is not set back.', example: '/workspace/src' },
    replacedDigest: { kind: 'string', description: "The digest the promotion moved the target tag away from (promote's `replaced`), recorded as the commit trailer `Argots-Replaced-Digest`; empty when the tag was new or already right.", pattern: '(sha256:[0-9a-f]{64})?', example: 'sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210' },
    allowOlder: { kind: 'boolean', description: 'Set the image even when the environment runs one built from a newer commit.' },
  },
  outputs: {
    changed: { description: '"true" when a commit was pushed, "false" when the manifests already had the image.', enum: ['true', 'false'] },
    commit: { description: 'The GitOps commit that now holds the image (the existing head when nothing changed).' },
    files: { description: 'Files changed.', format: 'json' },
  },
});
