import { defineCommand } from '../define-command.js';

/** Clones a repository at a branch, tag or commit: the checkout every pipeline starts with. */
export const checkout = defineCommand({
  name: 'checkout',
  summary: 'Clone a repository at a branch, tag or commit (detached), with a read-only installation token for that repository.',
  inputs: {
    url: { kind: 'string', description: 'Clone URL of the repository.', required: true, example: 'https://github.com/acme/shop.git' },
    revision: { kind: 'string', description: 'Branch (`release/1.4`), tag, or commit to check out.', required: true, untrusted: true, example: 'release/1.4' },
    dir: { kind: 'string', description: 'Folder to clone into (created; an existing one is refused unless it is a checkout of the same URL).', required: true, example: '/workspace/src' },
    depth: { kind: 'integer', description: 'Shallow clone of this many commits (default: full history, which detect-changes wants).' },
  },
  outputs: {
    commit: { description: 'The commit checked out (40 hex digits).' },
    ref: { description: 'What the revision named: `branch`, `tag` or `commit`.', enum: ['branch', 'tag', 'commit'] },
  },
});
