import { defineCommand } from '../define-command.js';

/** Merges one branch into another, or opens (or updates) a pull request when it cannot. */
export const backMerge = defineCommand({
  name: 'back-merge',
  summary: 'Merge a source branch into a target branch; on conflict or protection, open or update a pull request.',
  inputs: {
    repo: { kind: 'string', description: 'GitHub repository, owner/name.', required: true, pattern: '[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+', example: 'acme/shop' },
    source: { kind: 'string', description: 'Branch merged from.', required: true, untrusted: true, example: 'release/1.4' },
    target: { kind: 'string', description: 'Branch merged into; a pattern like `release/*` means the newest open release branch (semantic-version order), or every open one with --releases all-open.', required: true, untrusted: true, example: 'dev' },
    releases: { kind: 'string', description: 'With a pattern --target: back-merge into the newest open release only (newest, the default) or into every open one, oldest version first (all-open: a hotfix must reach each release that ships later).', enum: ['newest', 'all-open'] },
    gitUrl: { kind: 'string', description: 'Clone URL of the repository (default: derived from the GitHub API URL, https://github.com/<repo>.git).', example: 'https://github.com/acme/shop.git' },
    policy: { kind: 'string', description: 'Path of the branch policy file (YAML or JSON; default: the built-in policy).' },
    reviewers: { kind: 'string-list', description: 'GitHub logins asked to review a pull request, when one is opened.' },
    labels: { kind: 'string-list', description: 'Labels for a pull request, if one is opened.' },
  },
  outputs: {
    result: { description: 'What happened (with --releases all-open: to the newest open release).', enum: ['up-to-date', 'merged', 'pull-request', 'no-target'] },
    commit: { description: 'The target commit after the command (with --releases all-open: the newest open release\'s).' },
    target: { description: 'The branch merged into (the resolved release branch when --target was a pattern — the newest with --releases all-open; empty when none is open).' },
    targets: { description: 'Every branch merged (or proposed) into, oldest version first, comma-separated (one branch unless --releases all-open; empty when none is open).' },
    sourceCommit: { description: 'The source commit merged or proposed.' },
    pullRequest: { description: 'URL of the pull request, when one was opened or updated (with --releases all-open: the newest open release\'s).' },
    pullRequests: { description: 'URLs of every pull request opened or updated, comma-separated (empty when every target was merged).' },
  },
});
