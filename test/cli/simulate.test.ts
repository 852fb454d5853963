// argots simulate wires the DSL's Sensor simulation to the command line: pipelines compiled in memory or
// Sensor YAML, a real GitHub webhook payload (from @octokit/webhooks-examples), text or --json.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '@argots/cli';
import { memoryIo } from './memory-io.js';
import { fixtureProject, removeFixtureProjects } from './fixture-project.js';

const root = new URL('../..', import.meta.url).pathname;
test.after(removeFixtureProjects);

interface Example { readonly ref: string; readonly after: string; readonly repository: { readonly full_name: string } }
const pushes = (JSON.parse(readFileSync(join(root, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as { name: string; examples: Example[] }[])
  .find((e) => e.name === 'push')!.examples;
const toMaster = pushes.find((e) => e.ref === 'refs/heads/master')!;
const toTag = pushes.find((e) => e.ref.startsWith('refs/tags/'))!;

const pipelineSource = `import { container, github, param, pipeline } from '@argots/dsl';

const say = container('say', { inputs: { sha: param.string() }, container: (i) => ({ image: 'alpine:3.20', args: [i.sha] }) });

export default pipeline('hello-push', (p) => {
  const { after } = p.trigger(github.push({ repo: '${toMaster.repository.full_name}', branches: ['master'] }), (e) => ({ after: e.after }));
  p.task('say', say.call({ sha: after }));
});
`;

function project(): string {
  const dir = fixtureProject({ 'pipelines/hello.ts': pipelineSource });
  writeFileSync(join(dir, 'push-master.json'), JSON.stringify(toMaster));
  writeFileSync(join(dir, 'push-tag.json'), JSON.stringify(toTag));
  return dir;
}

test('a push to the watched branch fires the trigger with the commit as its parameter', async () => {
  const dir = project();
  const io = memoryIo(dir);
  assert.is(await run(['simulate', '--event', 'push-master.json', '--type', 'push', 'pipelines'], io), 0, io.err());
  assert.match(io.out(), /Sensor "hello-push": 1 of 1 trigger fires\n/);
  assert.ok(io.out().includes(`after = "${toMaster.after}"`), io.out());
});

test('a tag push is rejected, naming the filter that failed', async () => {
  const dir = project();
  const io = memoryIo(dir);
  assert.is(await run(['simulate', '--event', 'push-tag.json', '--type', 'push', 'pipelines'], io), 0);
  assert.match(io.out(), /Sensor "hello-push": 0 of 1 trigger/);
  assert.match(io.out(), /dependency "push" rejected: .*"body\.ref": "refs\/tags\//);
});

test('the compiled Sensor YAML gives the same answer as the pipeline, and --json has the result', async () => {
  const dir = project();
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], memoryIo(dir)), 0);
  const fromTs = memoryIo(dir);
  const fromYaml = memoryIo(dir);
  await run(['simulate', '--event', 'push-master.json', '--type', 'push', 'pipelines', '--json'], fromTs);
  assert.is(await run(['simulate', '--event', 'push-master.json', '--type', 'push', 'manifests/sensor/hello-push.yaml', '--json'], fromYaml), 0);
  const a = JSON.parse(fromTs.out()) as { command: string; result: { sensors: { triggers: { status: string }[] }[] } };
  const b = JSON.parse(fromYaml.out()) as typeof a;
  assert.is(a.command, 'simulate');
  assert.equal(a.result, b.result);
  assert.is(a.result.sensors[0]!.triggers[0]!.status, 'fires');
});

test('--expect: exit 0 when the named pipeline starts, 1 when it would not; an unknown name or --type is a user error; --event - reads stdin', async () => {
  const dir = project();
  const fires = memoryIo(dir);
  assert.is(await run(['simulate', '--event', 'push-master.json', '--type', 'push', 'pipelines', '--expect', 'hello-push'], fires), 0, fires.err());
  const waits = memoryIo(dir);
  assert.is(await run(['simulate', '--event', 'push-tag.json', '--type', 'push', 'pipelines', '--expect', 'hello-push'], waits), 1);
  assert.match(waits.err(), /✖ expected to start, but would not for this push delivery: "hello-push"\n/);
  const unknown = memoryIo(dir);
  assert.is(await run(['simulate', '--event', 'push-master.json', '--type', 'push', 'pipelines', '--expect', 'hello-push2'], unknown), 1);
  assert.match(unknown.err(), /--expect names "hello-push2", which is no Sensor, trigger or submitted WorkflowTemplate of the inputs \(did you mean "hello-push"\?\)/);
  const typo = memoryIo(dir);
  assert.is(await run(['simulate', '--event', 'push-master.json', '--type', 'pushh', 'pipelines'], typo), 1);
  assert.match(typo.err(), /^✖ argots simulate: --type "pushh" is not an event GitHub sends \(did you mean "push"\?\)/);
  const piped = memoryIo(dir, { stdin: JSON.stringify(toMaster) });
  assert.is(await run(['simulate', '--event', '-', '--type', 'push', 'pipelines', '--expect', 'hello-push'], piped), 0, piped.err());
});

test('missing --event, a payload that is not JSON, and inputs without a Sensor are user errors', async () => {
  const dir = project();
  writeFileSync(join(dir, 'bad.json'), '{ "ref": ');
  assert.is(await run(['compile', 'pipelines', '--out', 'manifests'], memoryIo(dir)), 0);
  const cases: [string[], RegExp][] = [
    [['simulate', '--type', 'push', 'pipelines'], /^✖ argots simulate: --event FILE is required\n/],
    [['simulate', '--event', 'bad.json', '--type', 'push', 'pipelines'], /^✖ --event "bad\.json" is not valid JSON: /],
    [['simulate', '--event', 'push-master.json', '--type', 'push', 'push-tag.json'], /^✖ "push-tag\.json" is neither a pipeline \(\.ts, \.mts\) nor YAML/],
    [['simulate', '--event', 'push-master.json', '--type', 'push', 'manifests/workflow-template'], /^✖ found no Sensor in "manifests\/workflow-template"/],
  ];
  for (const [argv, expected] of cases) {
    const io = memoryIo(dir);
    assert.is(await run(argv, io), 1, argv.join(' '));
    assert.match(io.err(), expected);
  }
});

const sequenceSensor = `apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata:
  name: tag-after-master
spec:
  dependencies:
    - name: master-push
      eventSourceName: github
      eventName: shop
      transform:
        jq: '{branch: (.body.ref | ltrimstr("refs/heads/")), sha: .body.after}'
      filters:
        data:
          - path: branch
            type: string
            value: ["^master$"]
    - name: tag-push
      eventSourceName: github
      eventName: shop
      filters:
        script: 'return string.find(event.body.ref, "^refs/tags/") ~= nil'
  triggers:
    - template:
        name: release
        conditions: master-push && tag-push
        argoWorkflow:
          operation: submit
          source:
            resource:
              apiVersion: argoproj.io/v1alpha1
              kind: Workflow
              metadata: { generateName: release- }
              spec:
                workflowTemplateRef: { name: release }
                arguments: { parameters: [{ name: sha }] }
          parameters:
            - src: { dependencyName: master-push, dataKey: sha }
              dest: spec.arguments.parameters.0.value
`;

test('several --event flags are simulated in order: a trigger needing two dependencies fires on the second; jq and Lua run', async () => {
  const dir = fixtureProject({ 'sensors/release.yaml': sequenceSensor });
  writeFileSync(join(dir, 'push-master.json'), JSON.stringify(toMaster));
  writeFileSync(join(dir, 'push-tag.json'), JSON.stringify(toTag));
  const io = memoryIo(dir);
  const args = ['simulate', '--event', 'push-master.json', '--event', 'push-tag.json', '--type', 'push', 'sensors', '--expect', 'release'];
  assert.is(await run(args, io), 0, io.err());
  assert.match(io.out(), /── delivery 1 of 2: push \(push-master\.json\)\n/);
  assert.match(io.out(), /── delivery 2 of 2: push \(push-tag\.json\)\n/);
  const json = memoryIo(dir);
  assert.is(await run([...args, '--json'], json), 0, json.err());
  const results = (JSON.parse(json.out()) as { results: { sensors: { triggers: { status: string; workflowParameters?: Record<string, string> }[] }[] }[] }).results;
  assert.equal(results.map((r) => r.sensors[0]?.triggers[0]?.status), ['waits', 'fires']);
  assert.equal(results[1]?.sensors[0]?.triggers[0]?.workflowParameters, { sha: toMaster.after });
  // One delivery alone never fires it: --expect fails.
  const alone = memoryIo(dir);
  assert.is(await run(['simulate', '--event', 'push-tag.json', '--type', 'push', 'sensors', '--expect', 'release'], alone), 1);
  assert.match(alone.err(), /expected to start, but would not for this push delivery: "release"/);
});

test('--type must be given once or once per --event', async () => {
  const dir = fixtureProject({ 'sensors/release.yaml': sequenceSensor });
  writeFileSync(join(dir, 'a.json'), JSON.stringify(toMaster));
  const io = memoryIo(dir);
  assert.is(await run(['simulate', '--event', 'a.json', '--event', 'a.json', '--event', 'a.json', '--type', 'push', '--type', 'push', 'sensors'], io), 1);
  assert.match(io.err(), /expected one --type, or one per --event \(3\), received 2/);
  assert.match(io.err(), /hint: give each --event its --type in the same order/);
});

test.run();
