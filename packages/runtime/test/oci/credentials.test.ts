import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessTokenCredentials, dockerConfigCredentials } from '../../src/oci/credentials.js';
import { redact } from '../../src/redact.js';
import { RuntimeError } from '../../src/runtime-error.js';

const dir = mkdtempSync(join(tmpdir(), 'argots-credentials-'));
const bin = join(dir, 'bin');
mkdirSync(bin);
const env = (config: object): Record<string, string> => {
  const d = mkdtempSync(join(dir, 'cfg-'));
  writeFileSync(join(d, 'config.json'), JSON.stringify(config));
  return { DOCKER_CONFIG: d, PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
};
// A credential helper that records its argv and stdin, answering for one host only.
writeFileSync(join(bin, 'docker-credential-fake'), `#!/bin/sh
read host
echo "$@|$host" >> "${dir}/helper-calls"
[ "$host" = "gar.example.com" ] && echo '{"Username":"<token>","Secret":"helper-identity-token-1"}' && exit 0
[ "$host" = "reg.example.com" ] && echo '{"Username":"robot","Secret":"helper-secret-2"}' && exit 0
echo "credentials not found in native keychain"; exit 1
`);
chmodSync(join(bin, 'docker-credential-fake'), 0o755);
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('given an auths entry keyed by URL, the host matches and the base64 auth is decoded', async () => {
  const c = await dockerConfigCredentials('registry.acme.io', env({ auths: { 'https://registry.acme.io/v1/': { auth: Buffer.from('ci:s3cret-value').toString('base64') } } }));
  assert.equal(c, { username: 'ci', password: 's3cret-value' });
  assert.is(redact('password s3cret-value leaked'), 'password *** leaked', 'the password is registered as a secret');
});

test('given username and password fields, they are used as they are', async () => {
  const c = await dockerConfigCredentials('127.0.0.1:5000', env({ auths: { '127.0.0.1:5000': { username: 'u', password: 'p-123456' } } }));
  assert.equal(c, { username: 'u', password: 'p-123456' });
});

test('given a credHelpers entry, the helper runs with "get" on argv and the host on stdin', async () => {
  const c = await dockerConfigCredentials('reg.example.com', env({ credHelpers: { 'reg.example.com': 'fake' }, auths: { 'reg.example.com': { auth: Buffer.from('wrong:wrong').toString('base64') } } }));
  assert.equal(c, { username: 'robot', password: 'helper-secret-2' }, 'credHelpers win over auths');
});

test('given a credsStore and an identity token, the token is sent as oauth2accesstoken', async () => {
  const c = await dockerConfigCredentials('gar.example.com', env({ credsStore: 'fake' }));
  assert.equal(c, { username: 'oauth2accesstoken', password: 'helper-identity-token-1' });
});

test('given a helper that holds nothing for the host, access is anonymous', async () => {
  assert.is(await dockerConfigCredentials('other.example.com', env({ credsStore: 'fake' })), undefined);
});

test('given a helper that is not installed, the error names it and says how to fix it', async () => {
  try {
    await dockerConfigCredentials('x.example.com', env({ credHelpers: { 'x.example.com': 'missing' } }));
    assert.unreachable();
  } catch (error) {
    assert.instance(error, RuntimeError);
    assert.match((error as RuntimeError).message, 'docker-credential-missing');
    assert.match((error as RuntimeError).hint ?? '', /install docker-credential-missing/);
  }
});

test('given no Docker config at all, access is anonymous', async () => {
  assert.is(await dockerConfigCredentials('registry.acme.io', { DOCKER_CONFIG: join(dir, 'nowhere') }), undefined);
});

test('given an access token, the user is oauth2accesstoken and the token is redacted', () => {
  assert.equal(accessTokenCredentials('ya29.a0AfH6SMB-token'), { username: 'oauth2accesstoken', password: 'ya29.a0AfH6SMB-token' });
  assert.not.match(redact('Bearer ya29.a0AfH6SMB-token'), 'ya29.a0AfH6SMB-token');
});

test.run();
