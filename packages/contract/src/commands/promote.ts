import { defineCommand } from '../define-command.js';

/** Copies an image, by digest, from one environment's registry to another's, without rebuilding. */
export const promote = defineCommand({
  name: 'promote',
  summary: "Copy an image by digest from one environment's registry to another's (no rebuild), then tag it.",
  inputs: {
    image: { kind: 'string', description: 'Source image: a digest reference, or a tag resolved once to its digest.', required: true, example: 'registry.dev.acme.io/shop/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    from: { kind: 'string', description: 'Source environment (a name in the environments configuration).', required: true, pattern: '[a-z][a-z0-9-]{0,62}', example: 'dev' },
    to: { kind: 'string', description: 'Target environment (not a read-only one).', required: true, pattern: '[a-z][a-z0-9-]{0,62}', example: 'staging' },
    tag: { kind: 'string', description: 'Tag to write in the target (default: the source tag).', pattern: '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}', example: '1.4.0' },
    environments: { kind: 'string', description: 'Path of the environments configuration file.', example: '/etc/argots/environments.yaml' },
    referrers: { kind: 'boolean', description: 'Also copy signatures, attestations and SBOMs that refer to the image.' },
  },
  outputs: {
    digest: { description: 'The digest of the promoted image (equal to the source digest).' },
    reference: { description: 'The promoted image reference in the target: `registry/repo:tag@sha256:...`.' },
    replaced: { description: 'The digest the target tag pointed at before this promotion moved it (mutable tags only); empty when the tag was new or already right.' },
  },
});
