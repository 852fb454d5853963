import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerRunArgv, createDockerExecutor, createPodmanExecutor, detectBackends, ExecutorError, selectExecutor, type ExecRequest } from '../../src/index.js';
import { envFileText } from '../../src/executors/container-cli.js';

// The docker and podman backends. No Docker engine runs here and podman cannot run containers here, so what
// is tested is what can be honestly: the exact argv, the env file, and the errors of a missing CLI and of an
// engine that cannot be reached (the machine's real docker client, pointed at a socket nobody listens on).
const work = mkdtempSync(join(tmpdir(), 'argots-container-cli-'));
const never = new AbortController().signal;

function request(over: Partial<ExecRequest>): ExecRequest {
  return { node: 'build(0:api)', image: 'registry.acme.io/tools/node:20', env: {}, mounts: [], collect: [], network: false, signal: never, onOutput: () => undefined, ...over };
}

async function failure(run: () => Promise<unknown>): Promise<ExecutorError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ExecutorError) return error;
    throw error;
  }
  throw new Error('expected an ExecutorError');
}

test.after(() => rmSync(work, { recursive: true, force: true }));

test('a full request becomes one `run` argv: name, no network, pull policy, env file, working dir, binds, entrypoint from command', () => {
  const argv = containerRunArgv('docker', request({
    command: ['/bin/sh', '-c'],
    args: ['make build'],
    env: { TOKEN: 'secret-value', MULTI: 'a\nb' },
    workingDir: '/src',
    mounts: [
      { hostPath: '/runs/1/work', containerPath: '/work', readOnly: false },
      { hostPath: '/runs/1/in', containerPath: '/in', readOnly: true },
    ],
    imagePullPolicy: 'IfNotPresent',
    stdin: 'input',
  }), { name: 'argots-build-0-api-1234', envFile: '/tmp/x/env', remove: true });
  assert.equal(argv, [
    'run', '--name', 'argots-build-0-api-1234', '--label', 'io.argots.runner=step', '--rm', '-i', '--network', 'none', '--pull', 'missing',
    '--env-file', '/tmp/x/env', '-e', 'MULTI', '-w', '/src',
    '-v', '/runs/1/work:/work', '-v', '/runs/1/in:/in:ro',
    '--entrypoint', '/bin/sh', '--', 'registry.acme.io/tools/node:20', '-c', 'make build',
  ]);
  assert.not.ok(argv.join(' ').includes('secret-value'), 'an env value reached the argv');
});

test('without command the image\'s ENTRYPOINT stays and args replace CMD; the network when asked; no --rm when outputs are collected', () => {
  const argv = containerRunArgv('podman', request({ args: ['--version'], network: true, collect: [{ containerPath: '/tmp/out', hostPath: '/h/out' }] }), { name: 'n', envFile: undefined, remove: false });
  assert.equal(argv, ['run', '--name', 'n', '--label', 'io.argots.runner=step', '--', 'registry.acme.io/tools/node:20', '--version']);
});

test('the env file holds one-line values literally; values with line breaks are left to the CLI\'s environment', () => {
  assert.is(envFileText({ A: 'x=y z', B: ' spaced ', C: 'one\ntwo' }), 'A=x=y z\nB= spaced \n');
});

test('a bind whose path holds ":" is refused with the path named', () => {
  try {
    containerRunArgv('docker', request({ mounts: [{ hostPath: '/data/a:b', containerPath: '/x', readOnly: true }] }), { name: 'n', envFile: undefined, remove: true });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, ExecutorError);
    assert.is((error as ExecutorError).code, 'EXE205');
    assert.match((error as ExecutorError).message, /"\/data\/a:b"/);
  }
});

test('a CLI that is not installed is an ExecutorError naming it, with the install hint', async () => {
  const env = { PATH: join(work, 'empty-bin') };
  const docker = await failure(() => createDockerExecutor({ env }).run(request({ command: ['true'] })));
  assert.is(docker.code, 'EXE201');
  assert.match(docker.message, /"docker" program/);
  assert.match(docker.hint, /install Docker/);
  const podman = await failure(() => createPodmanExecutor({ env }).prepare('busybox:1', { signal: never }));
  assert.is(podman.code, 'EXE201');
  assert.match(podman.hint, /apt-get install podman/);
});

test('a Docker daemon that cannot be reached is an ExecutorError quoting the client, before any container is asked for', async () => {
  const socket = join(work, 'absent.sock');
  const env = { PATH: process.env['PATH'] ?? '', HOME: work, DOCKER_HOST: `unix://${socket}` };
  const executor = createDockerExecutor({ env });
  const err = await failure(() => executor.run(request({ command: ['true'] })));
  assert.is(err.code, 'EXE202');
  assert.match(err.message, new RegExp(`cannot reach its engine: Cannot connect to the Docker daemon at unix://${socket.replace(/\./g, '\\.')}`));
  assert.match(err.hint, /start the Docker daemon/);
  const prepared = await failure(() => executor.prepare('busybox:1', { signal: never }));
  assert.is(prepared.code, 'EXE202');
});

test('auto picks the first backend that works: here neither engine, so the sandbox', async () => {
  const env = { PATH: process.env['PATH'] ?? '', HOME: work, DOCKER_HOST: `unix://${join(work, 'absent.sock')}`, CONTAINER_HOST: `unix://${join(work, 'absent-podman.sock')}` };
  const statuses = await detectBackends({ env });
  assert.equal(statuses.map((s) => `${s.backend}:${s.available}`), ['docker:false', 'podman:false', 'sandbox:true']);
  const chosen = await selectExecutor('auto', { env, sandbox: { cacheDir: join(work, 'cache') } });
  assert.is(chosen.name, 'sandbox');
  const none = await failure(() => selectExecutor('auto', { env: { ...env, PATH: join(work, 'empty-bin') } }));
  assert.is(none.code, 'EXE200');
  assert.match(none.message, /docker: .*; podman: .*; sandbox: .*bubblewrap/);
});

test.run();
