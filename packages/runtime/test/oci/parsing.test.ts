import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseImageReference, formatReference } from '../../src/oci/reference.js';
import { parseChallenge } from '../../src/oci/_internal/www-authenticate.js';
import { backoffDelay, parseRetryAfter } from '../../src/oci/_internal/retry.js';

const D = `sha256:${'a'.repeat(64)}`;

test('image references: registry, repository, tag and digest', () => {
  assert.equal(parseImageReference(`127.0.0.1:5000/dev/shop-api:1.4.0@${D}`), { registry: '127.0.0.1:5000', repository: 'dev/shop-api', tag: '1.4.0', digest: D });
  assert.equal(parseImageReference('shop/api:2'), { registry: undefined, repository: 'shop/api', tag: '2', digest: undefined });
  assert.equal(parseImageReference(`registry.acme.io/api@${D}`), { registry: 'registry.acme.io', repository: 'api', tag: undefined, digest: D });
  assert.is(formatReference({ registry: 'r.io', repository: 'a/b', tag: 't', digest: D }), `r.io/a/b:t@${D}`);
});

test('image references: mistakes are named', () => {
  assert.match(JSON.stringify(parseImageReference('shop/api')), 'a tag or a digest is required');
  assert.match(JSON.stringify(parseImageReference('shop/api@sha256:xyz')), 'is not a sha256 digest');
  assert.match(JSON.stringify(parseImageReference('Shop/API:1')), 'is not a valid repository name');
});

test('WWW-Authenticate: bearer realm, service and scope; basic realm', () => {
  assert.equal(parseChallenge('Bearer realm="https://auth.acme.io/token",service="registry.acme.io",scope="repository:shop/api:pull,push"'), {
    scheme: 'bearer',
    params: { realm: 'https://auth.acme.io/token', service: 'registry.acme.io', scope: 'repository:shop/api:pull,push' },
  });
  assert.equal(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  assert.is(parseChallenge('Negotiate'), undefined);
});

test('Retry-After in seconds or as a date; backoff grows with jitter and stays bounded', () => {
  assert.is(parseRetryAfter('3'), 3000);
  const at = parseRetryAfter(new Date(Date.now() + 5000).toUTCString()) ?? 0;
  assert.ok(at > 3000 && at <= 5000);
  assert.is(parseRetryAfter(undefined), undefined);
  const policy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };
  for (let n = 1; n <= 6; n++) {
    const d = backoffDelay(policy, n);
    const ceiling = Math.min(1000, 100 * 2 ** (n - 1));
    assert.ok(d >= ceiling / 2 && d <= ceiling, `attempt ${n}: ${d} within [${ceiling / 2}, ${ceiling}]`);
  }
  assert.is(backoffDelay(policy, 1, '2'), 2000, 'Retry-After wins');
});

test.run();
