import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { dockerConfigCredentials, type RegistryCredentials } from '../../src/oci/credentials.js';
import { promoteImage } from '../../src/promote/promote-image.js';
import { promoteBetweenEnvironments } from '../../src/promote/promote-between-environments.js';
import { RuntimeError } from '../../src/runtime-error.js';
import { startRegistry, type TestRegistry } from '../../../../test/support/registry.js';
import { fetchManifest, hasBlob, pushCosignArtifact, pushImage, pushIndex, type PushTarget } from '../../../../test/support/oci-images.js';

// Three real registries, as in a real installation: dev and staging anonymous, prod behind token auth.
let dev: TestRegistry;
let staging: TestRegistry;
let prod: TestRegistry;
const CI = { username: 'ci', password: 'prod-push-secret-9f2c' };
const REFRESH = 'refresh-token-identity-8e21';

const target = (r: TestRegistry): PushTarget => ({ url: r.url, authorization: (s) => r.authorization(s) });
const client = (r: TestRegistry, extra: { scopes?: string[]; credentials?: RegistryCredentials | undefined } = {}): RegistryClient =>
  new RegistryClient({ registry: r.host, scheme: 'http', retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 }, ...extra });

test.before(async () => {
  [dev, staging, prod] = await Promise.all([
    startRegistry({ name: 'dev' }),
    startRegistry({ name: 'staging' }),
    startRegistry({ name: 'prod', tokenAuth: { ci: { password: CI.password }, acr: { password: 'unused-pw-1', refreshToken: REFRESH } } }),
  ]);
});
test.after(async () => {
  await Promise.all([dev?.close(), staging?.close(), prod?.close()]);
});

test('given a single-platform image tagged on dev, promoting it to staging copies it byte for byte and tags it last', async () => {
  const image = await pushImage(target(dev), 'shop/api', {
    layers: [{ file: 'app.txt', content: 'hello' }, { size: 300_000, seed: 'api-1' }],
    tag: '1.0.0',
    foreignLayer: true,
  });
  const [src, dst] = [client(dev), client(staging)];
  try {
    const result = await promoteImage({
      source: { client: src, repository: 'shop/api', reference: '1.0.0' },
      target: { client: dst, repository: 'shop/api', tag: '1.0.0' },
      mutableTags: true,
    });
    assert.is(result.digest, image.digest);
    assert.is(result.reference, `${staging.host}/shop/api:1.0.0@${image.digest}`);
    assert.is(result.alreadyPromoted, false);
    assert.equal(result.blobs, { copied: 3, mounted: 0, present: 0, foreign: 1 }, 'config + 2 layers copied, the foreign layer left alone');
    const copied = await fetchManifest(target(staging), 'shop/api', '1.0.0');
    assert.ok(copied);
    assert.ok(copied.bytes.equals(image.bytes), 'the manifest bytes are identical');
    for (const layer of image.layers.slice(0, 2)) assert.ok(await hasBlob(target(staging), 'shop/api', layer.digest));
    assert.not.ok(await hasBlob(target(staging), 'shop/api', image.layers[2]?.digest ?? ''), 'the foreign layer was not pushed');
  } finally {
    src.close();
    dst.close();
  }
});

test('given a finished promotion, running it again is a no-op in at most 3 requests with the same result', async () => {
  const image = await pushImage(target(dev), 'shop/again', { layers: [{ file: 'a', content: 'again' }], tag: 'v1' });
  const run = async (): Promise<{ result: Awaited<ReturnType<typeof promoteImage>>; requests: number }> => {
    const [src, dst] = [client(dev), client(staging)];
    try {
      const result = await promoteImage({
        source: { client: src, repository: 'shop/again', reference: 'v1' },
        target: { client: dst, repository: 'shop/again', tag: 'v1' },
        mutableTags: false,
      });
      return { result, requests: src.stats.requests + dst.stats.requests };
    } finally {
      src.close();
      dst.close();
    }
  };
  const first = await run();
  const second = await run();
  assert.is(first.result.alreadyPromoted, false);
  assert.is(second.result.alreadyPromoted, true);
  assert.is(second.result.digest, image.digest);
  assert.is(second.result.reference, first.result.reference);
  assert.ok(second.requests <= 3, `expected at most 3 HTTP requests, received ${second.requests}`);
});

test('given a two-platform index, promoting it copies every platform first and keeps the index digest', async () => {
  const index = await pushIndex(target(dev), 'shop/web', {
    platforms: [
      { layers: [{ file: 'amd64', content: 'x86' }], platform: { os: 'linux', architecture: 'amd64' }, label: 'web-amd64' },
      { layers: [{ file: 'arm64', content: 'arm' }], platform: { os: 'linux', architecture: 'arm64' }, label: 'web-arm64' },
    ],
    tag: '2.0.0',
  });
  const [src, dst] = [client(dev), client(staging)];
  try {
    const result = await promoteImage({
      source: { client: src, repository: 'shop/web', reference: '2.0.0' },
      target: { client: dst, repository: 'shop/web', tag: '2.0.0' },
      mutableTags: true,
    });
    assert.is(result.digest, index.digest);
    assert.is(result.manifestsCopied, 3);
    const copied = await fetchManifest(target(staging), 'shop/web', '2.0.0');
    assert.is(copied?.digest, index.digest);
    for (const child of index.children) {
      const c = await fetchManifest(target(staging), 'shop/web', child.digest);
      assert.ok(c?.bytes.equals(child.bytes), `platform manifest ${child.digest} copied byte for byte`);
    }
  } finally {
    src.close();
    dst.close();
  }
});

test('given Docker v2 media types, the manifest list and its manifests keep their media types and digests', async () => {
  const list = await pushIndex(target(dev), 'shop/legacy', {
    format: 'docker',
    platforms: [
      { layers: [{ file: 'a', content: 'docker-amd64' }], platform: { os: 'linux', architecture: 'amd64' }, label: 'legacy-amd64' },
      { layers: [{ file: 'b', content: 'docker-arm64' }], platform: { os: 'linux', architecture: 'arm64' }, label: 'legacy-arm64' },
    ],
    tag: 'old',
  });
  const [src, dst] = [client(dev), client(staging)];
  try {
    const result = await promoteImage({
      source: { client: src, repository: 'shop/legacy', reference: 'old' },
      target: { client: dst, repository: 'shop/legacy', tag: 'old' },
      mutableTags: true,
    });
    assert.is(result.digest, list.digest);
    const copied = await fetchManifest(target(staging), 'shop/legacy', 'old');
    assert.is(copied?.contentType, 'application/vnd.docker.distribution.manifest.list.v2+json');
    assert.ok(copied?.bytes.equals(list.bytes));
  } finally {
    src.close();
    dst.close();
  }
});

test('given two repositories on one registry host, promotion mounts every blob and moves zero layer bytes', async () => {
  const image = await pushImage(target(dev), 'dev/orders', { layers: [{ size: 200_000, seed: 'orders-1' }, { size: 100_000, seed: 'orders-2' }], tag: '3.1.0' });
  const [src, dst] = [client(dev), client(dev)];
  try {
    const result = await promoteImage({
      source: { client: src, repository: 'dev/orders', reference: image.digest },
      target: { client: dst, repository: 'qa/orders', tag: '3.1.0' },
      mutableTags: true,
    });
    assert.equal(result.blobs, { copied: 0, mounted: 3, present: 0, foreign: 0 });
    assert.is(result.bytesCopied, 0);
    assert.is(src.stats.bytesDownloaded + dst.stats.bytesUploaded < 10_000, true, 'only manifests moved');
    assert.is((await fetchManifest(target(dev), 'qa/orders', '3.1.0'))?.digest, image.digest);
  } finally {
    src.close();
    dst.close();
  }
});

test('given prod behind token auth, promotion asks for pull on the source and push on the target, and copies', async () => {
  const image = await pushImage(target(staging), 'shop/pay', { layers: [{ file: 'pay', content: 'pay v1' }], tag: '1.2.3' });
  const src = client(staging);
  const dst = client(prod, { credentials: CI, scopes: ['repository:shop/pay:pull,push'] });
  try {
    const result = await promoteImage({
      source: { client: src, repository: 'shop/pay', reference: '1.2.3' },
      target: { client: dst, repository: 'shop/pay', tag: '1.2.3' },
      mutableTags: false,
    });
    assert.is(result.digest, image.digest);
    assert.ok(prod.tokenRequests.some((r) => r.user === 'ci' && r.scopes.includes('repository:shop/pay:pull,push')));
    assert.is((await fetchManifest(target(prod), 'shop/pay', '1.2.3'))?.digest, image.digest);
  } finally {
    src.close();
    dst.close();
  }
});

test('given wrong credentials for prod, promotion fails naming the registry and never shows the password', async () => {
  await pushImage(target(staging), 'shop/deny', { layers: [{ file: 'x', content: 'deny' }], tag: '1' });
  const src = client(staging);
  const dst = client(prod, { credentials: { username: 'ci', password: 'not-the-password-123' } });
  try {
    await promoteImage({ source: { client: src, repository: 'shop/deny', reference: '1' }, target: { client: dst, repository: 'shop/deny', tag: '1' }, mutableTags: false });
    assert.unreachable('expected the promotion to be refused');
  } catch (error) {
    assert.instance(error, RuntimeError);
    const e = error as RuntimeError;
    assert.match(e.message, prod.host);
    assert.match(e.hint ?? '', /password or token of user "ci" is wrong or has expired/, 'a wrong password is named as such, not as missing rights');
    assert.not.match(`${e.message} ${e.hint ?? ''}`, 'not-the-password-123');
  } finally {
    src.close();
    dst.close();
  }
});

test('given an immutable target tag that points at another digest, promotion is refused and the tag is unchanged', async () => {
  const old = await pushImage(target(staging), 'shop/cart', { layers: [{ file: 'c', content: 'cart old' }], tag: '5.0.0', label: 'old' });
  await pushImage(target(prod), 'shop/cart', { layers: [{ file: 'c', content: 'cart old' }], tag: '5.0.0', label: 'old' });
  const fresh = await pushImage(target(staging), 'shop/cart', { layers: [{ file: 'c', content: 'cart new' }], tag: '5.0.0-new', label: 'new' });
  const src = client(staging);
  const dst = client(prod, { credentials: CI });
  try {
    await promoteImage({ source: { client: src, repository: 'shop/cart', reference: '5.0.0-new' }, target: { client: dst, repository: 'shop/cart', tag: '5.0.0' }, mutableTags: false });
    assert.unreachable('expected RUN510');
  } catch (error) {
    assert.instance(error, RuntimeError);
    assert.is((error as RuntimeError).code, 'RUN510');
    assert.match((error as RuntimeError).message, fresh.digest);
  } finally {
    src.close();
    dst.close();
  }
  assert.is((await fetchManifest(target(prod), 'shop/cart', '5.0.0'))?.digest, old.digest);
});

test('given a mutable environment, the same move is allowed and the tag points at the new digest', async () => {
  const fresh = await pushImage(target(dev), 'shop/cart', { layers: [{ file: 'c', content: 'cart newer' }], tag: 'latest', label: 'newer' });
  await pushImage(target(staging), 'shop/cart', { layers: [{ file: 'c', content: 'cart older' }], tag: 'latest', label: 'older' });
  const [src, dst] = [client(dev), client(staging)];
  try {
    const result = await promoteImage({ source: { client: src, repository: 'shop/cart', reference: 'latest' }, target: { client: dst, repository: 'shop/cart', tag: 'latest' }, mutableTags: true });
    assert.is(result.digest, fresh.digest);
  } finally {
    src.close();
    dst.close();
  }
  assert.is((await fetchManifest(target(staging), 'shop/cart', 'latest'))?.digest, fresh.digest);
});

test('given an image with a signature and an attestation, promoting with referrers copies both cosign tags', async () => {
  const image = await pushImage(target(dev), 'shop/signed', { layers: [{ file: 's', content: 'signed' }], tag: '1.0' });
  const sig = await pushCosignArtifact(target(dev), 'shop/signed', image.digest, 'sig');
  const att = await pushCosignArtifact(target(dev), 'shop/signed', image.digest, 'att');
  const [src, dst] = [client(dev), client(staging)];
  try {
    const result = await promoteImage({ source: { client: src, repository: 'shop/signed', reference: '1.0' }, target: { client: dst, repository: 'shop/signed', tag: '1.0' }, mutableTags: true, referrers: true });
    const hex = image.digest.slice('sha256:'.length);
    assert.equal([...result.referrers].sort(), [`sha256-${hex}.att`, `sha256-${hex}.sig`]);
  } finally {
    src.close();
    dst.close();
  }
  const hex = image.digest.slice('sha256:'.length);
  assert.is((await fetchManifest(target(staging), 'shop/signed', `sha256-${hex}.sig`))?.digest, sig.digest);
  assert.is((await fetchManifest(target(staging), 'shop/signed', `sha256-${hex}.att`))?.digest, att.digest);
});

test('given chunked uploads, a multi-megabyte layer arrives intact', async () => {
  const image = await pushImage(target(dev), 'shop/chunky', { layers: [{ size: 3 * 1024 * 1024 + 17, seed: 'chunky' }], tag: 'c1' });
  const [src, dst] = [client(dev), client(staging)];
  try {
    const result = await promoteImage({ source: { client: src, repository: 'shop/chunky', reference: 'c1' }, target: { client: dst, repository: 'shop/chunky', tag: 'c1' }, mutableTags: true, upload: 'chunked', chunkSize: 1024 * 1024 });
    assert.is(result.digest, image.digest);
    assert.ok(await hasBlob(target(staging), 'shop/chunky', image.layers[0]?.digest ?? ''));
  } finally {
    src.close();
    dst.close();
  }
});

test('given a digest the source does not hold, promotion fails with RUN513 naming it', async () => {
  const missing = `sha256:${'0'.repeat(64)}`;
  const [src, dst] = [client(dev), client(staging)];
  try {
    await promoteImage({ source: { client: src, repository: 'shop/api', reference: missing }, target: { client: dst, repository: 'shop/api', tag: 'ghost' }, mutableTags: true });
    assert.unreachable('expected RUN513');
  } catch (error) {
    assert.instance(error, RuntimeError);
    assert.is((error as RuntimeError).code, 'RUN513');
    assert.match((error as RuntimeError).message, missing);
  } finally {
    src.close();
    dst.close();
  }
  assert.is(await fetchManifest(target(staging), 'shop/api', 'ghost'), undefined);
});

test('given two environments on the token-auth registry, promotion between them mounts blobs with one token covering both repositories', async () => {
  const image = await pushImage(target(prod), 'team-a/search', { layers: [{ size: 150_000, seed: 'search' }], tag: '7.0.0' });
  const environments = {
    'prod-a': { registry: prod.host, repository: 'team-a', scheme: 'http', auth: { kind: 'basic', usernameEnv: 'U', passwordEnv: 'P' } },
    'prod-b': { registry: prod.host, repository: 'team-b', scheme: 'http', auth: { kind: 'basic', usernameEnv: 'U', passwordEnv: 'P' } },
  } as const;
  const before = prod.tokenRequests.length;
  const result = await promoteBetweenEnvironments({
    image: `${prod.host}/team-a/search:7.0.0`, from: 'prod-a', to: 'prod-b', environments, env: { U: CI.username, P: CI.password },
  });
  assert.is(result.digest, image.digest);
  assert.is(result.reference, `${prod.host}/team-b/search:7.0.0@${image.digest}`);
  assert.equal(result.blobs, { copied: 0, mounted: 2, present: 0, foreign: 0 });
  const targetTokens = prod.tokenRequests.slice(before).filter((r) => r.scopes.includes('repository:team-b/search:pull,push'));
  assert.ok(targetTokens.length > 0 && targetTokens.every((r) => r.scopes.includes('repository:team-a/search:pull')), 'the target token also covers pull on the mount source');
});

test('given a Docker config identitytoken, the client exchanges it (OAuth2 refresh grant) for a token and promotes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argots-identity-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [prod.host]: { identitytoken: REFRESH } } }));
  const image = await pushImage(target(staging), 'shop/ident', { layers: [{ file: 'i', content: 'identity' }], tag: '1' });
  const src = client(staging);
  const dst = client(prod, { credentials: await dockerConfigCredentials(prod.host, { DOCKER_CONFIG: dir }) });
  try {
    const result = await promoteImage({ source: { client: src, repository: 'shop/ident', reference: '1' }, target: { client: dst, repository: 'shop/ident', tag: '1' }, mutableTags: false });
    assert.is(result.digest, image.digest);
    assert.ok(prod.tokenRequests.some((r) => r.grant === 'refresh_token' && r.user === 'acr' && r.scopes.includes('repository:shop/ident:pull,push')));
  } finally {
    src.close();
    dst.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
