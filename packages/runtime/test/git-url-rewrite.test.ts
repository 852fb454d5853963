/** rewriteUrl: git's url.<base>.insteadOf rules applied to URLs the runtime contacts itself (Argo CD). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyInsteadOf, parseInsteadOf, rewriteUrl } from '../src/git/url-rewrite.js';

const env = (pairs: [string, string][]): Record<string, string> => ({
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_COUNT: String(pairs.length),
  ...Object.fromEntries(pairs.flatMap(([k, v], i) => [[`GIT_CONFIG_KEY_${i}`, k], [`GIT_CONFIG_VALUE_${i}`, v]])),
});

test('given GIT_CONFIG_* insteadOf rules, then a URL under a rule is rewritten, the longest prefix winning, as git does', async () => {
  const e = env([
    ['url.http://127.0.0.1:8080.insteadOf', 'https://argocd.acme.io'],
    ['url.http://127.0.0.1:9000/mirror/.insteadOf', 'https://github.com/'],
    ['url.http://127.0.0.1:9000/gitops/.insteadOf', 'https://github.com/acme/gitops'],
  ]);
  assert.is(await rewriteUrl('https://argocd.acme.io', e), 'http://127.0.0.1:8080');
  assert.is(await rewriteUrl('https://github.com/acme/shop.git', e), 'http://127.0.0.1:9000/mirror/acme/shop.git');
  assert.is(await rewriteUrl('https://github.com/acme/gitops.git', e), 'http://127.0.0.1:9000/gitops/.git');
  assert.is(await rewriteUrl('https://example.com/x', e), 'https://example.com/x', 'no rule: unchanged');
});

test('given no insteadOf setting, then the URL is unchanged', async () => {
  assert.is(await rewriteUrl('https://argocd.acme.io', env([])), 'https://argocd.acme.io');
});

test('given a base with dots in it, then the whole base is kept (git config prints the key lower-cased only at its ends)', () => {
  const rules = parseInsteadOf('url.http://a.b.c:1/x.insteadof https://argocd.acme.io\nnot a rule\n');
  assert.equal(rules, [{ base: 'http://a.b.c:1/x', insteadOf: 'https://argocd.acme.io' }]);
  assert.is(applyInsteadOf('https://argocd.acme.io/api', rules), 'http://a.b.c:1/x/api');
});

test.run();
