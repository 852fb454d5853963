import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { promoteImage, type PromoteImageResult } from '../../src/promote/promote-image.js';
import { RuntimeError } from '../../src/runtime-error.js';
import { startRegistry, type TestRegistry } from '../../../../test/support/registry.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../../../../test/support/fault-proxy.js';
import { fetchManifest, hasBlob, pushImage, pushIndex, type PushedManifest } from '../../../../test/support/oci-images.js';

// Faults injected by a proxy in front of real registries. Each promotion either completes with the source
// digest verified in the target, or fails clearly; the target tag never points at anything else.
let dev: TestRegistry;
let staging: TestRegistry;
let devProxy: FaultProxy;
let stagingProxy: FaultProxy;
const RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 40 };
let counter = 0;

test.before(async () => {
  [dev, staging] = await Promise.all([startRegistry({ name: 'dev' }), startRegistry({ name: 'staging' })]);
  [devProxy, stagingProxy] = await Promise.all([startFaultProxy(dev.url), startFaultProxy(staging.url)]);
});
test.after(async () => {
  await Promise.all([devProxy?.close(), stagingProxy?.close()]);
  await Promise.all([dev?.close(), staging?.close()]);
});

async function image(): Promise<{ repo: string; pushed: PushedManifest }> {
  const repo = `shop/faulty-${++counter}`;
  const pushed = await pushImage({ url: dev.url }, repo, { layers: [{ file: 'a', content: `layer a ${counter}` }, { size: 256 * 1024, seed: `faulty-${counter}` }], tag: '1.0.0' });
  return { repo, pushed };
}

async function promoteThroughProxies(repo: string, sourceRules: FaultRule[], targetRules: FaultRule[], options: { mutableTags?: boolean; log?: string[] } = {}): Promise<PromoteImageResult> {
  devProxy.setRules(sourceRules);
  stagingProxy.setRules(targetRules);
  const src = new RegistryClient({ registry: devProxy.host, scheme: 'http', retry: RETRY, timeoutMs: 2000 });
  const dst = new RegistryClient({ registry: stagingProxy.host, scheme: 'http', retry: RETRY, timeoutMs: 2000 });
  try {
    return await promoteImage({
      source: { client: src, repository: repo, reference: '1.0.0' },
      target: { client: dst, repository: repo, tag: '1.0.0' },
      mutableTags: options.mutableTags ?? false,
      retry: RETRY,
      ...(options.log ? { log: (m: string) => void options.log?.push(m) } : {}),
    });
  } finally {
    src.close();
    dst.close();
  }
}

const BLOB_GET = { method: 'GET', path: /\/blobs\/sha256:/ };

test('given 429s with Retry-After and 500s on every kind of request, the promotion completes with the source digest', async () => {
  const { repo, pushed } = await image();
  const result = await promoteThroughProxies(repo, [
    { method: 'HEAD', fault: { kind: 'status', status: 429, retryAfter: '0' } },
    { ...BLOB_GET, fault: { kind: 'status', status: 503 } },
    { method: 'GET', path: /\/manifests\//, fault: { kind: 'status', status: 500 } },
  ], [
    { method: 'HEAD', path: /\/blobs\//, fault: { kind: 'status', status: 429, retryAfter: '0' }, times: 2 },
    { method: 'POST', fault: { kind: 'status', status: 502 } },
    { method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 500 } },
    { method: 'PUT', path: /\/manifests\//, fault: { kind: 'status', status: 503 }, times: 2 },
  ]);
  assert.is(result.digest, pushed.digest);
  assert.ok(devProxy.log.some((l) => l.fault === 'status') && stagingProxy.log.filter((l) => l.fault === 'status').length >= 5, 'the faults were injected');
  assert.is((await fetchManifest({ url: staging.url }, repo, '1.0.0'))?.digest, pushed.digest);
});

test('given dropped connections while reading and writing, the promotion completes', async () => {
  const { repo, pushed } = await image();
  const result = await promoteThroughProxies(repo, [
    { ...BLOB_GET, fault: { kind: 'drop' }, times: 2 },
  ], [
    { method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'drop' } },
    { method: 'HEAD', path: /\/manifests\/sha256/, fault: { kind: 'drop' } },
  ]);
  assert.is(result.digest, pushed.digest);
  assert.is((await fetchManifest({ url: staging.url }, repo, '1.0.0'))?.digest, pushed.digest);
});

test('given a truncated and a corrupted blob body, each blob is fetched again and only the right bytes are stored', async () => {
  const { repo, pushed } = await image();
  const result = await promoteThroughProxies(repo, [
    { ...BLOB_GET, fault: { kind: 'truncate' } },
    { ...BLOB_GET, fault: { kind: 'corrupt' } },
    { method: 'GET', path: /\/manifests\/sha256/, fault: { kind: 'corrupt' } },
  ], []);
  assert.is(result.digest, pushed.digest);
  assert.is(devProxy.log.filter((l) => l.fault === 'truncate' || l.fault === 'corrupt').length, 3);
  for (const l of pushed.layers) assert.ok(await hasBlob({ url: staging.url }, repo, l.digest));
  assert.is((await fetchManifest({ url: staging.url }, repo, '1.0.0'))?.digest, pushed.digest);
});

test('given a blob that is corrupted every time, the promotion fails naming the blob and writes no tag', async () => {
  const { repo, pushed } = await image();
  const big = pushed.layers[1]?.digest ?? '';
  try {
    await promoteThroughProxies(repo, [{ method: 'GET', path: new RegExp(`/blobs/${big}`), fault: { kind: 'corrupt' }, times: Infinity }], []);
    assert.unreachable('expected the promotion to fail');
  } catch (error) {
    assert.instance(error, RuntimeError);
    assert.is((error as RuntimeError).code, 'RUN520');
    assert.match((error as RuntimeError).message, big);
    assert.match((error as RuntimeError).message, /expected digest/);
  }
  assert.not.ok(await hasBlob({ url: staging.url }, repo, big), 'the corrupted bytes were never stored');
  assert.is(await fetchManifest({ url: staging.url }, repo, '1.0.0'), undefined, 'no tag');
});

test('given a registry that keeps failing to store an index, no tag is written and a re-run completes it', async () => {
  const repo = `shop/faulty-index-${++counter}`;
  const index = await pushIndex({ url: dev.url }, repo, {
    platforms: [
      { layers: [{ file: 'x', content: 'amd64 faulty' }], platform: { os: 'linux', architecture: 'amd64' }, label: 'fi-amd64' },
      { layers: [{ file: 'y', content: 'arm64 faulty' }], platform: { os: 'linux', architecture: 'arm64' }, label: 'fi-arm64' },
    ],
    tag: '1.0.0',
  });
  try {
    await promoteThroughProxies(repo, [], [{ method: 'PUT', path: new RegExp(`/manifests/${index.digest}`), fault: { kind: 'status', status: 500 }, times: Infinity }]);
    assert.unreachable('expected the promotion to fail');
  } catch (error) {
    assert.instance(error, RuntimeError);
    assert.match((error as RuntimeError).message, /failed after 4 attempts/);
    assert.match((error as RuntimeError).hint ?? '', /re-running the step is safe/);
  }
  assert.is(await fetchManifest({ url: staging.url }, repo, '1.0.0'), undefined, 'no tag while the index is missing');
  const result = await promoteThroughProxies(repo, [], []);
  assert.is(result.digest, index.digest);
  assert.is(result.manifestsCopied, 1, 'the platform manifests were already there; only the index was written');
  assert.is((await fetchManifest({ url: staging.url }, repo, '1.0.0'))?.digest, index.digest);
});

test('given a target that refuses whole blobs in one PUT (413), the blobs are uploaded in chunks instead', async () => {
  const { repo, pushed } = await image();
  const result = await promoteThroughProxies(repo, [], [
    { method: 'PUT', path: /\/blobs\/uploads\//, withBody: true, fault: { kind: 'status', status: 413 }, times: Infinity },
  ]);
  assert.is(result.digest, pushed.digest);
  assert.ok(stagingProxy.log.some((l) => l.method === 'PATCH'), 'chunks were sent with PATCH');
  for (const l of pushed.layers) assert.ok(await hasBlob({ url: staging.url }, repo, l.digest));
});

test('given an immutable tag set by someone else while the image was copied, the tag is not moved', async () => {
  const { repo, pushed } = await image();
  const promotion = promoteThroughProxies(repo, [], [{ method: 'PUT', path: /\/manifests\/sha256:/, fault: { kind: 'delay', ms: 1500 } }]);
  // Wait until the manifest is on its way (the tag was checked and found free), then tag something else.
  for (let waited = 0; !stagingProxy.log.some((l) => l.method === 'PUT' && l.fault === 'delay'); waited += 10) {
    if (waited > 20_000) assert.unreachable('the promotion never reached the manifest PUT');
    await new Promise((r) => setTimeout(r, 10));
  }
  const other = await pushImage({ url: staging.url }, repo, { layers: [{ file: 'o', content: 'other' }], tag: '1.0.0', label: 'meanwhile' });
  try {
    await promotion;
    assert.unreachable('expected RUN510');
  } catch (error) {
    assert.instance(error, RuntimeError);
    assert.is((error as RuntimeError).code, 'RUN510');
    assert.match((error as RuntimeError).message, other.digest);
    assert.match((error as RuntimeError).message, /while .* was being promoted/, 'caught by the check just before the tag is written');
  }
  assert.is((await fetchManifest({ url: staging.url }, repo, '1.0.0'))?.digest, other.digest);
  assert.ok(await fetchManifest({ url: staging.url }, repo, pushed.digest), 'the promoted image is there by digest, untagged');
});

const BLOB_UPLOAD = { method: 'PUT', path: /\/blobs\/uploads\//, withBody: true };

test('given blob and manifest uploads corrupted or cut short on the way to the target, each is sent again and the right bytes are stored', async () => {
  const { repo, pushed } = await image();
  const log: string[] = [];
  const result = await promoteThroughProxies(repo, [], [
    { ...BLOB_UPLOAD, fault: { kind: 'corrupt-request' } },
    { ...BLOB_UPLOAD, fault: { kind: 'truncate-request' } },
    { method: 'PUT', path: /\/manifests\/sha256:/, fault: { kind: 'corrupt-request' } },
  ], { log });
  assert.is(result.digest, pushed.digest);
  assert.is(stagingProxy.log.filter((l) => l.fault?.endsWith('-request')).length, 3, 'the faults were injected');
  assert.ok(log.some((l) => /fetching it again/.test(l)) && log.some((l) => /sending it again/.test(l)), log.join('\n'));
  for (const l of pushed.layers) assert.ok(await hasBlob({ url: staging.url }, repo, l.digest));
  assert.is((await fetchManifest({ url: staging.url }, repo, '1.0.0'))?.digest, pushed.digest);
});

test('given a registry that accepts a changed tag write, the tag is read back, found wrong and written again', async () => {
  const { repo, pushed } = await image();
  const other = Buffer.concat([pushed.bytes, Buffer.from('\n')]); // valid JSON, another digest, same blobs
  const log: string[] = [];
  const result = await promoteThroughProxies(repo, [], [{ method: 'PUT', path: /\/manifests\/1\.0\.0$/, fault: { kind: 'replace-request', body: other } }], { log });
  assert.is(result.digest, pushed.digest);
  assert.ok(log.some((l) => /was written but points at sha256:/.test(l)), log.join('\n'));
  assert.is((await fetchManifest({ url: staging.url }, repo, '1.0.0'))?.digest, pushed.digest, 'the tag is on the promoted digest, not the changed write');
  // A re-run with immutable tags is not stuck: the tag is right, so it is a no-op.
  assert.is((await promoteThroughProxies(repo, [], [])).alreadyPromoted, true);
});

test('given a registry that changes every tag write of the promotion, it fails with RUN512 and a mutable tag is put back where it was', async () => {
  const { repo, pushed } = await image();
  const before = await pushImage({ url: staging.url }, repo, { layers: [{ file: 'b', content: 'before' }], tag: '1.0.0', label: 'before' });
  const other = Buffer.concat([pushed.bytes, Buffer.from('\n')]);
  try {
    await promoteThroughProxies(repo, [], [{ method: 'PUT', path: /\/manifests\/1\.0\.0$/, fault: { kind: 'replace-request', body: other }, times: RETRY.attempts }], { mutableTags: true });
    assert.unreachable('expected RUN512');
  } catch (error) {
    assert.instance(error, RuntimeError);
    assert.is((error as RuntimeError).code, 'RUN512');
    assert.match((error as RuntimeError).message, `could not be set to ${pushed.digest}`);
    assert.match((error as RuntimeError).message, `put back on ${before.digest}`);
  }
  assert.is((await fetchManifest({ url: staging.url }, repo, '1.0.0'))?.digest, before.digest);
});

test('given a mutable tag that pointed at another image, the promotion moves it and records the digest it replaced', async () => {
  const { repo, pushed } = await image();
  const before = await pushImage({ url: staging.url }, repo, { layers: [{ file: 'c', content: 'previous staging image' }], tag: '1.0.0', label: 'previous' });
  const log: string[] = [];
  const result = await promoteThroughProxies(repo, [], [], { mutableTags: true, log });
  assert.is(result.replaced, before.digest);
  assert.ok(log.includes(`tag "${stagingProxy.host}/${repo}:1.0.0" moved from ${before.digest} to ${pushed.digest}`), log.join('\n'));
  const again = await promoteThroughProxies(repo, [], [], { mutableTags: true });
  assert.is(again.alreadyPromoted, true);
  assert.is(again.replaced, undefined, 'nothing replaced when the tag was already right');
});

test.run();
