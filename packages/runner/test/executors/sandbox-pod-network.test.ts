import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxExecutor, runWorkflow, selectWorkflow } from '../../src/index.js';
import type { RunResult } from '../../src/index.js';
import { startRegistry, type TestRegistry } from '../../../../test/support/registry.js';
import { pushBusyboxImage, type BuiltImage } from '../../../../test/support/test-images.js';
import { processesWith } from './sandbox-support.js';

// Daemons and sidecars in the sandbox without --network: the run's containers share one loopback-only pod
// network (pod-network.ts), so a step reaches a daemon at {{tasks.X.ip}} and a main container its sidecar at
// 127.0.0.1, while nothing reaches this machine's own loopback. A real registry, real bwrap.
let registry: TestRegistry;
let image: BuiltImage;
let work: string;
let executor: ReturnType<typeof createSandboxExecutor>;
let hostServer: Server;
let hostPort = 0;

test.before(async () => {
  registry = await startRegistry({ name: 'sandbox-pod-network' });
  image = await pushBusyboxImage(registry, 'tools/pod-network');
  work = mkdtempSync(join(tmpdir(), 'argots-pod-network-'));
  executor = createSandboxExecutor({ cacheDir: join(work, 'cache'), killGraceMs: 500 });
  hostServer = createServer((_req, res) => res.end('host'));
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
  hostPort = (hostServer.address() as AddressInfo).port;
});
test.after(async () => {
  await executor?.close();
  await registry?.close();
  hostServer?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function run(name: string, templates: unknown[], entry: unknown): Promise<RunResult> {
  const wf = selectWorkflow([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name }, spec: { entrypoint: 'main', templates: [{ name: 'main', ...(entry as object) }, ...templates] } }]);
  return runWorkflow(wf, { executor, runDir: join(work, name), workflowName: name, network: false });
}

const phases = (r: RunResult): Record<string, string> => Object.fromEntries(r.nodes.map((n) => [n.name, n.phase]));
const result = (r: RunResult, name: string): string | undefined => r.nodes.find((n) => n.name === name)?.outputs?.result;

test('a step reaches a daemon at {{tasks.server.ip}} without --network; the daemon is stopped when its DAG ends', async () => {
  const marker = 'daemon-marker-7f3a';
  const r = await run('pod-daemon', [
    { name: 'server', daemon: true, container: { image: image.reference, command: ['sh', '-c', `: ${marker}; exec nc -ll -p 8080 -e /bin/hostname`] } },
    { name: 'client', inputs: { parameters: [{ name: 'ip' }] }, container: { image: image.reference, command: ['sh', '-c', 'for t in $(seq 50); do nc "$0" 8080 </dev/null && exit 0; sleep 0.1; done; exit 1', '{{inputs.parameters.ip}}'] } },
  ], { dag: { tasks: [{ name: 'server', template: 'server' }, { name: 'client', template: 'client', depends: 'server.Daemoned', arguments: { parameters: [{ name: 'ip', value: '{{tasks.server.ip}}' }] } }] } });
  assert.equal(phases(r), { 'pod-daemon': 'Succeeded', 'pod-daemon.server': 'Succeeded', 'pod-daemon.client': 'Succeeded' });
  // The answer is the daemon's host name (its node's name): the client talked to the daemon's container.
  assert.is(result(r, 'pod-daemon.client'), 'pod-daemon-server');
  assert.equal(await processesWith(marker), [], 'the daemon is gone once the run returns');
});

test('a main container reaches its sidecar at 127.0.0.1; the sidecar is stopped when main exits', async () => {
  const marker = 'sidecar-marker-91c2';
  const r = await run('pod-sidecar', [], {
    container: { image: image.reference, command: ['sh', '-c', 'for t in $(seq 50); do nc 127.0.0.1 9090 </dev/null && exit 0; sleep 0.1; done; exit 1'] },
    sidecars: [{ name: 'echo', image: image.reference, command: ['sh', '-c', `: ${marker}; exec nc -ll -p 9090 -e /bin/echo from-sidecar`] }],
  });
  assert.equal(phases(r), { 'pod-sidecar': 'Succeeded' });
  assert.is(result(r, 'pod-sidecar'), 'from-sidecar');
  assert.equal(await processesWith(marker), []);
});

test('the pod network has no way out: this machine\'s loopback is not reachable from it', async () => {
  const r = await run('pod-closed', [], {
    container: { image: image.reference, command: ['sh', '-c', `if wget -q -T 2 -O- http://127.0.0.1:${hostPort}/; then echo reached; else echo closed; fi`] },
    sidecars: [{ name: 'idle', image: image.reference, command: ['sh', '-c', 'while true; do sleep 0.1; done'] }],
  });
  assert.equal(phases(r), { 'pod-closed': 'Succeeded' });
  assert.is(result(r, 'pod-closed'), 'closed');
});

test('Ctrl-C while a daemon and a step run stops both and leaves no process behind', async () => {
  const marker = 'abort-daemon-4d1e';
  const abort = new AbortController();
  const wf = selectWorkflow([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'pod-abort' }, spec: { entrypoint: 'main', templates: [
    { name: 'main', dag: { tasks: [{ name: 'server', template: 'server' }, { name: 'long', template: 'long', depends: 'server' }] } },
    { name: 'server', daemon: true, container: { image: image.reference, command: ['sh', '-c', `: ${marker}; exec nc -ll -p 8080 -e /bin/hostname`] } },
    { name: 'long', container: { image: image.reference, command: ['sh', '-c', `: ${marker}; sleep 60`] } },
  ] } }]);
  const running = runWorkflow(wf, { executor, runDir: join(work, 'pod-abort'), workflowName: 'pod-abort', network: false, signal: abort.signal });
  const deadline = Date.now() + 30_000;
  while ((await processesWith(marker)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.ok((await processesWith(marker)).length >= 2, 'the daemon and the step run');
  abort.abort();
  const r = await running;
  assert.is(r.phase, 'Failed');
  assert.equal(await processesWith(marker), [], 'nothing of the daemon or the step is left');
});

test.run();
