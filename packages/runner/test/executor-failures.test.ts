// When the backend itself fails (an image that cannot be pulled, bwrap missing), the node Errors with the
// backend's message and hint, naming the node, and the summary says which node it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ExecutorError, formatSummary, runWorkflow, selectWorkflow } from '@argots/runner';
import type { Executor } from '@argots/runner';

const dir = mkdtempSync(join(tmpdir(), 'argots-runner-exec-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const workflow = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { name: 'pull' },
  spec: {
    entrypoint: 'main',
    templates: [
      { name: 'main', dag: { tasks: [{ name: 'fetch', template: 'c' }, { name: 'after', template: 'c', depends: 'fetch' }] } },
      { name: 'c', container: { image: 'registry.invalid/nope:1', command: ['true'] } },
    ],
  },
};

function failing(where: 'prepare' | 'run'): Executor {
  const error = (): ExecutorError =>
    where === 'prepare'
      ? new ExecutorError('RUN201', 'image "registry.invalid/nope:1" cannot be pulled: registry.invalid: no such host', 'check the image name, or log in to the registry')
      : new ExecutorError('RUN210', 'bwrap is not installed', 'apt-get install bubblewrap, or run with --executor host');
  return {
    name: 'sandbox',
    prepare: async () => {
      if (where === 'prepare') throw error();
    },
    run: async () => {
      throw error();
    },
    close: async () => undefined,
  };
}

test('an image that cannot be pulled errors the node that needs it, with the hint; its dependents are Omitted', async () => {
  const result = await runWorkflow(selectWorkflow([workflow]), { executor: failing('prepare'), runDir: join(dir, 'a') });
  assert.is(result.phase, 'Error');
  const fetch = result.nodes.find((n) => n.name === 'pull.fetch');
  assert.is(fetch?.phase, 'Error');
  assert.match(fetch?.message ?? '', /image "registry.invalid\/nope:1" cannot be pulled: .*\(hint: check the image name/);
  assert.is(result.nodes.find((n) => n.name === 'pull.after')?.phase, 'Omitted');
  assert.match(formatSummary(result, { cwd: dir, startedAt: Date.now() }), /failed node: "pull.fetch" \(template "c"\): image "registry.invalid\/nope:1" cannot be pulled/);
});

test('a backend that cannot run at all (bwrap missing) errors the node with how to fix it', async () => {
  const result = await runWorkflow(selectWorkflow([workflow]), { executor: failing('run'), runDir: join(dir, 'b') });
  const fetch = result.nodes.find((n) => n.name === 'pull.fetch');
  assert.is(fetch?.phase, 'Error');
  assert.is(fetch?.message, 'bwrap is not installed (hint: apt-get install bubblewrap, or run with --executor host)');
});

test.run();
