import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostExecutor, runWorkflow, selectWorkflow } from '../src/index.js';
import type { RunResult } from '../src/index.js';
import { matches, parseSelector } from '../src/scheduler/resource-template.js';
import { startKubeApiServer, type KubeApiServer } from '../../../test/support/kube-api-server.js';

// Resource templates with --kube-context: the real kubectl against a small Kubernetes API server on loopback
// (test/support/kube-api-server.ts), as Argo's executor runs it: create / apply / delete, success and failure
// conditions polled with kubectl get, outputs through jsonPath and jqFilter.
let server: KubeApiServer;
let work: string;
const executor = hostExecutor();

test.before(async () => {
  server = await startKubeApiServer({
    kinds: [
      { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps' },
      { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs' },
    ],
    // The stand-in for the Job controller: a Job named fail-* fails, any other succeeds, 0.6 s after creation.
    controllers: {
      Job: (job, s) => {
        const name = job.metadata.name;
        setTimeout(() => s.update('jobs', 'default', name, (o) => (o['status'] = name.startsWith('fail') ? { failed: 1 } : { succeeded: 1 })), 600);
      },
    },
  });
  work = mkdtempSync(join(tmpdir(), 'argots-resource-'));
  writeFileSync(join(work, 'kubeconfig'), server.kubeconfig('local-test'));
  process.env['KUBECONFIG'] = join(work, 'kubeconfig');
  process.env['RESOURCE_STATE_CHECK_INTERVAL'] = '200ms';
});
test.after(async () => {
  await executor.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

let seq = 0;
function run(templates: unknown[], tasks: unknown[]): Promise<RunResult> {
  seq += 1;
  const name = `res-${seq}`;
  const wf = selectWorkflow([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name }, spec: { entrypoint: 'main', templates: [{ name: 'main', dag: { tasks } }, ...templates] } }]);
  return runWorkflow(wf, { executor, runDir: join(work, name), workflowName: name, kubeContext: 'local-test' });
}
const node = (r: RunResult, name: string) => r.nodes.find((n) => n.name === `${r.name}.${name}`);

const configMap = (name: string, value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {color: ${value}}\n`;

test('create: the object is created in the context\'s cluster; jsonPath and jqFilter outputs read it back', async () => {
  const r = await run(
    [{ name: 'make', resource: { action: 'create', manifest: configMap('made', 'blue') }, outputs: { parameters: [{ name: 'uid', valueFrom: { jsonPath: '{.metadata.uid}' } }, { name: 'color', valueFrom: { jqFilter: '.data.color' } }] } }],
    [{ name: 'make', template: 'make' }],
  );
  assert.is(r.phase, 'Succeeded', r.message);
  const stored = server.get('configmaps', 'default', 'made');
  assert.ok(stored, 'the ConfigMap exists on the server');
  const outs = Object.fromEntries((node(r, 'make')?.outputs?.parameters ?? []).map((p) => [p.name, p.value]));
  assert.equal(outs, { uid: stored.metadata['uid'], color: 'blue' });
  assert.ok(server.requests.includes('POST /api/v1/namespaces/default/configmaps'));
});

test('create of an object that exists fails the node with kubectl\'s message', async () => {
  const r = await run([{ name: 'make', resource: { action: 'create', manifest: configMap('made', 'red') } }], [{ name: 'again', template: 'make' }]);
  assert.is(node(r, 'again')?.phase, 'Failed');
  assert.match(node(r, 'again')?.message ?? '', /AlreadyExists|already exists/);
});

test('apply creates, then updates the object in place', async () => {
  const r = await run(
    [
      { name: 'v1', resource: { action: 'apply', manifest: configMap('applied', 'one') } },
      { name: 'v2', resource: { action: 'apply', manifest: configMap('applied', 'two') } },
    ],
    [{ name: 'first', template: 'v1' }, { name: 'second', template: 'v2', depends: 'first' }],
  );
  assert.is(r.phase, 'Succeeded', r.message);
  const stored = server.get('configmaps', 'default', 'applied');
  assert.equal(stored?.['data'], { color: 'two' });
  assert.ok(server.requests.includes('PATCH /api/v1/namespaces/default/configmaps/applied'), 'the second apply patched it');
});

test('delete removes the object; deleting one that is gone succeeds (--ignore-not-found, as Argo runs it)', async () => {
  const r = await run(
    [{ name: 'rm', resource: { action: 'delete', manifest: configMap('applied', 'two') } }],
    [{ name: 'rm', template: 'rm' }, { name: 'rm-again', template: 'rm', depends: 'rm' }],
  );
  assert.is(r.phase, 'Succeeded', r.message);
  assert.is(server.get('configmaps', 'default', 'applied'), undefined);
  assert.is(node(r, 'rm-again')?.phase, 'Succeeded');
});

test('successCondition: the node waits, polling kubectl get, until the object satisfies it', async () => {
  const job = (name: string): string => `apiVersion: batch/v1\nkind: Job\nmetadata: {name: ${name}}\nspec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}}}\n`;
  const started = Date.now();
  const r = await run(
    [
      { name: 'ok-job', resource: { action: 'create', manifest: job('works'), successCondition: 'status.succeeded > 0', failureCondition: 'status.failed > 0' }, outputs: { parameters: [{ name: 'done', valueFrom: { jsonPath: '{.status.succeeded}' } }] } },
      { name: 'bad-job', resource: { action: 'create', manifest: job('fail-1'), successCondition: 'status.succeeded > 0', failureCondition: 'status.failed > 0' } },
    ],
    [{ name: 'ok', template: 'ok-job' }, { name: 'bad', template: 'bad-job' }],
  );
  assert.ok(Date.now() - started >= 600, 'it waited for the controller');
  assert.is(node(r, 'ok')?.phase, 'Succeeded', node(r, 'ok')?.message);
  assert.equal(node(r, 'ok')?.outputs?.parameters, [{ name: 'done', value: '1' }]);
  assert.is(node(r, 'bad')?.phase, 'Failed');
  assert.match(node(r, 'bad')?.message ?? '', /failure condition 'status\.failed>0' matched Job\.v1\.batch\/fail-1/);
  assert.ok(server.requests.filter((q) => q === 'GET /apis/batch/v1/namespaces/default/jobs/works').length >= 2, 'polled more than once');
});

test('conditions are read as label selectors over gjson paths (labels.Requirement.Matches)', () => {
  const obj = { status: { phase: 'Running', succeeded: 2 }, metadata: { name: 'x' } };
  const holds = (s: string): boolean => parseSelector(s).every((q) => matches(q, obj));
  assert.ok(holds('status.phase == Running'));
  assert.ok(holds('status.phase = Running, status.succeeded > 1'));
  assert.ok(holds('status.phase in (Pending, Running)'));
  assert.ok(holds('status.phase notin (Failed)'));
  assert.ok(holds('status.succeeded'));
  assert.ok(holds('!status.failed'));
  assert.ok(holds('status.failed != 3'), 'a missing key is not equal to anything');
  assert.not.ok(holds('status.failed > 0'), 'a missing key is never greater');
  assert.not.ok(holds('status.phase == Succeeded'));
  assert.throws(() => parseSelector('status.succeeded > many'), /must be an integer/);
});

test.run();
