// Simulates 10,000 GitHub webhook deliveries (real @octokit/webhooks-examples payloads, varied repository
// and ref) against 200 Sensors built with the GitHub trigger builders, and prints dependency evaluations per
// second against the 50,000/s target.
import { github } from '../src/events/github-trigger.js';
import { sensor } from '../src/events/sensor.js';
import { submitWorkflow } from '../src/events/trigger.js';
import { simulate } from '../src/simulate/simulate.js';
import type { Sensor } from '../src/events/types/sensor.js';
import type { WebhookDelivery } from '../src/simulate/argo-event.js';
import * as deliveries from '../test/simulate/deliveries.js';

const TARGET = 50_000;
const SENSORS = 200;
const DELIVERIES = 10_000;
const repos = Array.from({ length: 40 }, (_, i) => `acme/service-${i}`);

const sensors: Sensor[] = [];
for (let i = 0; i < SENSORS; i += 1) {
  const repo = repos[i % repos.length] as string;
  const kind = i % 4;
  if (kind === 0) {
    const t = github.push({ repo, branches: ['dev', 'release/*'] });
    sensors.push(sensor(`push-${i}`, { dependencies: [t], triggers: [submitWorkflow('build', { workflowTemplate: `build-${i}`, parameters: { revision: t.payload.after, branch: t.payload.ref } })] }));
  } else if (kind === 1) {
    const t = github.tagPushed({ repo, pattern: 'v*' });
    sensors.push(sensor(`tag-${i}`, { dependencies: [t], triggers: [submitWorkflow('release', { workflowTemplate: `release-${i}`, parameters: { tag: t.payload.ref } })] }));
  } else if (kind === 2) {
    const t = github.branchCreated({ repo, pattern: 'release/*' });
    sensors.push(sensor(`branch-${i}`, { dependencies: [t], triggers: [submitWorkflow('cut', { workflowTemplate: `cut-${i}`, parameters: { branch: t.payload.ref } })] }));
  } else {
    const t = github.pullRequestMerged({ repo, base: 'master', head: 'release/*' });
    const p = github.push({ repo, branches: ['master'], dependency: 'master' });
    sensors.push(sensor(`merged-${i}`, {
      dependencies: [t, p],
      triggers: [submitWorkflow('promote', { workflowTemplate: `promote-${i}`, conditions: 'pr-merged || master', parameters: { sha: { dependency: 'pr-merged', dataKey: 'body.pull_request.merge_commit_sha', value: '' } } })],
    }));
  }
}

function retarget(d: WebhookDelivery, repo: string, ref: string | undefined): WebhookDelivery {
  const body = structuredClone(d.body) as { repository: { full_name: string }; ref?: string; pull_request?: { base: { repo: { full_name: string } }; head: { repo: { full_name: string } } } };
  body.repository.full_name = repo;
  if (ref !== undefined && body.ref !== undefined) body.ref = ref;
  if (body.pull_request) {
    body.pull_request.base.repo.full_name = repo;
    body.pull_request.head.repo.full_name = repo;
  }
  return { ...d, body };
}

const shapes: (() => WebhookDelivery)[] = [
  () => deliveries.pushToBranch(), () => deliveries.tagPush(), () => deliveries.branchCreated(),
  () => deliveries.pullRequestClosedMerged(), () => deliveries.pullRequestClosedUnmerged(), () => deliveries.pullRequestFromFork(),
];
const refs = ['refs/heads/dev', 'refs/heads/master', 'refs/heads/release/1.2', 'refs/tags/v1.0.0', 'refs/heads/feature/x'];
const pool: WebhookDelivery[] = [];
for (let i = 0; i < 500; i += 1) {
  const shape = shapes[i % shapes.length] as () => WebhookDelivery;
  pool.push(retarget(shape(), repos[(i * 7) % repos.length] as string, refs[i % refs.length]));
}

let evaluations = 0;
let fired = 0;
const run = (n: number): void => {
  for (let i = 0; i < n; i += 1) {
    const result = simulate(sensors, pool[i % pool.length] as WebhookDelivery);
    for (const s of result.sensors) {
      evaluations += s.dependencies.length;
      for (const t of s.triggers) if (t.status === 'fires') fired += 1;
    }
  }
};
run(200);
evaluations = 0;
fired = 0;
const start = process.hrtime.bigint();
run(DELIVERIES);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const rate = evaluations / seconds;
console.log(`simulate: ${DELIVERIES} deliveries × ${SENSORS} Sensors = ${evaluations} dependency evaluations in ${seconds.toFixed(2)}s (${fired} triggers fired)`);
console.log(`  ${Math.round(rate).toLocaleString('en-US')} dependency evaluations/s — target ${TARGET.toLocaleString('en-US')}/s: ${rate >= TARGET ? 'met' : 'NOT met'}`);
if (rate < TARGET) process.exitCode = 1;
