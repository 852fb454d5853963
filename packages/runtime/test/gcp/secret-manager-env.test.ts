// Pipeline variables from Secret Manager through the official client library (`@google-cloud/secret-manager`,
// REST transport) authenticated as the pod's Workload Identity (google-auth-library finds the metadata server
// at GCE_METADATA_HOST), against a local server speaking Secret Manager's API. And the metadata token the
// registries get.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { metadataAccessToken } from '../../src/gcp/metadata-token.js';
import { withSecretManagerEnv } from '../../src/gcp/secret-manager-env.js';
import { redact } from '../../src/redact.js';
import { RuntimeError } from '../../src/runtime-error.js';
import { startMetadataServer, type MetadataServer } from '../../../../test/support/gce-metadata-server.js';
import { startSecretManagerServer, type SecretManagerServer } from '../../../../test/support/secret-manager-server.js';

let metadata: MetadataServer;
let sm: SecretManagerServer;
let env: Record<string, string>;

test.before(async () => {
  metadata = await startMetadataServer();
  sm = await startSecretManagerServer({ token: metadata.token });
  env = { GCE_METADATA_HOST: metadata.host, ARGOTS_SECRET_MANAGER_ENDPOINT: sm.url, HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' };
  // google-auth-library reads the metadata host from the process environment (in a pod: the pod's).
  process.env['GCE_METADATA_HOST'] = metadata.host;
});
test.after(async () => {
  delete process.env['GCE_METADATA_HOST'];
  await metadata.close();
  await sm.close();
});

const code = (c: string) => (e: unknown) => e instanceof RuntimeError && e.code === c;

test('given NAME_FROM_SECRET_MANAGER naming a version, then NAME holds the latest value, the reference is gone and the value is redacted', async () => {
  sm.addVersion('acme-ci', 'argocd-token', 'old-token');
  sm.addVersion('acme-ci', 'argocd-token', 'argocd-secret-token-2');
  const out = await withSecretManagerEnv({ ...env, ARGOTS_ARGOCD_TOKEN_FROM_SECRET_MANAGER: 'projects/acme-ci/secrets/argocd-token/versions/latest', OTHER: 'kept' });
  assert.is(out['ARGOTS_ARGOCD_TOKEN'], 'argocd-secret-token-2');
  assert.is(out['ARGOTS_ARGOCD_TOKEN_FROM_SECRET_MANAGER'], undefined);
  assert.is(out['OTHER'], 'kept');
  assert.not.match(redact('token argocd-secret-token-2 here'), 'argocd-secret-token-2');
});

test('given no such variable, then the environment is returned as it is (the library is not even loaded)', async () => {
  const same = { A: '1' };
  assert.is(await withSecretManagerEnv(same), same);
});

test('given a missing secret, a malformed reference, or an identity Secret Manager refuses, then clear errors', async () => {
  await withSecretManagerEnv({ ...env, X_FROM_SECRET_MANAGER: 'projects/acme-ci/secrets/nope/versions/latest' }).then(() => assert.unreachable(), (e) => {
    assert.ok(code('RUN551')(e), String(e));
    assert.match((e as RuntimeError).hint ?? '', 'does not exist');
  });
  await withSecretManagerEnv({ ...env, X_FROM_SECRET_MANAGER: 'argocd-token' }).then(() => assert.unreachable(), (e) => assert.ok(code('RUN550')(e), String(e)));
  const stranger = await startSecretManagerServer({ token: 'someone-else' });
  try {
    stranger.addVersion('acme-ci', 'k', 'v');
    await withSecretManagerEnv({ ...env, ARGOTS_SECRET_MANAGER_ENDPOINT: stranger.url, X_FROM_SECRET_MANAGER: 'projects/acme-ci/secrets/k/versions/1' }).then(() => assert.unreachable(), (e) => {
      assert.ok(code('RUN551')(e), String(e));
      assert.match((e as RuntimeError).hint ?? '', 'secretAccessor');
    });
  } finally {
    await stranger.close();
  }
});

test('given the metadata server, then the registry token is the pod identity\'s; without the server, a clear error', async () => {
  assert.is((await metadataAccessToken({ GCE_METADATA_HOST: metadata.host })).token, metadata.token);
  await metadataAccessToken({ GCE_METADATA_HOST: '127.0.0.1:1' }, { timeoutMs: 2000 }).then(() => assert.unreachable(), (e) => assert.ok(code('RUN540')(e), String(e)));
});

test.run();
