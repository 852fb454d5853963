import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxExecutor, ExecutorError } from '../../src/index.js';
import { freePort, startRegistry, type TestRegistry } from '../../../../test/support/registry.js';
import { busyboxLayer, pushBusyboxImage, pushTestImage, type BuiltImage } from '../../../../test/support/test-images.js';
import { runStep } from './sandbox-support.js';

// Images as the sandbox gets them: pulled from a real registry (an index, credentials from a Docker
// config), cached by digest, layers applied in order with OCI whiteouts, hostile layers refused, and a
// cache that no run can change.
const PASSWORD = 'sandbox-pull-pa55-7f1d';
let open: TestRegistry;
let locked: TestRegistry;
let work: string;
let busybox: BuiltImage;
const never = new AbortController().signal;

test.before(async () => {
  [open, locked] = await Promise.all([startRegistry({ name: 'sandbox-open' }), startRegistry({ name: 'sandbox-locked', htpasswd: { puller: PASSWORD } })]);
  busybox = await pushBusyboxImage(open, 'tools/busybox', { index: true, tag: '1.35' });
  work = mkdtempSync(join(tmpdir(), 'argots-sandbox-images-'));
});
test.after(async () => {
  // Each executor's zygote holds overlay roots mounted ahead: closing unmounts and removes them.
  await Promise.all(executors.map((e) => e.close()));
  await Promise.all([open?.close(), locked?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

const executors: ReturnType<typeof createSandboxExecutor>[] = [];
function fresh(name: string, options: Parameters<typeof createSandboxExecutor>[0] = {}): ReturnType<typeof createSandboxExecutor> {
  const executor = createSandboxExecutor({ cacheDir: join(work, name), killGraceMs: 500, ...options });
  executors.push(executor);
  return executor;
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

/** Every path under `dir` with its kind, mode and content hash (or link target). */
function treeOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const stat = lstatSync(path);
      const what = stat.isSymbolicLink() ? `-> ${readlinkSync(path)}` : stat.isDirectory() ? 'dir' : createHash('sha256').update(readFileSync(path)).digest('hex');
      out.push(`${rel}${name} ${(stat.mode & 0o7777).toString(8)} ${stat.mtimeMs} ${what}`);
      if (stat.isDirectory()) walk(path, `${rel}${name}/`);
    }
  };
  walk(dir, '');
  return out;
}

test('an image behind an index is pulled for linux/amd64 into the cache, blobs by digest and the root unpacked', async () => {
  const executor = fresh('index');
  await executor.prepare(busybox.reference, { signal: never });
  const out = await runStep(executor, busybox.reference, { command: ['sh', '-c', 'echo $(ls /bin | wc -l) applets'] });
  assert.is(out.exitCode, 0, out.stderr);
  assert.match(out.stdout, /^\d+ applets\n$/);
  const cache = join(work, 'index');
  assert.ok(existsSync(join(cache, 'roots', busybox.digest.slice(7), 'rootfs', 'bin', 'busybox')), 'the amd64 manifest was not the one unpacked');
  assert.ok(readdirSync(join(cache, 'blobs', 'sha256')).length >= 2);
  assert.equal(readdirSync(join(cache, 'roots')), [busybox.digest.slice(7)], 'no temporary folder left behind');
  // By digest (the index's), the same root serves without another unpack.
  const pinned = await runStep(executor, busybox.pinned, { command: ['true'] });
  assert.is(pinned.exitCode, 0);
  assert.equal(readdirSync(join(cache, 'roots')), [busybox.digest.slice(7)]);
});

test('a second executor on the same cache runs without the registry (IfNotPresent), and Never refuses an image not cached', async () => {
  const cacheName = 'offline';
  await fresh(cacheName).prepare(busybox.reference, { signal: never });
  const offline = fresh(cacheName, { plainHttp: () => false }); // any network use would fail (https to a plain registry)
  const out = await runStep(offline, busybox.reference, { command: ['echo', 'cached'], imagePullPolicy: 'IfNotPresent' });
  assert.is(out.stdout, 'cached\n');
  // Pinned by the index's digest: once pulled, the platform manifest it stands for is remembered.
  await fresh(cacheName).prepare(busybox.pinned, { signal: never });
  const pinned = await runStep(fresh(cacheName, { plainHttp: () => false }), busybox.pinned, { command: ['echo', 'pinned'] });
  assert.is(pinned.stdout, 'pinned\n');
  const err = await failure(() => runStep(fresh('empty'), busybox.reference, { command: ['true'], imagePullPolicy: 'Never' }));
  assert.is(err.code, 'EXE104');
  assert.match(err.message, /is not in the image cache/);
});

test('layers are applied in order: a whiteout removes a lower file, an opaque folder hides the lower content, an upper file overrides', async () => {
  const image = await pushBusyboxImage(open, 'tools/whiteouts', {
    extraLayers: [
      [
        { path: 'data/', type: 'dir' },
        { path: 'data/keep.txt', type: 'file', content: 'lower\n' },
        { path: 'data/gone.txt', type: 'file', content: 'to be removed\n' },
        { path: 'data/gone-dir/', type: 'dir' },
        { path: 'data/gone-dir/inner.txt', type: 'file', content: 'inner\n' },
        { path: 'opaque/', type: 'dir' },
        { path: 'opaque/old.txt', type: 'file', content: 'old\n' },
        { path: 'opaque/sub/', type: 'dir' },
        { path: 'opaque/sub/old2.txt', type: 'file', content: 'old2\n' },
        { path: 'bin/original', type: 'file', content: 'x', mode: 0o755 },
        { path: 'bin/hard', type: 'hardlink', target: 'bin/original' },
      ],
      [
        // The layer's own entries come before its whiteouts here: whiteouts apply to lower layers only.
        { path: 'opaque/new.txt', type: 'file', content: 'new\n' },
        { path: 'opaque/.wh..wh..opq', type: 'file', content: '' },
        { path: 'data/.wh.gone.txt', type: 'file', content: '' },
        { path: 'data/.wh.gone-dir', type: 'file', content: '' },
        { path: 'data/keep.txt', type: 'file', content: 'upper\n' },
      ],
    ],
  });
  const executor = fresh('whiteouts');
  const out = await runStep(executor, image.reference, { command: ['sh', '-c', 'ls -a /data /opaque | tr "\\n" " "; cat /data/keep.txt; stat -c %h /bin/hard'] });
  assert.is(out.exitCode, 0, out.stderr);
  assert.is(out.stdout, '/data: . .. keep.txt  /opaque: . .. new.txt upper\n2\n');
});

test('zstd-compressed layers are unpacked too', async () => {
  const image = await pushBusyboxImage(open, 'tools/zstd', { compression: 'zstd', extraLayers: [[{ path: 'hello.txt', type: 'file', content: 'from zstd\n' }]] });
  const out = await runStep(fresh('zstd'), image.reference, { command: ['cat', '/hello.txt'] });
  assert.is(out.stdout, 'from zstd\n', out.stderr);
});

test('a layer whose paths climb out of the root is refused, and nothing is written outside the root', async () => {
  const outside = join(work, 'outside');
  mkdirSync(outside);
  const climbing = await pushBusyboxImage(open, 'tools/climbing', { extraLayers: [[{ path: '../../../../../../..' + join(outside, 'pwned'), type: 'file', content: 'x' }]] });
  const err = await failure(() => fresh('climbing').prepare(climbing.reference, { signal: never }));
  assert.is(err.code, 'EXE105');
  assert.match(err.message, /tools\/climbing.*leaves the root/);
  assert.equal(readdirSync(outside), []);
  assert.equal(readdirSync(join(work, 'climbing', 'roots')), [], 'a half-unpacked root was left in the cache');
  // A link to an absolute path, then a file written through it: the file lands inside the root.
  const linked = await pushBusyboxImage(open, 'tools/linked', { extraLayers: [[{ path: 'escape', type: 'symlink', target: outside }], [{ path: 'escape/pwned', type: 'file', content: 'x' }]] });
  const executor = fresh('linked');
  const out = await runStep(executor, linked.reference, { command: ['cat', `${outside}/pwned`] });
  assert.is(out.stdout, 'x');
  assert.equal(readdirSync(outside), []);
});

test('no run changes the cached image: writes, deletions and mode changes stay in the run', async () => {
  const executor = fresh('immutable');
  await executor.prepare(busybox.reference, { signal: never });
  const rootfs = join(work, 'immutable', 'roots', busybox.digest.slice(7), 'rootfs');
  const before = treeOf(rootfs);
  const out = await runStep(executor, busybox.reference, {
    command: ['sh', '-c', 'echo more >> /etc/passwd && rm /bin/cat && chmod 777 /etc && touch /etc/group && echo new > /new && mkdir /tmp/d && rm -rf /root && echo done'],
  });
  assert.is(out.stdout, 'done\n', out.stderr);
  assert.equal(treeOf(rootfs), before);
  const again = await runStep(executor, busybox.reference, { command: ['sh', '-c', 'test -e /bin/cat && test ! -e /new && grep -c . /etc/passwd'] });
  assert.is(again.stdout, '2\n');
});

test('the image config\'s USER is the uid the step runs as', async () => {
  const image = await pushBusyboxImage(open, 'tools/nobody', { config: { Env: ['PATH=/bin'], User: 'nobody' } });
  const out = await runStep(fresh('user'), image.reference, { command: ['id'] });
  assert.is(out.stdout, 'uid=65534(nobody) gid=65534(nogroup)\n');
});

test('credentials for the registry come from the Docker config; without them the pull is refused, naming image and registry', async () => {
  const image = await pushTestImage({ url: locked.url, host: locked.host, authorization: (scope) => locked.authorization(scope) }, 'private/busybox', {
    layers: [busyboxLayer()],
    config: { Env: ['PATH=/bin'] },
  });
  const denied = await failure(() => fresh('anonymous', { env: { HOME: join(work, 'no-home'), PATH: process.env['PATH'] ?? '' } }).prepare(image.reference, { signal: never }));
  assert.is(denied.code, 'EXE103', denied.message);
  assert.match(denied.message, new RegExp(`"${image.reference}".*"${locked.host.replace('.', '\\.')}".*access refused`));
  assert.match(denied.hint, /log in|credential/);
  const config = join(work, 'docker-config');
  mkdirSync(config);
  writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from(`puller:${PASSWORD}`).toString('base64') } } }));
  const executor = fresh('authenticated', { env: { DOCKER_CONFIG: config, PATH: process.env['PATH'] ?? '' } });
  const out = await runStep(executor, image.reference, { command: ['echo', 'pulled'] });
  assert.is(out.stdout, 'pulled\n');
  // A wrong password: refused, and the password appears nowhere in the error.
  writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [locked.host]: { auth: Buffer.from('puller:wrong-secret-9a8b').toString('base64') } } }));
  const wrong = await failure(() => fresh('wrong', { env: { DOCKER_CONFIG: config, PATH: process.env['PATH'] ?? '' } }).prepare(image.reference, { signal: never }));
  assert.is(wrong.code, 'EXE103');
  assert.not.match(`${wrong.message} ${wrong.hint}`, /wrong-secret-9a8b/);
});

test('a pull aborted midway is an AbortError and leaves nothing half-written in the cache', async () => {
  const image = await pushBusyboxImage(open, 'tools/aborted', { extraLayers: [[{ path: 'big.bin', type: 'file', content: randomBytes(4_000_000) }]] });
  const executor = fresh('aborted');
  await executor.available();
  const controller = new AbortController();
  const pulling = executor.prepare(image.reference, { signal: controller.signal });
  setTimeout(() => controller.abort(), 15);
  try {
    await pulling;
    assert.unreachable('the pull finished before the abort');
  } catch (error) {
    assert.is((error as Error).name, 'AbortError');
  }
  const cache = join(work, 'aborted');
  const leftovers = ['blobs/sha256', 'roots'].flatMap((d) => (existsSync(join(cache, d)) ? readdirSync(join(cache, d)) : [])).filter((n) => n.includes('.tmp') || n.startsWith('.'));
  assert.equal(leftovers, []);
  assert.not.ok(existsSync(join(cache, 'roots', image.digest.slice(7))));
  // The next pull, not aborted, succeeds.
  const out = await runStep(fresh('aborted'), image.reference, { command: ['sh', '-c', 'wc -c < /big.bin'] });
  assert.is(out.stdout.trim(), '4000000');
});

test('an image that cannot be pulled is an ExecutorError naming the image and the registry', async () => {
  const unknown = await failure(() => fresh('unknown').prepare(`${open.host}/no/such-repo:1.0`, { signal: never }));
  assert.is(unknown.code, 'EXE103');
  assert.match(unknown.message, new RegExp(`image "${open.host}/no/such-repo:1.0" could not be pulled from registry "${open.host}": not found`));
  assert.match(unknown.hint, /repository and the tag exist/);
  const port = await freePort();
  const unreachable = await failure(() => fresh('unreachable', { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }).prepare(`127.0.0.1:${port}/tools/busybox:1`, { signal: never }));
  assert.is(unreachable.code, 'EXE103');
  assert.match(unreachable.message, new RegExp(`"127\\.0\\.0\\.1:${port}/tools/busybox:1" could not be pulled from registry "127\\.0\\.0\\.1:${port}"`));
  assert.match(unreachable.hint, /reachable/);
  const invalid = await failure(() => fresh('invalid').prepare('Not A Reference', { signal: never }));
  assert.is(invalid.code, 'EXE102');
});

test.run();
