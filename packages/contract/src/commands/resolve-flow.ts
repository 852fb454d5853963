import { defineCommand } from '../define-command.js';

/** Decides, from a GitHub event and the branch policy, which flow of the branch strategy runs. */
export const resolveFlow = defineCommand({
  name: 'resolve-flow',
  summary: 'Decide from a GitHub event which flow of the branch strategy runs (dev build, staging promotion, ...).',
  inputs: {
    eventType: { kind: 'string', description: 'The X-GitHub-Event header.', required: true, example: 'push' },
    payload: { kind: 'string', description: 'Path of the webhook payload (JSON).', required: true, example: '/tmp/argots/event.json' },
    policy: { kind: 'string', description: 'Path of the branch policy file (default: the built-in policy).' },
  },
  outputs: {
    flow: { description: 'The flow to run.', enum: ['dev-build', 'staging-promotion', 'production-promotion', 'staging-bugfix', 'hotfix', 'none'] },
    environment: { description: 'The environment the flow deploys to; empty for none.' },
    reason: { description: 'Why this flow was chosen.' },
    source: { description: 'The branch merged from (pull request head) or pushed to; empty when unknown.' },
    target: { description: 'The branch merged into (pull request base) or pushed to; empty when unknown.' },
    commit: { description: 'The pushed tip or the merge commit; empty when unknown.' },
  },
});
