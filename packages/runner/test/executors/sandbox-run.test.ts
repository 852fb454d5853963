import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxExecutor } from '../../src/index.js';
import { startRegistry, type TestRegistry } from '../../../../test/support/registry.js';
import { pushBusyboxImage, type BuiltImage } from '../../../../test/support/test-images.js';
import { processesWith, runStep } from './sandbox-support.js';

// How a step runs in the sandbox: argv from the image's ENTRYPOINT/CMD as Kubernetes combines them, env,
// working dir, mounts, outputs copied out, no network unless asked, abort. A real registry, real bwrap.
let registry: TestRegistry;
let plain: BuiltImage;
let configured: BuiltImage;
let work: string;
let executor: ReturnType<typeof createSandboxExecutor>;

test.before(async () => {
  registry = await startRegistry({ name: 'sandbox-run' });
  plain = await pushBusyboxImage(registry, 'tools/busybox');
  configured = await pushBusyboxImage(registry, 'tools/configured', {
    config: { Entrypoint: ['/bin/echo', 'from-entrypoint'], Cmd: ['from-cmd'], Env: ['PATH=/bin', 'IMAGE_ONLY=image', 'OVERRIDDEN=image'], WorkingDir: '/srv/app' },
  });
  work = mkdtempSync(join(tmpdir(), 'argots-sandbox-run-'));
  executor = createSandboxExecutor({ cacheDir: join(work, 'cache'), killGraceMs: 1000 });
  await executor.prepare(plain.reference, { signal: new AbortController().signal });
});
test.after(async () => {
  await executor?.close();
  await registry?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('given a command, the step runs in the image and its exit code is returned', async () => {
  const ok = await runStep(executor, plain.reference, { command: ['sh', '-c', 'test -x /bin/busybox && echo ran'] });
  assert.is(ok.exitCode, 0);
  assert.is(ok.stdout, 'ran\n');
  const failed = await runStep(executor, plain.reference, { command: ['sh', '-c', 'exit 7'] });
  assert.is(failed.exitCode, 7);
});

test('stdout and stderr are streamed apart, as they are written', async () => {
  const out = await runStep(executor, plain.reference, { command: ['sh', '-c', 'echo first; echo oops >&2; sleep 1; echo second'] });
  assert.is(out.stdout, 'first\nsecond\n');
  assert.is(out.stderr, 'oops\n');
  // The first line arrived well before the step ended.
  assert.ok((out.stdoutTimes[out.stdoutTimes.length - 1] ?? 0) - (out.stdoutTimes[0] ?? 0) >= 700, `chunks at ${out.stdoutTimes.join(', ')} ms`);
});

test('standard input is written to the step', async () => {
  const out = await runStep(executor, plain.reference, { command: ['sh', '-c', 'wc -l'], stdin: 'a\nb\nc\n' });
  assert.is(out.stdout.trim(), '3');
});

test('the environment is the image\'s Env with the request\'s on top (and PWD, which bwrap sets), nothing from this machine', async () => {
  process.env['ARGOTS_HOST_ONLY'] = 'leak';
  const out = await runStep(executor, configured.reference, { command: ['/bin/env'], env: { OVERRIDDEN: 'request', FROM_REQUEST: 'x y' } });
  const lines = out.stdout.trim().split('\n').sort();
  assert.equal(lines, ['FROM_REQUEST=x y', 'IMAGE_ONLY=image', 'OVERRIDDEN=request', 'PATH=/bin', 'PWD=/srv/app']);
  delete process.env['ARGOTS_HOST_ONLY'];
});

test('the step\'s environment reaches only the step: an LD_PRELOAD for the container does not load into the host tools', async () => {
  const out = await runStep(executor, plain.reference, { command: ['sh', '-c', 'echo "$LD_PRELOAD"'], env: { LD_PRELOAD: '/opt/absent/libhook.so', PATH: '/bin' } });
  assert.is(out.stdout, '/opt/absent/libhook.so\n');
  assert.is(out.stderr, '');
});

test('a secret in the step\'s environment appears in no command line on this machine while the step runs', async () => {
  const secret = 'tok-5e3d-not-in-argv';
  const running = runStep(executor, plain.reference, { command: ['sh', '-c', 'sleep 0.6; test -n "$TOKEN" && echo has-token'], env: { TOKEN: secret } });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await processesWith(secret), []);
  assert.is((await running).stdout, 'has-token\n');
});

test('the working dir is the image\'s WorkingDir (made when missing), unless the request gives one', async () => {
  const fromImage = await runStep(executor, configured.reference, { command: ['pwd'] });
  assert.is(fromImage.stdout, '/srv/app\n');
  const fromRequest = await runStep(executor, configured.reference, { command: ['pwd'], workingDir: '/tmp' });
  assert.is(fromRequest.stdout, '/tmp\n');
  const root = await runStep(executor, plain.reference, { command: ['pwd'] });
  assert.is(root.stdout, '/\n');
});

test('entrypoint and cmd follow Kubernetes: command replaces ENTRYPOINT and drops CMD, args replace CMD', async () => {
  const image = configured.reference;
  assert.is((await runStep(executor, image, {})).stdout, 'from-entrypoint from-cmd\n');
  assert.is((await runStep(executor, image, { args: ['a1', 'a2'] })).stdout, 'from-entrypoint a1 a2\n');
  assert.is((await runStep(executor, image, { command: ['/bin/echo'] })).stdout, '\n');
  assert.is((await runStep(executor, image, { command: ['/bin/echo', 'c'], args: ['a'] })).stdout, 'c a\n');
});

test('a read-write bind shows the step\'s writes on this machine; a read-only one refuses them', async () => {
  const rw = join(work, 'rw');
  const ro = join(work, 'ro');
  mkdirSync(rw);
  mkdirSync(ro);
  writeFileSync(join(ro, 'input.txt'), 'given\n');
  const out = await runStep(executor, plain.reference, {
    command: ['sh', '-c', 'cat /in/input.txt > /out/copied.txt && if echo x > /in/written.txt; then echo WROTE; else echo refused; fi'],
    mounts: [
      { hostPath: rw, containerPath: '/out', readOnly: false },
      { hostPath: ro, containerPath: '/in', readOnly: true },
    ],
  });
  assert.is(out.exitCode, 0, out.stderr);
  assert.is(out.stdout, 'refused\n');
  assert.is(readFileSync(join(rw, 'copied.txt'), 'utf8'), 'given\n');
  assert.not.ok(existsSync(join(ro, 'written.txt')));
});

test('collect copies a file and a folder written anywhere (links kept as links); a path never written is left out', async () => {
  const dest = join(work, 'collected');
  const vol = join(work, 'vol');
  mkdirSync(vol);
  const out = await runStep(executor, plain.reference, {
    command: ['sh', '-c', 'echo digest > /tmp/image && mkdir -p /var/out/sub && echo a > /var/out/sub/a.txt && ln -s /etc/passwd /var/out/link && echo v > /data/v.txt'],
    mounts: [{ hostPath: vol, containerPath: '/data', readOnly: false }],
    collect: [
      { containerPath: '/tmp/image', hostPath: join(dest, 'image') },
      { containerPath: '/var/out', hostPath: join(dest, 'out') },
      { containerPath: '/data/v.txt', hostPath: join(dest, 'v.txt') },
      { containerPath: '/tmp/never', hostPath: join(dest, 'never') },
      { containerPath: '/etc/passwd', hostPath: join(dest, 'passwd') },
    ],
  });
  assert.is(out.exitCode, 0, out.stderr);
  assert.is(readFileSync(join(dest, 'image'), 'utf8'), 'digest\n');
  assert.is(readFileSync(join(dest, 'out', 'sub', 'a.txt'), 'utf8'), 'a\n');
  assert.ok(lstatSync(join(dest, 'out', 'link')).isSymbolicLink());
  assert.is(readlinkSync(join(dest, 'out', 'link')), '/etc/passwd');
  assert.is(readFileSync(join(dest, 'v.txt'), 'utf8'), 'v\n');
  assert.not.ok(existsSync(join(dest, 'never')));
  // A file of the image itself (not written by the step) comes from the cached root.
  assert.match(readFileSync(join(dest, 'passwd'), 'utf8'), /^root:x:0:0/);
});

test('a mount of a path that does not exist, and a collect onto an existing file, are ExecutorErrors naming the node', async () => {
  try {
    await runStep(executor, plain.reference, { node: 'lint', command: ['true'], mounts: [{ hostPath: join(work, 'absent'), containerPath: '/src', readOnly: true }] });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'EXE108');
    assert.match((error as Error).message, /node "lint".*absent.*"\/src" does not exist/);
  }
  const existing = join(work, 'existing.txt');
  writeFileSync(existing, 'keep me\n');
  try {
    await runStep(executor, plain.reference, { node: 'lint', command: ['sh', '-c', 'echo new > /tmp/o'], collect: [{ containerPath: '/tmp/o', hostPath: existing }] });
    assert.unreachable();
  } catch (error) {
    assert.is((error as { code?: string }).code, 'EXE109');
    assert.match((error as { hint: string }).hint, /never written over/);
  }
  assert.is(readFileSync(existing, 'utf8'), 'keep me\n');
});

test('a collected symbolic link pointing at an absolute path is resolved inside the root, not on this machine', async () => {
  const secret = join(work, 'host-secret.txt');
  writeFileSync(secret, 'host secret\n');
  const dest = join(work, 'escape');
  const out = await runStep(executor, plain.reference, {
    command: ['sh', '-c', `ln -s ${secret} /tmp/result`],
    collect: [{ containerPath: '/tmp/result', hostPath: dest }],
  });
  assert.is(out.exitCode, 0, out.stderr);
  assert.not.ok(existsSync(dest), 'the host file was copied out through the step\'s link');
});

async function withHttpServer<T>(use: (port: number) => Promise<T>): Promise<T> {
  const server: Server = createServer((_req, res) => res.end('reached-the-host\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const address = server.address();
    return await use(typeof address === 'object' && address ? address.port : 0);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

test('there is no network unless the run asks for it: a server on this machine\'s loopback is out of reach', async () => {
  await withHttpServer(async (port) => {
    const script = `wget -q -O - http://127.0.0.1:${port}/ && echo CONNECTED || echo unreachable`;
    const off = await runStep(executor, plain.reference, { command: ['sh', '-c', script] });
    assert.is(off.stdout.trim().split('\n').pop(), 'unreachable');
    const on = await runStep(executor, plain.reference, { command: ['sh', '-c', script], network: true });
    assert.is(on.stdout, 'reached-the-host\nCONNECTED\n');
  });
});

test('the step is in its own pid, uts and user namespaces: it sees its own processes, the node as host name, uid 0', async () => {
  const out = await runStep(executor, plain.reference, { node: 'build(0:Api_Server)', command: ['sh', '-c', 'ps -o pid,comm | wc -l; hostname; id -u'] });
  const [ps, host, uid] = out.stdout.trim().split('\n');
  assert.ok(Number(ps) <= 5, `ps listed ${ps} lines`);
  assert.is(host, 'build-0-api-server');
  assert.is(uid, '0');
});

test('a root step has the capabilities a container runtime gives by default, not all: it cannot mount', async () => {
  const out = await runStep(executor, plain.reference, { command: ['sh', '-c', 'grep CapEff /proc/self/status; mkdir -p /mnt/x; mount -t tmpfs none /mnt/x && echo MOUNTED || echo refused'] });
  assert.is(out.stdout, 'CapEff:\t00000000a80425fb\nrefused\n');
});

test('aborting stops the step with SIGTERM and leaves no process behind', async () => {
  const controller = new AbortController();
  const marker = '98761';
  const running = runStep(executor, plain.reference, { command: ['sh', '-c', `sleep ${marker} & sleep ${marker}`], signal: controller.signal });
  await new Promise((r) => setTimeout(r, 600));
  assert.ok((await processesWith(`sleep ${marker}`)).length >= 2, 'the step was not running');
  controller.abort();
  const result = await running;
  // SIGTERM was enough (143): the grace period did not run out into SIGKILL (137).
  assert.is(result.signal, 'SIGTERM');
  assert.is(result.exitCode, 143);
  // Nothing of the step is left: its processes, and the bubblewrap around them (whose command line holds the
  // step's argv). The zygote and the overlay it mounts ahead for the next step stay until the executor closes.
  assert.equal(await processesWith(`sleep ${marker}`), []);
});

test('a step that ignores SIGTERM is killed after the grace period, with everything it started', async () => {
  const controller = new AbortController();
  const marker = '98762';
  const running = runStep(executor, plain.reference, { command: ['sh', '-c', `trap "" TERM; sleep ${marker} & sleep ${marker}; sleep ${marker}`], signal: controller.signal });
  await new Promise((r) => setTimeout(r, 600));
  controller.abort();
  const result = await running;
  assert.is(result.exitCode, 137);
  assert.is(result.signal, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(await processesWith(`sleep ${marker}`), []);
});

test('when the process running the executor is killed outright, the sandbox goes with it', async () => {
  const marker = '98763';
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'fixtures', 'run-until-killed.ts'), plain.reference, join(work, 'cache'), marker], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
    child.once('exit', (code) => reject(new Error(`the fixture exited with ${code}`)));
  });
  assert.ok((await processesWith(`sleep ${marker}`)).length >= 2);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('close', r));
  const deadline = Date.now() + 2000;
  while ((await processesWith(`sleep ${marker}`)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await processesWith(`sleep ${marker}`), []);
});

test('two runs of the same image at once each get their own writable root', async () => {
  const [a, b] = await Promise.all(['one', 'two'].map((name) => runStep(executor, plain.reference, {
    command: ['sh', '-c', `echo ${name} > /tmp/who; sleep 0.3; cat /tmp/who`],
    collect: [{ containerPath: '/tmp/who', hostPath: join(work, `parallel-${name}`) }],
  })));
  assert.is(a?.stdout, 'one\n');
  assert.is(b?.stdout, 'two\n');
  assert.is(readFileSync(join(work, 'parallel-one'), 'utf8'), 'one\n');
  assert.is(readFileSync(join(work, 'parallel-two'), 'utf8'), 'two\n');
});

test('roots are mounted ahead in batches: each step still starts on a root no other step wrote, in a run folder with a space (escaped in the fstab), and close removes every root', async () => {
  const runDir = join(work, 'run folder');
  mkdirSync(runDir);
  const own = createSandboxExecutor({ cacheDir: join(work, 'cache'), runDir, killGraceMs: 1000 });
  try {
    // More steps than one batch (8), each checking that the marker of the one before is absent, then leaving its own.
    for (let i = 0; i < 11; i++) {
      const out = await runStep(own, plain.reference, { command: ['sh', '-c', `ls /marker-* 2>/dev/null; touch /marker-${i}; echo ok`] });
      assert.is(out.exitCode, 0);
      assert.is(out.stdout, 'ok\n', `step ${i} saw another step's files: ${out.stdout}`);
    }
  } finally {
    await own.close();
  }
  assert.equal(readdirSync(runDir), [], 'the mounted-ahead and used roots are all removed');
});

test('a missing bwrap is an ExecutorError naming it, with the install hint', async () => {
  const byPath = createSandboxExecutor({ cacheDir: join(work, 'cache'), bwrap: join(work, 'no-such-bwrap') });
  const noPath = createSandboxExecutor({ cacheDir: join(work, 'cache'), env: { PATH: join(work, 'empty-bin'), HOME: work } });
  for (const e of [byPath, noPath]) {
    try {
      await runStep(e, plain.reference, { command: ['true'] });
      assert.unreachable('ran without bwrap');
    } catch (error) {
      const err = error as { name: string; code: string; message: string; hint: string };
      assert.is(err.name, 'ExecutorError');
      assert.is(err.code, 'EXE101');
      assert.match(err.message, /bubblewrap/);
      assert.match(err.hint, /apt-get install bubblewrap/);
    }
  }
});

test.run();
