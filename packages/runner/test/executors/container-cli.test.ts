import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
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

/**
 * A stand-in for the Docker Engine API on a unix socket (no engine can run here): it answers the CLI's ping
 * and version, and records the container the real docker CLI asks to create from our argv, then refuses to go further.
 */
async function withEngineStandIn<T>(use: (socket: string, created: { body?: Record<string, unknown>; query?: string }) => Promise<T>): Promise<T> {
  const socket = join(work, `engine-${Math.random().toString(16).slice(2)}.sock`);
  const created: { body?: Record<string, unknown>; query?: string } = {};
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://engine');
      if (url.pathname === '/_ping') {
        res.writeHead(200, { 'api-version': '1.45', ostype: 'linux', 'content-type': 'text/plain' }).end('OK');
      } else if (/\/version$/.test(url.pathname)) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Version: '0.0.0-stand-in', ApiVersion: '1.45', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64' }));
      } else if (/\/containers\/create$/.test(url.pathname)) {
        created.body = JSON.parse(text) as Record<string, unknown>;
        created.query = url.search;
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"engine stand-in: containers are not run here"}');
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end(`{"message":"engine stand-in: ${req.method} ${url.pathname} not handled"}`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(socket, r));
  try {
    return await use(socket, created);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

test('the real docker CLI reads our argv as meant: the container it asks the engine for has our env, binds, network, entrypoint and args', async () => {
  await withEngineStandIn(async (socket, created) => {
    const rw = join(work, 'bind-rw');
    const ro = join(work, 'bind-ro');
    const env = { PATH: process.env['PATH'] ?? '', HOME: work, DOCKER_HOST: `unix://${socket}` };
    const executor = createDockerExecutor({ env });
    const err = await failure(() => executor.run(request({
      image: 'registry.acme.io/tools/node:20',
      command: ['/bin/sh', '-c'],
      args: ['make build'],
      env: { TOKEN: 'tok=with=equals', MULTI: 'line one\nline two' },
      workingDir: '/src',
      mounts: [{ hostPath: rw, containerPath: '/work', readOnly: false }, { hostPath: ro, containerPath: '/in', readOnly: true }],
      imagePullPolicy: 'IfNotPresent',
    })));
    assert.is(err.code, 'EXE204');
    assert.match(err.message, /engine stand-in: containers are not run here/);
    const body = created.body ?? {};
    const host = (body['HostConfig'] ?? {}) as Record<string, unknown>;
    assert.equal(body['Image'], 'registry.acme.io/tools/node:20');
    assert.equal(body['Entrypoint'], ['/bin/sh']);
    assert.equal(body['Cmd'], ['-c', 'make build']);
    assert.equal(body['WorkingDir'], '/src');
    assert.equal([...(body['Env'] as string[])].sort(), ['MULTI=line one\nline two', 'TOKEN=tok=with=equals']);
    assert.equal(host['Binds'], [`${rw}:/work`, `${ro}:/in:ro`]);
    assert.is(host['NetworkMode'], 'none');
    assert.is((body['Labels'] as Record<string, string>)['io.argots.runner'], 'step');
    assert.match(created.query ?? '', /name=argots-build-0-api-[0-9a-f]{8}/);
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
