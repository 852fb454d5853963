import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { appCredentialsFromEnv, cloneUrlFor, createGitHubClient, redact, runGit, RuntimeError } from '../../src/index.js';
import { createWorld, git } from './world.js';

async function refusal(promise: Promise<unknown>): Promise<RuntimeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.instance(error, RuntimeError);
  return error as RuntimeError;
}

test('personal access tokens are refused wherever they are given, naming the variable and never echoing the token', async () => {
  for (const [name, token, kind] of [
    ['GITHUB_TOKEN', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', /classic personal access token/],
    ['ARGOTS_GITHUB_TOKEN', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', /fine-grained personal access token/],
    ['GH_TOKEN', 'gho_abcdefghijklmnopqrstuvwxyz0123456789', /OAuth user token/],
  ] as const) {
    const error = await refusal(appCredentialsFromEnv({ [name]: token, ARGOTS_GITHUB_APP_ID: '1', ARGOTS_GITHUB_APP_PRIVATE_KEY: 'x', ARGOTS_GITHUB_APP_INSTALLATION_ID: '2' }));
    assert.is(error.code, 'RUN300');
    assert.match(error.message, kind);
    assert.match(error.message, new RegExp(`"${name}"`));
    assert.not.match(error.message, token);
    assert.match(error.hint ?? '', /ARGOTS_GITHUB_APP_ID/);
    assert.not.match(redact(`token ${token}`), token);
  }
});

test('a token given where a GitHub App is required is refused, and missing App settings are named', async () => {
  const bare = await refusal(appCredentialsFromEnv({ ARGOTS_GITHUB_TOKEN: 'ghs_someinstallationtoken' }));
  assert.is(bare.code, 'RUN301');
  assert.match(bare.message, /a token was given in "ARGOTS_GITHUB_TOKEN" where a GitHub App is required/);
  const nothing = await refusal(appCredentialsFromEnv({ ARGOTS_GITHUB_APP_ID: '1' }));
  assert.match(nothing.message, /expected ARGOTS_GITHUB_APP_PRIVATE_KEY, ARGOTS_GITHUB_APP_INSTALLATION_ID to be set/);
  const patAsKey = await refusal(appCredentialsFromEnv({ ARGOTS_GITHUB_APP_ID: '1', ARGOTS_GITHUB_APP_PRIVATE_KEY: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', ARGOTS_GITHUB_APP_INSTALLATION_ID: '2' }));
  assert.is(patAsKey.code, 'RUN300');
});

test('App credentials from the environment: PEM with escaped newlines, installation id, Enterprise API URL', async () => {
  const world = await createWorld();
  try {
    const credentials = await appCredentialsFromEnv({
      ARGOTS_GITHUB_APP_ID: world.credentials.appId,
      ARGOTS_GITHUB_APP_PRIVATE_KEY: world.credentials.privateKey.replace(/\n/g, '\\n'),
      ARGOTS_GITHUB_APP_INSTALLATION_ID: '7',
      ARGOTS_GITHUB_API_URL: world.api.baseUrl,
    });
    assert.equal(credentials, world.credentials);
  } finally {
    await world.close();
  }
});

test('the installation token is minted from a verified JWT, cached, and serves both the API and git', async () => {
  const world = await createWorld();
  try {
    const { url } = await world.createRepo('acme/shop');
    await world.commit('acme/shop', 'master', { 'README.md': 'shop\n' });
    const github = createGitHubClient(world.credentials);
    await github.octokit.rest.pulls.list({ owner: 'acme', repo: 'shop' });
    await github.octokit.rest.pulls.list({ owner: 'acme', repo: 'shop', state: 'closed' });
    await runGit(['clone', '--quiet', url, join(world.scratch, 'clone')], { cwd: world.scratch, auth: github.gitAuth });
    assert.is(world.api.stats.tokensMinted, 1, 'one token for every call while it is valid');
    assert.is((await git(join(world.scratch, 'clone'), 'log', '--format=%s')).trim(), 'change README.md');
    const anonymous = await runGit(['ls-remote', url], { cwd: world.scratch }).then(() => 'served', (e: Error) => e.message);
    assert.match(anonymous, /failed/, 'the git server refuses requests without a valid installation token');
    assert.not.match(anonymous, /ghs_/);
  } finally {
    await world.close();
  }
});

test('a JWT signed with another key is refused with a clear error', async () => {
  const world = await createWorld();
  try {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const github = createGitHubClient({ ...world.credentials, privateKey: other.privateKey });
    const error = await refusal(github.tokens.token());
    assert.is(error.code, 'RUN310');
    assert.match(error.message, /GitHub App 424242: could not get a token for installation 7 \(HTTP 401\)/);
    assert.match(error.hint ?? '', /private key or id is wrong/);
    assert.is(world.api.stats.jwtRefused, 1);
    assert.is(world.api.stats.tokensMinted, 0);
  } finally {
    await world.close();
  }
});

test('a token is replaced before it expires, and a token the server stopped accepting is replaced once', async () => {
  // GitHub states expiry to the second: a 3 s token is good for 2 to 3 s.
  const world = await createWorld({ tokenLifetimeSeconds: 3 });
  try {
    await world.createRepo('acme/shop');
    const github = createGitHubClient(world.credentials, { refreshMarginMs: 1000 });
    const first = await github.tokens.token();
    assert.is(await github.tokens.token(), first, 'cached while more than the margin remains');
    await new Promise((r) => setTimeout(r, 2100));
    const second = await github.tokens.token();
    assert.is.not(second, first, 'refreshed within the margin, before the server would refuse it');
    world.api.expireAllTokens();
    await github.octokit.rest.pulls.list({ owner: 'acme', repo: 'shop' });
    assert.is(world.api.stats.unauthorized, 1);
    assert.is(github.tokens.minted, 3);
  } finally {
    await world.close();
  }
});

test('primary and secondary rate limits are waited out and retried', async () => {
  const world = await createWorld();
  try {
    await world.createRepo('acme/shop');
    const lines: string[] = [];
    const github = createGitHubClient(world.credentials, { log: (m) => lines.push(m) });
    world.api.rateLimitNext('secondary', 1);
    const t0 = Date.now();
    await github.octokit.rest.pulls.list({ owner: 'acme', repo: 'shop' });
    assert.ok(Date.now() - t0 >= 900, 'waited for retry-after');
    world.api.rateLimitNext('primary', 1);
    await github.octokit.rest.pulls.list({ owner: 'acme', repo: 'shop' });
    assert.is(world.api.stats.rateLimited, 2);
    assert.match(lines.join('\n'), /secondary rate limit \(retry-after 1s\)/);
    assert.match(lines.join('\n'), /rate limit exhausted/);
    const impatient = createGitHubClient(world.credentials, { maxWaitMs: 100 });
    world.api.rateLimitNext('secondary', 1);
    const error = await refusal(impatient.octokit.rest.pulls.list({ owner: 'acme', repo: 'shop' }));
    assert.is(error.code, 'RUN320');
    assert.match(error.message, /secondary rate limit \(retry-after 1s\); expected a wait of at most 0\.1s, received 1s/);
  } finally {
    await world.close();
  }
});

test('an API failure is a clear error naming the route, the status and what to check', async () => {
  const world = await createWorld();
  try {
    const github = createGitHubClient(world.credentials);
    const error = await refusal(github.octokit.rest.pulls.list({ owner: 'acme', repo: 'missing' }));
    assert.is(error.code, 'RUN390');
    assert.match(error.message, /GitHub API GET \/repos\/\{owner\}\/\{repo\}\/pulls: expected success, received HTTP 404 "Not Found"/);
    assert.match(error.hint ?? '', /App is not installed/);
  } finally {
    await world.close();
  }
});

test('GitHub Enterprise Server: the /api/v3 base URL is used for tokens and REST calls', async () => {
  const world = await createWorld({ pathPrefix: '/api/v3' });
  try {
    await world.createRepo('acme/shop');
    assert.match(world.credentials.baseUrl ?? '', /\/api\/v3$/);
    const github = createGitHubClient(world.credentials);
    const { data } = await github.octokit.rest.pulls.list({ owner: 'acme', repo: 'shop' });
    assert.equal(data, []);
    assert.is(world.api.stats.tokensMinted, 1);
  } finally {
    await world.close();
  }
});

test('clone URLs follow the API URL: github.com, or the Enterprise Server host', () => {
  assert.is(cloneUrlFor('https://api.github.com', 'acme/shop'), 'https://github.com/acme/shop.git');
  assert.is(cloneUrlFor('https://ghe.acme.io/api/v3', 'acme/shop'), 'https://ghe.acme.io/acme/shop.git');
  assert.is(cloneUrlFor('https://ghe.acme.io/api/v3/', 'acme/shop.git'), 'https://ghe.acme.io/acme/shop.git');
  assert.throws(() => cloneUrlFor('https://api.github.com', 'shop'), /expected "owner\/name", received "shop"/);
});

test.run();
