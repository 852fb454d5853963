import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allowsMutableTags, defineEnvironments, validateEnvironments } from '../src/index.js';

test('given dev, staging, prod and a read-only virtual registry, the configuration is accepted and frozen', () => {
  const envs = defineEnvironments({
    dev: { registry: 'registry.dev.acme.io', repository: 'shop' },
    staging: { registry: 'registry.staging.acme.io', repository: 'shop', auth: { kind: 'basic', usernameEnv: 'STAGING_USER', passwordEnv: 'STAGING_PASSWORD' } },
    prod: { registry: 'europe-docker.pkg.dev', repository: 'acme-prod/shop', auth: { kind: 'access-token', tokenEnv: 'GAR_TOKEN' } },
    virtual: { registry: 'registry.acme.io', repository: 'all', readOnly: true },
  });
  assert.is(envs.prod.repository, 'acme-prod/shop');
  assert.ok(Object.isFrozen(envs) && Object.isFrozen(envs.dev));
});

test('given no mutableTags setting, prod tags are immutable and others are mutable', () => {
  assert.is(allowsMutableTags('prod', { registry: 'r.io', repository: 'x' }), false);
  assert.is(allowsMutableTags('production', { registry: 'r.io', repository: 'x' }), false);
  assert.is(allowsMutableTags('staging', { registry: 'r.io', repository: 'x' }), true);
  assert.is(allowsMutableTags('prod', { registry: 'r.io', repository: 'x', mutableTags: true }), true);
  assert.is(allowsMutableTags('dev', { registry: 'r.io', repository: 'x', mutableTags: false }), false);
});

test('given several mistakes, every one is reported with its path, what was expected and what was received', () => {
  const result = validateEnvironments({
    environments: {
      Dev: { registry: 'https://registry.acme.io', repository: 'Shop', colour: 'blue' },
      prod: { registry: 'r.io', repository: 'p', auth: { kind: 'access-token' }, mutableTags: 'no' },
    },
  });
  assert.is(result.ok, false);
  const problems = result.ok ? [] : result.problems;
  const paths = problems.map((p) => p.path);
  for (const path of ['environments.Dev', 'environments.Dev.registry', 'environments.Dev.repository', 'environments.Dev.colour', 'environments.prod.auth.tokenEnv', 'environments.prod.mutableTags']) {
    assert.ok(paths.includes(path), `expected a problem at ${path}, received ${paths.join(', ')}`);
  }
  assert.match(problems.find((p) => p.path === 'environments.Dev.registry')?.message ?? '', 'received "https://registry.acme.io"');
});

test('given no environments mapping, the problem says what the file must contain', () => {
  const result = validateEnvironments({ envs: {} });
  assert.is(result.ok, false);
  assert.match(result.ok ? '' : (result.problems[0]?.message ?? ''), 'expected a mapping of environment name to registry settings');
});

test('given a mistake in code, defineEnvironments throws listing it', () => {
  assert.throws(() => defineEnvironments({ dev: { registry: 'not a host', repository: 'x' } }), /environments\.dev\.registry/);
});

test.run();
