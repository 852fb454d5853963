import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerRunArgv, createDockerExecutor, createPodmanExecutor, detectBackends, ExecutorError, selectExecutor, type ExecRequest } from '../../src/index.js';
import { envFileText } from '../../src/executors/container-cli.js';
import { startEngineStandIn, type EngineStandIn } from './docker-engine-stand-in.js';

// The docker and podman backends. No Docker engine runs here and podman cannot run containers here: the
// argv and env file are checked, the real docker CLI is run against a stand-in for the Engine API
// (docker-engine-stand-in.ts) to see what it asks of an engine (create, attach, start, wait, cp, kill, rm),
// and the errors of a missing CLI and of an engine nobody listens for come from the real client.
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

async function withStandIn<T>(use: (engine: EngineStandIn, executor: ReturnType<typeof createDockerExecutor>) => Promise<T>): Promise<T> {
  const engine = await startEngineStandIn(join(work, `engine-${Math.random().toString(16).slice(2)}.sock`));
  try {
    return await use(engine, createDockerExecutor({ env: { PATH: process.env['PATH'] ?? '', HOME: work, DOCKER_HOST: `unix://${engine.socket}` }, killGraceMs: 500 }));
  } finally {
    await engine.close();
  }
}

test('the real docker CLI reads our argv as meant: the container it asks the engine for has our env, binds, network, entrypoint and args', async () => {
  await withStandIn(async (engine, executor) => {
    const rw = join(work, 'bind-rw');
    const ro = join(work, 'bind-ro');
    const result = await executor.run(request({
      image: 'registry.acme.io/tools/node:20',
      command: ['/bin/sh', '-c'],
      args: ['make build'],
      env: { TOKEN: 'tok=with=equals', MULTI: 'line one\nline two' },
      workingDir: '/src',
      mounts: [{ hostPath: rw, containerPath: '/work', readOnly: false }, { hostPath: ro, containerPath: '/in', readOnly: true }],
      imagePullPolicy: 'IfNotPresent',
    }));
    assert.is(result.exitCode, 0);
    const [container] = engine.containers;
    const body = container?.create ?? {};
    const host = (body['HostConfig'] ?? {}) as Record<string, unknown>;
    assert.equal(body['Image'], 'registry.acme.io/tools/node:20');
    assert.equal(body['Entrypoint'], ['/bin/sh']);
    assert.equal(body['Cmd'], ['-c', 'make build']);
    assert.equal(body['WorkingDir'], '/src');
    assert.equal([...(body['Env'] as string[])].sort(), ['MULTI=line one\nline two', 'TOKEN=tok=with=equals']);
    // The docker CLI collects -v binds through a map: their order in the request is not the argv's.
    assert.equal([...(host['Binds'] as string[])].sort(), [`${rw}:/work`, `${ro}:/in:ro`].sort());
    assert.is(host['NetworkMode'], 'none');
    assert.is(host['AutoRemove'], true, 'nothing to collect: --rm');
    assert.is((body['Labels'] as Record<string, string>)['io.argots.runner'], 'step');
    assert.match(container?.name ?? '', /^argots-build-0-api-[0-9a-f]{8}$/);
  });
});

test('through the docker CLI: output streamed apart, the exit code returned', async () => {
  await withStandIn(async (engine, executor) => {
    engine.behave({ stdout: 'built\n', stderr: 'warning: slow\n', exitCode: 3 });
    let stdout = '';
    let stderr = '';
    const result = await executor.run(request({ command: ['make'], onOutput: (s, c) => (s === 'stdout' ? (stdout += c) : (stderr += c)) }));
    assert.is(result.exitCode, 3);
    assert.is(stdout, 'built\n');
    assert.is(stderr, 'warning: slow\n');
    assert.equal(engine.containers[0]?.calls.filter((c) => c !== 'wait'), ['create', 'attach', 'start']);
  });
});

test('through the docker CLI: outputs are copied with docker cp once the container has exited, then it is removed', async () => {
  await withStandIn(async (engine, executor) => {
    engine.behave({ files: { '/tmp/report.xml': '<ok/>\n' }, exitCode: 0 });
    const dest = join(work, 'docker-out');
    const result = await executor.run(request({ command: ['test'], collect: [{ containerPath: '/tmp/report.xml', hostPath: join(dest, 'report.xml') }, { containerPath: '/tmp/absent', hostPath: join(dest, 'absent') }] }));
    assert.is(result.exitCode, 0);
    assert.is(readFileSync(join(dest, 'report.xml'), 'utf8'), '<ok/>\n');
    assert.not.ok(existsSync(join(dest, 'absent')));
    const container = engine.containers[0];
    assert.is((container?.create['HostConfig'] as Record<string, unknown>)['AutoRemove'], false, 'kept for docker cp');
    assert.ok(container?.removed, 'not removed after the copy');
    assert.is(container?.calls[container.calls.length - 1], 'rm');
  });
});

test('through the docker CLI: aborting kills the container with SIGTERM and removes nothing it should keep', async () => {
  await withStandIn(async (engine, executor) => {
    engine.behave({ stdout: 'serving\n', untilKilled: true });
    const controller = new AbortController();
    const running = executor.run(request({ command: ['serve'], signal: controller.signal }));
    // Abort once the engine has started the container (a fixed sleep raced the docker CLI on a loaded machine).
    for (let waited = 0; !engine.containers[0]?.calls.includes('start'); waited += 25) {
      if (waited > 60_000) throw new Error('the docker CLI never started the container');
      await new Promise((r) => setTimeout(r, 25));
    }
    controller.abort();
    const result = await running;
    assert.is(result.signal, 'SIGTERM');
    assert.is(result.exitCode, 143);
    assert.is(engine.containers[0]?.killedWith, 'SIGTERM');
  });
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
