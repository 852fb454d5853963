// The branch strategy, end to end on the compiled Sensors: real GitHub webhook payloads (from
// @octokit/webhooks-examples, moved to acme/shop) are run through `simulate`, and exactly the pipeline the
// strategy names starts, with the parameters taken from the payload. Forks, unmerged pull requests and
// other branches start nothing.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isSynthesizable, simulate, synth } from '@argots/dsl';
import type { Sensor, SynthInput, WebhookDelivery } from '@argots/dsl';
import * as deliveries from '../../packages/dsl/test/simulate/deliveries.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const files = [
  ...readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).map((f) => `examples/${f}`),
  ...readdirSync(join(root, 'pipelines')).filter((f) => f.endsWith('.ts')).map((f) => `pipelines/${f}`),
];
const inputs: SynthInput[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(root, file)).href)) as Record<string, unknown>;
  for (const [exportName, value] of Object.entries(mod)) if (isSynthesizable(value)) inputs.push({ value, exportName, file });
}
const result = synth(inputs);
const sensors = result.files.filter((f) => f.kind === 'Sensor').map((f) => f.object as unknown as Sensor);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload surgery on real payloads
type Json = Record<string, any>;

/** The same delivery, from acme/shop (and, for pull requests, with both ends in acme/shop unless a fork). */
function inShop(delivery: WebhookDelivery): WebhookDelivery {
  const body = structuredClone(delivery.body) as Json;
  body.repository.full_name = 'acme/shop';
  if (body.pull_request) {
    body.pull_request.base.repo.full_name = 'acme/shop';
    if (!body.pull_request.head.repo.fork) body.pull_request.head.repo.full_name = 'acme/shop';
  }
  return { ...delivery, body };
}

function pushTo(branch: string): WebhookDelivery {
  return inShop(deliveries.pushWith(branch, 'a change'));
}
function merged(head: string, base: string): WebhookDelivery {
  const d = inShop(deliveries.pullRequestClosedMerged(head));
  (d.body as Json).pull_request.base.ref = base;
  return d;
}

/** Which Sensors fire for a delivery, with the workflow parameters they fill. */
function fired(delivery: WebhookDelivery): Record<string, Readonly<Record<string, string>>> {
  const out: Record<string, Readonly<Record<string, string>>> = {};
  for (const s of simulate(sensors, delivery).sensors) {
    for (const t of s.triggers) if (t.status === 'fires') out[s.sensor] = t.workflowParameters ?? {};
  }
  return out;
}

test('given a push to dev (a feature merged), then only the dev build starts, with the pushed range', () => {
  const d = pushTo('dev');
  const body = d.body as Json;
  assert.equal(fired(d), { 'dev-build': { before: body.before, after: body.after } });
});

test('given a push to a feature branch, then nothing starts', () => {
  assert.equal(fired(pushTo('feature/checkout-v2')), {});
});

test('given a push to main, then the CI example starts (and not the docs site of another repository)', () => {
  assert.equal(Object.keys(fired(pushTo('main'))), ['ci-pipeline']);
});

test('given a release branch created, then the staging promotion starts with the branch name', () => {
  const d = inShop(deliveries.branchCreated('release/1.4'));
  assert.equal(fired(d), { 'staging-promotion': { release: 'release/1.4' } });
});

test('given a release merged into master, then the production promotion starts with the merge commit (the image is read from staging)', () => {
  const d = merged('release/1.4', 'master');
  const pr = (d.body as Json).pull_request;
  assert.equal(fired(d), { 'production-promotion': { mergeCommit: pr.merge_commit_sha } });
});

test('given a bugfix merged onto a release, then the staging bugfix starts with the release branch', () => {
  const d = merged('bugfix/cart-total', 'release/1.4');
  assert.equal(fired(d), { 'staging-bugfix': { release: 'release/1.4', mergeCommit: (d.body as Json).pull_request.merge_commit_sha } });
});

test('given a hotfix merged into master, then the hotfix flow starts', () => {
  const d = merged('hotfix/payment-timeout', 'master');
  assert.equal(fired(d), { hotfix: { mergeCommit: (d.body as Json).pull_request.merge_commit_sha } });
});

test('given a release pull request from a fork, or closed without merging, then nothing starts', () => {
  assert.equal(fired(inShop(deliveries.pullRequestFromFork('release/1.4'))), {});
  assert.equal(fired(inShop(deliveries.pullRequestClosedUnmerged())), {});
});

test('given a push to dev of another repository, then nothing starts', () => {
  assert.equal(fired(deliveries.pushWith('dev', 'a change')), {});
});

test.run();
