import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareSimulation, simulate } from '../../src/simulate/simulate.js';
import { formatSimulation } from '../../src/simulate/format-simulation.js';
import type { Sensor, EventDependency, Trigger } from '../../src/events/types/sensor.js';
import * as deliveries from './deliveries.js';

function sensor(name: string, dependencies: EventDependency[], triggers: Trigger[]): Sensor {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name }, spec: { dependencies, triggers } };
}

function submit(name: string, dependencyName: string, params: Record<string, string>, conditions?: string): Trigger {
  const names = Object.keys(params);
  return {
    template: {
      name,
      ...(conditions ? { conditions } : {}),
      argoWorkflow: {
        operation: 'submit',
        source: {
          resource: {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Workflow',
            metadata: { generateName: `${name}-` },
            spec: { workflowTemplateRef: { name }, arguments: { parameters: names.map((n) => ({ name: n })) } },
          },
        },
        parameters: names.map((n, i) => ({ src: { dependencyName, dataKey: params[n] as string }, dest: `spec.arguments.parameters.${i}.value` })),
      },
    },
  };
}

const repoFilter = { path: 'body.repository.full_name', type: 'string', value: ['^Codertocat/Hello-World$'] } as const;
const eventFilter = (e: string) => ({ path: 'headers.X-Github-Event.0', type: 'string', value: [`^${e}$`] }) as const;

const pushToMaster = sensor(
  'hello-master',
  [{ name: 'push', eventSourceName: 'github', eventName: 'hello', filters: { data: [eventFilter('push'), repoFilter, { path: 'body.ref', type: 'string', value: ['^refs/heads/master$'] }] } }],
  [submit('hello-build', 'push', { revision: 'body.after', ref: 'body.ref', message: 'body.head_commit.message' })],
);

const merged = sensor(
  'hello-release-merged',
  [{
    name: 'pr-merged',
    eventSourceName: 'github',
    eventName: 'hello',
    filters: {
      data: [
        eventFilter('pull_request'),
        repoFilter,
        { path: 'body.action', type: 'string', value: ['^closed$'] },
        { path: 'body.pull_request.merged', type: 'bool', value: ['true'] },
        { path: 'body.pull_request.base.repo.full_name', type: 'string', value: ['^Codertocat/Hello-World$'] },
        { path: 'body.pull_request.head.repo.full_name', type: 'string', value: ['^Codertocat/Hello-World$'] },
        { path: 'body.pull_request.base.ref', type: 'string', value: ['^master$'] },
        { path: 'body.pull_request.head.ref', type: 'string', value: ['^release/[^/]*$'] },
      ],
    },
  }],
  [submit('hello-release', 'pr-merged', { number: 'body.number', head: 'body.pull_request.head.ref' })],
);

const tags = sensor(
  'hello-tags',
  [{ name: 'tag', eventSourceName: 'github', eventName: 'hello', filters: { data: [eventFilter('push'), repoFilter, { path: 'body.ref', type: 'string', value: ['^refs/tags/'] }, { path: 'body.deleted', type: 'bool', value: ['false'] }] } }],
  [submit('hello-tag-release', 'tag', { tag: 'body.ref' })],
);

const created = sensor(
  'hello-branch-created',
  [{ name: 'branch', eventSourceName: 'github', eventName: 'hello', filters: { data: [eventFilter('create'), repoFilter, { path: 'body.ref_type', type: 'string', value: ['^branch$'] }, { path: 'body.ref', type: 'string', value: ['^release/[^/]*$'] }] } }],
  [submit('hello-branch', 'branch', { branch: 'body.ref' })],
);

const all = [pushToMaster, merged, tags, created];
const firing = (d: ReturnType<typeof deliveries.pushToBranch>) =>
  simulate(all, d).sensors.filter((s) => s.triggers.some((t) => t.status === 'fires')).map((s) => s.sensor);

test('a push to a branch fires the branch Sensor with the commit sha, ref and message as workflow parameters', () => {
  const delivery = deliveries.pushToBranch();
  const result = simulate([pushToMaster], delivery);
  const trigger = result.sensors[0]?.triggers[0];
  assert.is(trigger?.status, 'fires');
  const body = delivery.body as { after: string; head_commit: { message: string } };
  assert.equal(trigger?.workflowParameters, { revision: body.after, ref: 'refs/heads/master', message: body.head_commit.message });
  assert.equal(firing(delivery), ['hello-master']);
});

test('a tag push fires only the tag Sensor; the branch Sensor says which filter failed and why', () => {
  const result = simulate(all, deliveries.tagPush());
  assert.equal(result.sensors.filter((s) => s.triggers[0]?.status === 'fires').map((s) => s.sensor), ['hello-tags']);
  const branch = result.sensors[0]?.dependencies[0];
  assert.is(branch?.status, 'rejected');
  assert.equal(branch?.failure, {
    kind: 'data', index: 2, path: 'body.ref', outcome: 'mismatch',
    reason: '"refs/tags/simple-tag" does not match ["^refs/heads/master$"] (unanchored regular expressions)',
  });
  assert.equal(result.sensors[2]?.triggers[0]?.workflowParameters, { tag: 'refs/tags/simple-tag' });
});

test('a branch created fires the branch-created Sensor; a tag created does not', () => {
  assert.equal(firing(deliveries.branchCreated('release/1.4')), ['hello-branch-created']);
  assert.equal(firing(deliveries.branchCreated('release/1.4/extra')), []);
  const tag = simulate([created], deliveries.tagCreated()).sensors[0]?.dependencies[0];
  assert.is(tag?.failure?.path, 'body.ref_type');
  assert.match(tag?.failure?.reason ?? '', '"tag" does not match ["^branch$"]');
});

test('a pull request closed and merged fires; closed unmerged is rejected on merged == true', () => {
  const yes = simulate([merged], deliveries.pullRequestClosedMerged('release/1.4')).sensors[0]?.triggers[0];
  assert.is(yes?.status, 'fires');
  assert.equal(yes?.workflowParameters, { number: '2', head: 'release/1.4' });
  const no = simulate([merged], deliveries.pullRequestClosedUnmerged()).sensors[0];
  assert.is(no?.triggers[0]?.status, 'waits');
  assert.is(no?.dependencies[0]?.failure?.path, 'body.pull_request.merged');
  assert.is(no?.dependencies[0]?.failure?.reason, 'false (as bool: false) is not ["true"]');
});

test('a pull request from a fork cannot start the release pipeline, even when merged', () => {
  const result = simulate([merged], deliveries.pullRequestFromFork('release/1.4')).sensors[0];
  assert.is(result?.triggers[0]?.status, 'waits');
  assert.is(result?.dependencies[0]?.failure?.path, 'body.pull_request.head.repo.full_name');
});

test('a push to another repository starts nothing: every Sensor pins the repository full name', () => {
  const result = simulate(all, deliveries.pushToOtherRepository());
  assert.equal(result.sensors.filter((s) => s.triggers[0]?.status === 'fires'), []);
  assert.is(result.sensors[0]?.dependencies[0]?.failure?.path, 'body.repository.full_name');
});

test('the human report names each Sensor, the failing filter and the resolved parameters', () => {
  const text = formatSimulation(simulate([pushToMaster, tags], deliveries.pushToBranch()));
  assert.match(text, 'Sensor "hello-master": 1 of 1 trigger fires');
  assert.match(text, '▶ trigger "hello-build" fires');
  assert.match(text, 'ref = "refs/heads/master"');
  assert.match(text, '✘ dependency "tag" rejected: data filter #3 at "body.ref": "refs/heads/master" does not match ["^refs/tags/"]');
});

test('the JSON shape is stable and round-trips', () => {
  const result = simulate([pushToMaster], deliveries.tagPush());
  assert.equal(JSON.parse(JSON.stringify(result)), result);
  assert.equal(Object.keys(result), ['delivery', 'sensors']);
  assert.equal(Object.keys(result.sensors[0] ?? {}), ['sensor', 'dependencies', 'triggers']);
});

test('with EventSources, a delivery reaches only dependencies whose event subscribes to its type and repository', () => {
  const source = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'EventSource', metadata: { name: 'github' },
    spec: { github: { hello: { repositories: [{ owner: 'Codertocat', names: ['Hello-World'] }], events: ['pull_request'], webhook: { endpoint: '/hello', port: '12000' } } } },
  } as const;
  const result = simulate([pushToMaster, merged], deliveries.pushToBranch(), { eventSources: [source] });
  const dep = result.sensors[0]?.dependencies[0];
  assert.equal([dep?.status, dep?.failure?.kind, dep?.failure?.reason], ['not-delivered', 'route', 'EventSource "github" event "hello" subscribes to [pull_request], not "push"']);
  assert.is(simulate([merged], deliveries.pullRequestClosedMerged(), { eventSources: [source] }).sensors[0]?.triggers[0]?.status, 'fires');
  const other = simulate([merged], deliveries.pullRequestClosedMerged(), { eventSourceName: 'gitlab' }).sensors[0]?.dependencies[0];
  assert.is(other?.status, 'not-delivered');
});

test('filters simulate cannot evaluate faithfully make the dependency unknown, never a guess', () => {
  const s = sensor('lua', [{ name: 'push', eventSourceName: 'github', eventName: 'hello', filters: { script: 'return os.execute("id") == 0' } }], [submit('x', 'push', { ref: 'body.ref' })]);
  const r = simulate([s], deliveries.pushToBranch()).sensors[0];
  assert.equal([r?.dependencies[0]?.status, r?.triggers[0]?.status], ['unknown', 'unknown']);
  assert.match(formatSimulation(simulate([s], deliveries.pushToBranch())), '? dependency "push" unknown: script filter (not supported by simulate)');
});

test('a Lua script filter is run: it reads the delivery as event.headers / event.body', () => {
  const script = 'return event.body.ref == "refs/heads/feature/x" and event.headers["X-Github-Event"][1] == "push"';
  const s = sensor('lua', [{ name: 'push', eventSourceName: 'github', eventName: 'hello', filters: { script } }], [submit('x', 'push', { ref: 'body.ref' })]);
  const fired = simulate([s], deliveries.pushToBranch('feature/x')).sensors[0];
  assert.equal([fired?.dependencies[0]?.status, fired?.triggers[0]?.status], ['matched', 'fires']);
  const other = simulate([s], deliveries.pushToBranch('dev')).sensors[0];
  assert.equal([other?.dependencies[0]?.status, other?.dependencies[0]?.failure?.kind], ['rejected', 'script']);
});

test('a Lua transform runs before the filters, and the trigger reads the transformed data', () => {
  const transform = { script: 'event.body.branch = string.gsub(event.body.ref, "^refs/heads/", "") return event' };
  const s = sensor(
    'lua-transform',
    [{ name: 'push', eventSourceName: 'github', eventName: 'hello', transform, filters: { data: [{ path: 'body.branch', type: 'string', value: ['^feature/'] }] } }],
    [submit('x', 'push', { branch: 'body.branch' })],
  );
  const r = simulate([s], deliveries.pushToBranch('feature/x')).sensors[0];
  assert.is(r?.triggers[0]?.status, 'fires');
  assert.equal(r?.triggers[0]?.workflowParameters, { branch: 'feature/x' });
  const failing = sensor('bad', [{ name: 'push', eventSourceName: 'github', eventName: 'hello', transform: { script: 'return "x"' } }], [submit('x', 'push', { ref: 'body.ref' })]);
  const bad = simulate([failing], deliveries.pushToBranch('feature/x')).sensors[0]?.dependencies[0];
  assert.equal([bad?.status, bad?.failure?.kind, bad?.failure?.outcome], ['rejected', 'transform', 'error']);
  assert.match(bad?.failure?.reason ?? '', 'transformation script output type is not of lua table');
});

test('a jq transform is evaluated once simulate is prepared (prepareSimulation), and unknown without it', async () => {
  const transform = { jq: '{branch: (.body.ref | ltrimstr("refs/heads/")), sha: .body.after}' };
  const s = sensor(
    'jq-transform',
    [{ name: 'push', eventSourceName: 'github', eventName: 'hello', transform, filters: { data: [{ path: 'branch', type: 'string', value: ['^feature/'] }] } }],
    [submit('x', 'push', { branch: 'branch' })],
  );
  const delivery = deliveries.pushToBranch('feature/x');
  assert.is(simulate([s], delivery).sensors[0]?.dependencies[0]?.status, 'unknown');
  const options = await prepareSimulation([s], [delivery]);
  const r = simulate([s], delivery, options).sensors[0];
  assert.is(r?.triggers[0]?.status, 'fires');
  assert.equal(r?.triggers[0]?.workflowParameters, { branch: 'feature/x' });
  const dev = deliveries.pushToBranch('dev');
  const rejected = simulate([s], dev, await prepareSimulation([s], [dev])).sensors[0]?.dependencies[0];
  assert.equal([rejected?.status, rejected?.failure?.kind], ['rejected', 'data']);
});

test.run();
