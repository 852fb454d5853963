// argots run --env, --image-map and init containers, in the sandbox on a busybox image from a local
// docker-registry: what the org pipelines need to run on a machine (test/e2e/org-run-*.test.ts) — the
// cluster's endpoints as env, the runtime image built here in place of the published one, and a build pod's
// registry-login init container before its main container.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { pushBusyboxImage } from '../support/test-images.js';

let registry: TestRegistry;
let image: string;
const dirs: string[] = [];

test.before(async () => {
  registry = await startRegistry({ name: 'run-env' });
  image = (await pushBusyboxImage(registry, 'tools/shell', { tag: '1' })).reference;
});
test.after(async () => {
  await registry?.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function project(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'argots-run-env-'));
  dirs.push(dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'wf.yaml'), yaml);
  return dir;
}

// The published name: nothing answers for registry.acme.io here; --image-map runs the local image instead.
const POD = (init: string) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: pod}
spec:
  entrypoint: main
  templates:
  - name: main
    initContainers:
    - name: login
      image: registry.acme.io/tools/shell:1
      command: [sh, -c, "${init}"]
      volumeMounts: [{name: shared, mountPath: /shared}]
    container:
      image: registry.acme.io/tools/shell:1
      command: [sh, -c, "cat /shared/login; echo api=$API_URL own=$OWN"]
      env: [{name: OWN, value: from-template}]
      volumeMounts: [{name: shared, mountPath: /shared}]
    volumes: [{name: shared, emptyDir: {}}]
`;

test('given --image-map and --env, then every container (init containers too) runs the mapped image with the variable, under its own env; the init container runs first with the pod\'s volumes', async () => {
  const dir = project(POD('echo logged-in-to=$API_URL > /shared/login; echo login done'));
  const io = memoryIo(dir);
  const code = await run(['run', 'wf.yaml', '--executor', 'sandbox', '--json', '--image-map', `registry.acme.io/tools/shell=${image}`, '--env', 'API_URL=http://127.0.0.1:3000', '--env', 'OWN=from-flag'], io);
  assert.is(code, 0, io.err() + io.out());
  const events = io.out().trim().split('\n').map((l) => JSON.parse(l) as { type: string; name?: string; outputs?: { result?: string } });
  const main = events.filter((e) => e.type === 'node' && e.name === 'pod').at(-1);
  assert.is(main?.outputs?.result, 'logged-in-to=http://127.0.0.1:3000\napi=http://127.0.0.1:3000 own=from-template');
  const logs = readdirSync(join(dir, '.argots/runs/pod/logs'));
  const login = logs.find((f) => f.endsWith('.login.log'));
  assert.ok(login, `the init container has its own log: ${logs.join(', ')}`);
  assert.is(readFileSync(join(dir, '.argots/runs/pod/logs', login ?? ''), 'utf8'), 'login done\n');
});

test('given an init container that fails, then the pod fails naming it and the main container never runs', async () => {
  const dir = project(POD('echo no credentials >&2; exit 3'));
  const io = memoryIo(dir);
  assert.is(await run(['run', 'wf.yaml', '--executor', 'sandbox', '--json', '--image-map', `registry.acme.io/tools/shell:1=${image}`], io), 1);
  const nodes = io.out().trim().split('\n').map((l) => JSON.parse(l) as { type: string; name?: string; phase?: string; message?: string }).filter((e) => e.type === 'node' && e.name === 'pod');
  assert.is(nodes.at(-1)?.phase, 'Failed');
  assert.match(nodes.at(-1)?.message ?? '', 'init container "login" failed: Error (exit code 3)');
  assert.not.match(io.out(), 'api=', 'the main container did not run');
});

test('given --image-map without =TO, then it is refused before anything runs', async () => {
  const dir = project(POD('true'));
  const io = memoryIo(dir);
  assert.is(await run(['run', 'wf.yaml', '--executor', 'sandbox', '--image-map', 'registry.acme.io/tools/shell'], io), 1);
  assert.match(io.err(), '--image-map "registry.acme.io/tools/shell": expected FROM=TO');
});

test.run();
