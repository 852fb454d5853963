import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import { branchPatternSource, branchPolicy, decideFlow, DEFAULT_BRANCH_POLICY, flowTriggers, matchesBranch, parseBranchPolicy } from '../src/index.js';
import type { GitHubEvent } from '../src/index.js';

// Real webhook payloads (from GitHub's docs, via @octokit/webhooks-examples), adapted to our branch names.
interface Definition { readonly name: string; readonly examples: readonly Record<string, unknown>[] }
const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as readonly Definition[];
function example(name: string, pick: (e: Record<string, unknown>) => boolean = () => true): Record<string, unknown> {
  const found = definitions.find((d) => d.name === name)?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example`);
  return structuredClone(found);
}
const branchPush = (e: Record<string, unknown>): boolean => typeof e['ref'] === 'string' && e['ref'].startsWith('refs/heads/');

function push(branch: string, options: { created?: boolean; deleted?: boolean } = {}): GitHubEvent {
  const payload = example('push', branchPush);
  payload['ref'] = `refs/heads/${branch}`;
  payload['created'] = options.created ?? false;
  payload['deleted'] = options.deleted ?? false;
  return { type: 'push', payload };
}

function pullRequest(head: string, base: string, options: { action?: string; merged?: boolean } = {}): GitHubEvent {
  const payload = example('pull_request', (e) => e['action'] === (options.action ?? 'closed'));
  const pr = payload['pull_request'] as Record<string, unknown> & { head: Record<string, unknown>; base: Record<string, unknown> };
  pr.head['ref'] = head;
  pr.base['ref'] = base;
  pr['merged'] = options.merged ?? true;
  return { type: 'pull_request', payload };
}

test('a push to dev (a feature merged) is a dev build in the dev environment', () => {
  const decision = decideFlow(push('dev'));
  assert.is(decision.flow, 'dev-build');
  assert.is(decision.environment, 'dev');
  assert.is(decision.target, 'dev');
  assert.is(decision.repository, 'Codertocat/Hello-World');
  assert.match(decision.commit ?? '', /^[0-9a-f]{40}$/);
  assert.match(decision.reason, /push to "refs\/heads\/dev" is a push to "dev"/);
});

test('a new release branch is a staging promotion; later pushes to it start nothing', () => {
  const created = decideFlow(push('release/1.4', { created: true }));
  assert.is(created.flow, 'staging-promotion');
  assert.is(created.environment, 'staging');
  const again = decideFlow(push('release/1.4'));
  assert.is(again.flow, 'none');
  assert.match(again.reason, /closest is "staging-promotion".*expects created to be true, received false/);
});

test('a release merged into master is a production promotion', () => {
  const decision = decideFlow(pullRequest('release/1.4', 'master'));
  assert.is(decision.flow, 'production-promotion');
  assert.is(decision.environment, 'prod');
  assert.is(decision.source, 'release/1.4');
  assert.is(decision.target, 'master');
  assert.is(decision.commit, 'c4295bd74fb0f4fda03689c3df3f2803b658fd85');
});

test('a bugfix merged into a release is a staging bugfix; a hotfix merged into master is a hotfix', () => {
  const bugfix = decideFlow(pullRequest('bugfix/login', 'release/1.4'));
  assert.is(bugfix.flow, 'staging-bugfix');
  assert.is(bugfix.environment, 'staging');
  assert.is(bugfix.target, 'release/1.4');
  const hotfix = decideFlow(pullRequest('hotfix/crash', 'master'));
  assert.is(hotfix.flow, 'hotfix');
  assert.is(hotfix.environment, 'staging');
});

test('pull requests that are not merged, or merge the wrong branches, start nothing and say why', () => {
  const opened = decideFlow(pullRequest('hotfix/crash', 'master', { action: 'opened', merged: false }));
  assert.is(opened.flow, 'none');
  assert.match(opened.reason, /expects action to be a match for \/\^closed\$\/, received "opened"/);
  const closed = decideFlow(pullRequest('hotfix/crash', 'master', { merged: false }));
  assert.is(closed.flow, 'none');
  assert.match(closed.reason, /pull_request\.merged to be true, received false/);
  const wrong = decideFlow(pullRequest('feature/x', 'master'));
  assert.is(wrong.flow, 'none');
  assert.match(wrong.reason, /pull_request\.head\.ref/);
  assert.is(decideFlow(pullRequest('feature/x', 'dev')).flow, 'none', 'feature merges build on the push to dev');
});

test('tags, deleted branches and other event types start nothing', () => {
  assert.is(decideFlow({ type: 'push', payload: example('push', (e) => e['ref'] === 'refs/tags/simple-tag') }).flow, 'none');
  assert.is(decideFlow(push('dev', { deleted: true })).flow, 'none');
  const create = decideFlow({ type: 'create', payload: example('create') });
  assert.is(create.flow, 'none');
  assert.match(create.reason, /only listens to push, pull_request/);
  assert.is(decideFlow({ type: 'push', payload: null }).flow, 'none', 'a malformed payload is not a crash');
});

test('branch names and environments are configurable', () => {
  const policy = branchPolicy({ branches: { dev: 'develop', master: 'main', release: 'releases/v*' }, environments: { production: 'production' } });
  assert.is(decideFlow(push('develop')).flow, 'none', 'the default policy does not know "develop"');
  assert.is(decideFlow(push('develop'), policy).flow, 'dev-build');
  assert.is(decideFlow(push('release/1.4', { created: true }), policy).flow, 'none');
  assert.is(decideFlow(push('releases/v2.0', { created: true }), policy).flow, 'staging-promotion');
  const prod = decideFlow(pullRequest('releases/v2.0', 'main'), policy);
  assert.is(prod.flow, 'production-promotion');
  assert.is(prod.environment, 'production');
});

test('a policy document is validated, every problem reported with its path', () => {
  const parsed = parseBranchPolicy({ branches: { dev: 'de*v', release: 'bad name', nope: 'x' }, environments: { staging: 'Staging!' }, extra: 1 });
  assert.not.ok(parsed.ok);
  if (!parsed.ok) {
    assert.equal(parsed.problems.map((p) => p.path).sort(), ['branches.dev', 'branches.nope', 'branches.release', 'environments.staging', 'extra']);
  }
  assert.throws(() => branchPolicy({ environments: { dev: '' } }), /environments\.dev: expected a DNS label/);
  const ok = parseBranchPolicy(undefined);
  assert.ok(ok.ok);
  if (ok.ok) assert.equal(ok.policy, DEFAULT_BRANCH_POLICY);
});

test('patterns compile to anchored regular expressions that Sensor filters can use as they are', () => {
  assert.is(branchPatternSource('release/*'), '^release/[^/]*$');
  assert.is(branchPatternSource('v1.?'), '^v1\\.[^/]$');
  assert.ok(matchesBranch('release/*', 'release/1.4'));
  assert.not.ok(matchesBranch('release/*', 'xrelease/1.4'));
  assert.not.ok(matchesBranch('release/*', 'release'));
  // The same glob as the Sensors (and git): `*` within one segment, `**` across.
  assert.not.ok(matchesBranch('release/*', 'release/1.4/hotfix'), 'release/* is one path segment, as in the Sensors');
  assert.ok(matchesBranch('release/**', 'release/1.4/hotfix'));
  const triggers = flowTriggers();
  assert.equal(triggers.map((t) => t.flow), ['dev-build', 'staging-promotion', 'production-promotion', 'staging-bugfix', 'hotfix']);
  const hotfix = triggers.find((t) => t.flow === 'hotfix');
  assert.equal(hotfix?.conditions.find((c) => c.path === 'pull_request.head.ref'), { path: 'pull_request.head.ref', type: 'string', value: '^hotfix/[^/]*$' });
});

test.run();
