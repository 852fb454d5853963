import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { dockerConfigCredentials } from '../../src/oci/credentials.js';
import { promoteImage } from '../../src/promote/promote-image.js';
import { RuntimeError } from '../../src/runtime-error.js';
import { startRegistry, type TestRegistry } from '../../../../test/support/registry.js';
import { startFaultProxy, type FaultProxy } from '../../../../test/support/fault-proxy.js';
import { fetchManifest, pushImage } from '../../../../test/support/oci-images.js';

// Registries that do not quite follow the spec, played by a proxy that rewrites a real registry's answers;
// and a registry behind htpasswd basic auth, with credentials from a Docker config.json.
let dev: TestRegistry;
let locked: TestRegistry;
let devProxy: FaultProxy;
let lockedProxy: FaultProxy;
const PASSWORD = 'basic-pa55-word-e4c1';

test.before(async () => {
  [dev, locked] = await Promise.all([startRegistry({ name: 'dev' }), startRegistry({ name: 'locked', htpasswd: { deployer: PASSWORD } })]);
  [devProxy, lockedProxy] = await Promise.all([startFaultProxy(dev.url), startFaultProxy(locked.url)]);
});
test.after(async () => {
  await Promise.all([devProxy?.close(), lockedProxy?.close()]);
  await Promise.all([dev?.close(), locked?.close()]);
});

test('given a registry that says 403 for a missing manifest, omits Docker-Content-Digest and sends relative Locations, promotion still verifies the digest', async () => {
  const image = await pushImage({ url: dev.url }, 'quirks/src', { layers: [{ file: 'q', content: 'quirky' }], tag: '1' });
  devProxy.setRules([{ method: 'HEAD', path: /\/manifests\//, fault: { kind: 'rewrite', removeHeaders: ['docker-content-digest'] }, times: Infinity }]);
  lockedProxy.setRules([
    { method: 'HEAD', path: /\/manifests\/sha256/, fault: { kind: 'rewrite', status: 403 }, times: 1 },
    { method: 'POST', path: /\/blobs\/uploads\//, fault: { kind: 'rewrite', relativeLocation: true }, times: Infinity },
    { method: 'PUT', path: /\/manifests\//, fault: { kind: 'rewrite', removeHeaders: ['docker-content-digest'] }, times: Infinity },
  ]);
  const src = new RegistryClient({ registry: devProxy.host, scheme: 'http' });
  const dst = new RegistryClient({ registry: lockedProxy.host, scheme: 'http', credentials: { username: 'deployer', password: PASSWORD } });
  try {
    const result = await promoteImage({ source: { client: src, repository: 'quirks/src', reference: '1' }, target: { client: dst, repository: 'quirks/dst', tag: '1' }, mutableTags: false });
    assert.is(result.digest, image.digest, 'the digest was computed from the bytes when the header was missing');
  } finally {
    src.close();
    dst.close();
  }
  assert.ok(lockedProxy.log.some((l) => l.method === 'POST' && l.fault === 'rewrite'), 'relative Locations were served');
  assert.ok(lockedProxy.log.some((l) => l.method === 'HEAD' && l.fault === 'rewrite'), 'a 403 was served for a missing manifest');
  const stored = await fetchManifest({ url: locked.url, authorization: () => locked.authorization('') }, 'quirks/dst', '1');
  assert.is(stored?.digest, image.digest);
});

test('given basic auth and credentials in Docker config.json, the client authenticates on the challenge', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'argots-docker-config-'));
  try {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [`http://${locked.host}/v1/`]: { auth: Buffer.from(`deployer:${PASSWORD}`).toString('base64') } } }));
    const credentials = await dockerConfigCredentials(locked.host, { DOCKER_CONFIG: dir });
    assert.equal(credentials, { username: 'deployer', password: PASSWORD });
    const image = await pushImage({ url: dev.url }, 'basic/src', { layers: [{ file: 'b', content: 'basic' }], tag: '2' });
    const src = new RegistryClient({ registry: dev.host, scheme: 'http' });
    const dst = new RegistryClient({ registry: locked.host, scheme: 'http', credentials });
    try {
      const result = await promoteImage({ source: { client: src, repository: 'basic/src', reference: '2' }, target: { client: dst, repository: 'basic/dst', tag: '2' }, mutableTags: false });
      assert.is(result.digest, image.digest);
    } finally {
      src.close();
      dst.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('given no credentials for a registry behind basic auth, the error names the registry and how to log in', async () => {
  const dst = new RegistryClient({ registry: locked.host, scheme: 'http' });
  try {
    await dst.headManifest('basic/dst', '2');
    assert.unreachable('expected a refusal');
  } catch (error) {
    assert.instance(error, RuntimeError);
    assert.match((error as RuntimeError).message, locked.host);
    assert.match((error as RuntimeError).hint ?? '', /Docker config\.json|credential helper|access token/);
  } finally {
    dst.close();
  }
});

test('given a wrong password for a registry behind basic auth, the hint says the password is wrong (not missing rights) and never shows it', async () => {
  const dst = new RegistryClient({ registry: locked.host, scheme: 'http', credentials: { username: 'deployer', password: 'wrong-basic-pw-4711' } });
  try {
    await dst.headManifest('basic/dst', '2');
    assert.unreachable('expected a refusal');
  } catch (error) {
    assert.instance(error, RuntimeError);
    const e = error as RuntimeError;
    assert.is(e.code, 'RUN503');
    assert.match(e.hint ?? '', /did not accept the credentials of user "deployer": the password or token is wrong or has expired/);
    assert.not.match(e.hint ?? '', /lack the access/);
    assert.not.match(`${e.message} ${e.hint ?? ''}`, 'wrong-basic-pw-4711');
  } finally {
    dst.close();
  }
});

test.run();
