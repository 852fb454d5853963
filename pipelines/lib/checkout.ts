// A checkout (of the application or the GitOps repository) into the shared workspace volume. The URL and the revision
// are argv elements (never part of the shell source), so a branch name from an event cannot inject code.
import { container, output, param } from '@argots/dsl';
import { SOURCE_DIR, WORKSPACE } from './org.js';

const CLONE = [
  'set -eu',
  'rm -rf "$3"',
  'git clone --quiet "$1" "$3"',
  'git -C "$3" checkout --quiet --detach "$2"',
  'git -C "$3" rev-parse HEAD > /tmp/commit',
].join('\n');

/** Clones `url` at `revision` (a branch or a commit) into `dir` (default /workspace/src); outputs the commit checked out. */
export const checkout = container('checkout', {
  inputs: {
    url: param.string({ description: 'Clone URL of the application repository.' }),
    revision: param.string({ description: 'Branch, tag or commit to check out.' }),
    dir: param.string({ default: SOURCE_DIR, description: 'Where to clone, inside the workspace volume.' }),
  },
  outputs: { commit: output.path('/tmp/commit', { description: 'The commit checked out (40 hex digits).' }) },
  container: (i) => ({
    image: 'alpine/git:v2.45.2',
    command: ['sh', '-c', CLONE, 'checkout'],
    args: [i.url, i.revision, i.dir],
    env: { HOME: '/tmp', GIT_TERMINAL_PROMPT: '0' },
    volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
  }),
  fields: { retryStrategy: { limit: 3, retryPolicy: 'Always', backoff: { duration: '5s', factor: 2, maxDuration: '2m' } } },
});
