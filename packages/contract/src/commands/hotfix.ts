import { defineCommand } from '../define-command.js';

/** The hotfix flow after a hotfix is merged into the production branch: staging, back-merges, clean-up. */
export const hotfix = defineCommand({
  name: 'hotfix',
  summary: 'After a hotfix merge: deploy it to staging, back-merge the production branch into the open releases and dev, restore staging.',
  inputs: {
    repo: { kind: 'string', description: 'Application repository on GitHub, owner/name.', required: true, pattern: '[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+', example: 'acme/shop' },
    gitUrl: { kind: 'string', description: 'Clone URL of the application repository (default: derived from the GitHub API URL, https://github.com/<repo>.git).', example: 'https://github.com/acme/shop.git' },
    gitopsUrl: { kind: 'string', description: 'Clone URL of the GitOps repository.', required: true },
    branch: { kind: 'string', description: 'Branch of the GitOps repository (default main).', example: 'main' },
    service: { kind: 'string', description: 'Service name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'shop-api' },
    image: { kind: 'string', description: 'The hotfix image, by digest.', required: true, example: 'registry.acme.io/shop/api:1.3.1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' },
    sourceCommit: { kind: 'string', description: 'The production-branch commit the image was built from (recorded in the deploy commit).', pattern: '[0-9a-f]{40}', example: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' },
    releases: { kind: 'string', description: 'Which open release branches get the hotfix: every one (all-open, the default) or the newest only.', enum: ['all-open', 'newest'] },
    policy: { kind: 'string', description: 'Path of the branch policy file (YAML or JSON; default: the built-in policy).' },
    layout: { kind: 'string', description: 'Path, inside the GitOps repository, of the layout file.', example: 'argots.yaml' },
    labels: { kind: 'string-list', description: 'Labels for a back-merge pull request, if one is opened.' },
  },
  outputs: {
    releases: { description: 'The release branches the hotfix was back-merged (or proposed) into, oldest first, comma-separated (empty when none is open).' },
    pullRequests: { description: 'URLs of back-merge pull requests opened or updated (conflicts, protected branches), comma-separated.' },
    stagingImage: { description: 'The image staging runs after clean-up (the newest open release\'s; the hotfix when no release is open).' },
    commit: { description: 'The GitOps commit after the flow.' },
  },
});
