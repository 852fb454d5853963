import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { github } from '../../src/events/github-trigger.js';
import { sensor } from '../../src/events/sensor.js';
import { eventSource } from '../../src/events/event-source.js';
import { submitWorkflow, k8sTrigger, httpTrigger, logTrigger } from '../../src/events/trigger.js';
import { triggerResources } from '../../src/events/trigger-resources.js';
import { DiagnosticError } from '../../src/diagnostic.js';
import { simulate } from '../../src/simulate/simulate.js';
import { upstreamErrors } from './upstream-schema.js';
import * as deliveries from '../simulate/deliveries.js';

const SYNTH = Symbol.for('argots.synth');
const app = { appId: 12345, installationId: 678, privateKey: { name: 'github-app', key: 'private-key' } };
const connection = { url: 'https://events.example.com', webhookSecret: { name: 'github-webhook', key: 'secret' }, githubApp: app };

function thrown(fn: () => unknown): DiagnosticError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DiagnosticError) return error;
    throw error;
  }
  throw new Error('expected a DiagnosticError');
}

test('github.push pins the event type, the repository (case-insensitively) and anchored branch refs', () => {
  const push = github.push({ repo: 'Codertocat/Hello-World', branches: ['master', 'release/*'] });
  assert.equal(push.dependency, {
    name: 'push',
    eventSourceName: 'github',
    eventName: 'codertocat-hello-world',
    filters: {
      data: [
        { path: 'headers.X-Github-Event.0', type: 'string', value: ['^push$'] },
        { path: 'body.repository.full_name', type: 'string', value: ['(?i)^Codertocat/Hello-World$'] },
        { path: 'body.ref', type: 'string', value: ['^refs/heads/master$', '^refs/heads/release/[^/]*$'] },
        { path: 'body.deleted', type: 'bool', value: ['false'] },
      ],
    },
  });
});

test('globs are anchored with dots escaped: "main" does not start on "maintenance", "v1.2" not on "v1x2"', () => {
  const main = sensor('main', { dependencies: [github.push({ repo: 'Codertocat/Hello-World', branches: ['main'] })], triggers: [logTrigger('log')] });
  assert.is(simulate([main], deliveries.pushWith('maintenance', 'x')).sensors[0]?.triggers[0]?.status, 'waits');
  assert.is(simulate([main], deliveries.pushWith('main', 'x')).sensors[0]?.triggers[0]?.status, 'fires');
  const tag = github.tagPushed({ repo: 'acme/shop', pattern: 'v1.2' });
  assert.equal(tag.dependency.filters?.data?.[2]?.value, ['^refs/tags/v1\\.2$']);
  assert.equal(github.push({ repo: 'acme/shop', branches: ['feature/**'] }).dependency.filters?.data?.[2]?.value, ['^refs/heads/feature/.*$']);
});

test('payload handles name gjson data keys; a field that does not exist does not compile', () => {
  const push = github.push({ repo: 'acme/shop', branches: ['dev'] });
  const s = submitWorkflow('build', { workflowTemplate: 'shop', parameters: { revision: push.payload.after, message: push.payload.head_commit.message, first: push.payload.commits.at(0).id, fixed: 'yes' } });
  assert.equal(s.template?.argoWorkflow?.parameters?.map((p) => [p.src.dataKey, p.dest]), [
    ['body.after', 'spec.arguments.parameters.0.value'],
    ['body.head_commit.message', 'spec.arguments.parameters.1.value'],
    ['body.commits.0.id', 'spec.arguments.parameters.2.value'],
  ]);
  const merged = github.pullRequestMerged({ repo: 'acme/shop', base: 'master' });
  void merged.payload.pull_request.merge_commit_sha;
  // @ts-expect-error — push payloads have no pull_request
  void push.payload.pull_request;
  // @ts-expect-error — misspelt field
  void push.payload.head_commit.mesage;
});

test('built triggers fire in simulation exactly for the deliveries they name', () => {
  const repo = 'Codertocat/Hello-World';
  const cases = [
    { trigger: github.push({ repo, branches: ['master'] }), fires: [deliveries.pushToBranch()], not: [deliveries.tagPush(), deliveries.pushToOtherRepository(), deliveries.pullRequestClosedMerged()] },
    { trigger: github.tagPushed({ repo, pattern: 'simple-*' }), fires: [deliveries.tagPush()], not: [deliveries.pushToBranch(), deliveries.tagCreated()] },
    { trigger: github.branchCreated({ repo, pattern: 'release/*' }), fires: [deliveries.branchCreated('release/1.4')], not: [deliveries.tagCreated(), deliveries.branchCreated('feature/x'), deliveries.pushToBranch()] },
    { trigger: github.pullRequestMerged({ repo, base: 'master', head: 'release/*' }), fires: [deliveries.pullRequestClosedMerged('release/1.4')], not: [deliveries.pullRequestClosedUnmerged(), deliveries.pullRequestFromFork('release/1.4'), deliveries.pullRequestClosedMerged('feature/x')] },
  ];
  for (const c of cases) {
    const s = sensor('s', { dependencies: [c.trigger], triggers: [logTrigger('log')] });
    for (const d of c.fires) assert.is(simulate([s], d).sensors[0]?.triggers[0]?.status, 'fires', `${c.trigger.description} should fire`);
    for (const d of c.not) assert.is(simulate([s], d).sensors[0]?.triggers[0]?.status, 'waits', `${c.trigger.description} should not fire on ${d.eventType}`);
  }
});

test('bad repositories and globs are diagnostics pointing at the call', () => {
  const repo = thrown(() => github.push({ repo: 'https://github.com/acme/shop', branches: ['dev'] }));
  assert.is(repo.diagnostics[0]?.code, 'ARG302');
  assert.match(repo.diagnostics[0]?.source?.file ?? '', 'builders.test.ts');
  const glob = thrown(() => github.branchCreated({ repo: 'acme/shop', pattern: 'release/..' }));
  assert.is(glob.diagnostics[0]?.code, 'ARG303');
  assert.is(thrown(() => github.push({ repo: 'acme/shop', branches: [] })).diagnostics[0]?.code, 'ARG303');
});

test('a GitHub EventSource requires a webhook secret; opting out is loud and visible in the YAML', () => {
  const base = { repositories: ['acme/shop'], events: ['push'], url: 'https://events.example.com', endpoint: '/github/acme-shop', githubApp: app };
  const missing = thrown(() => eventSource('github', { github: { shop: base } }));
  assert.is(missing.diagnostics[0]?.code, 'ARG300');
  assert.match(missing.diagnostics[0]?.hint ?? '', 'webhookSecret');
  const unsigned = eventSource('github', { github: { shop: { ...base, insecureAcceptUnsignedWebhooks: true } } });
  assert.equal(unsigned.metadata.annotations, { 'argots.dev/insecure-unsigned-webhooks': 'true' });
});

test('the EventSource carries repositories, events, endpoint, port, service, secret, GitHub App credentials', () => {
  const es = eventSource('github', {
    github: { shop: { repositories: ['acme/shop', 'acme/api'], events: ['push', 'pull_request'], url: 'https://events.example.com', endpoint: '/github/shop', port: 13000, webhookSecret: { name: 'gh', key: 'secret' }, githubApp: app, deleteHookOnFinish: true } },
    webhook: { ping: { endpoint: '/ping', port: 12000 } },
    calendar: { nightly: { schedule: '0 2 * * 1-5', timezone: 'Europe/Paris' } },
  });
  assert.equal(es.spec.github?.['shop'], {
    repositories: [{ owner: 'acme', names: ['shop', 'api'] }],
    events: ['push', 'pull_request'],
    webhook: { endpoint: '/github/shop', port: '13000', method: 'POST', url: 'https://events.example.com' },
    webhookSecret: { name: 'gh', key: 'secret' },
    githubApp: { appID: 12345, installationID: 678, privateKey: { name: 'github-app', key: 'private-key' } },
    contentType: 'json',
    active: true,
    insecure: false,
    deleteHookOnFinish: true,
  });
  assert.equal(es.spec.service, { ports: [{ port: 12000, targetPort: 12000 }, { port: 13000, targetPort: 13000 }] });
  assert.equal(upstreamErrors(es), []);
  assert.ok(Object.isFrozen(es) && typeof (es as unknown as Record<symbol, () => unknown[]>)[SYNTH] === 'function');
  assert.equal((es as unknown as Record<symbol, () => { object: unknown }[]>)[SYNTH]?.().map((r) => r.object), [es]);
  assert.not.ok(Object.keys(es).includes(String(SYNTH)), 'the brand is not enumerable');
});

test('a Sensor with every trigger kind, retry, rate limit and settings validates against the upstream schema', () => {
  const push = github.push({ repo: 'Codertocat/Hello-World', branches: ['dev'] });
  const s = sensor('shop-dev', {
    dependencies: [push],
    eventBusName: 'default',
    serviceAccountName: 'argo-events-sa',
    templateMetadata: { labels: { team: 'shop' } },
    triggers: [
      submitWorkflow('build', { workflowTemplate: 'shop-dev', parameters: { revision: push.payload.after }, retryStrategy: { steps: 3, duration: '10s', factor: 2 }, rateLimit: { unit: 'Minute', requestsPerUnit: 10 } }),
      k8sTrigger('note', { operation: 'create', resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'note-' }, data: {} }, parameters: { 'data.sha': push.payload.after } }),
      httpTrigger('notify', { url: 'https://hooks.example.com/ci', payload: { sha: push.payload.after }, policy: { status: { allow: [200, 201] } } }),
      logTrigger('debug', { intervalSeconds: 10 }),
    ],
  });
  assert.equal(upstreamErrors(s), []);
  assert.equal(s.spec.template, { serviceAccountName: 'argo-events-sa', metadata: { labels: { team: 'shop' } } });
  const result = simulate([s], { ...deliveries.pushWith('dev', 'hello') });
  assert.equal(result.sensors[0]?.triggers.map((t) => t.status), ['fires', 'fires', 'fires', 'fires']);
  assert.equal(result.sensors[0]?.triggers[2]?.resource, { sha: (deliveries.pushToBranch().body as { after: string }).after });
});

test('triggerResources emits a Sensor and EventSource that agree, deterministically', () => {
  const make = () => {
    const push = github.push({ repo: 'acme/shop', branches: ['dev'] });
    const merged = github.pullRequestMerged({ repo: 'acme/shop', base: 'master', head: 'release/*' });
    return triggerResources('shop', {
      workflowTemplate: 'shop-release',
      bindings: [
        { trigger: push, parameters: { revision: push.payload.after, branch: push.payload.ref } },
        { trigger: merged, parameters: { revision: merged.payload.pull_request.merge_commit_sha, branch: merged.payload.pull_request.base.ref } },
      ],
      github: connection,
    });
  };
  const { sensor: s, eventSource: es } = make();
  assert.equal(JSON.stringify(make()), JSON.stringify({ sensor: s, eventSource: es }));
  assert.equal(es?.spec.github?.['acme-shop']?.events, ['pull_request', 'push']);
  assert.equal(s.spec.triggers.map((t) => t.template?.conditions), ['push', 'pr-merged']);
  assert.equal(upstreamErrors(s), []);
  assert.equal(upstreamErrors(es), []);
});

test.run();
