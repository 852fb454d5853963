import { defineCommand } from '../define-command.js';

/** Merges one branch into another, or opens (or updates) a pull request when it cannot. */
export const backMerge = defineCommand({
  name: 'back-merge',
  summary: 'Merge a source branch into a target branch; on conflict or protection, open or update a pull request.',
  inputs: {
    repo: { kind: 'string', description: 'GitHub repository, owner/name.', required: true, pattern: '[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+', example: 'acme/shop' },
    source: { kind: 'string', description: 'Branch merged from.', required: true, untrusted: true, example: 'release/1.4' },
    target: { kind: 'string', description: 'Branch merged into.', required: true, untrusted: true, example: 'dev' },
    labels: { kind: 'string-list', description: 'Labels for a pull request, if one is opened.' },
  },
  outputs: {
    result: { description: 'What happened.', enum: ['up-to-date', 'merged', 'pull-request'] },
    commit: { description: 'The target commit after the command.' },
    pullRequest: { description: 'URL of the pull request, when one was opened or updated.' },
  },
});
