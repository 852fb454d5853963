/**
 * Real GitHub webhook deliveries from @octokit/webhooks-examples. The package has no example of a merged
 * pull request, a pull request from a fork, a branch creation or a push to another repository; those are
 * derived from the closest real payload by changing only the fields named next to them.
 */
import { createRequire } from 'node:module';
import type { WebhookDelivery } from '../../src/simulate/argo-event.js';

const require = createRequire(import.meta.url);
const definitions = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];

function example(event: string, pick: (e: Record<string, unknown>) => boolean): Record<string, unknown> {
  const found = definitions.find((d) => d.name === event)?.examples.find(pick);
  if (!found) throw new Error(`@octokit/webhooks-examples has no matching "${event}" example`);
  return structuredClone(found);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payload surgery on real payloads
type Json = Record<string, any>;

/** push to refs/heads/master of Codertocat/Hello-World (real); another branch changes only `ref`. */
export function pushToBranch(branch = 'master'): WebhookDelivery {
  const body = example('push', (e) => e.ref === 'refs/heads/master');
  body['ref'] = `refs/heads/${branch}`;
  return { eventType: 'push', body };
}

/** push of refs/tags/simple-tag to Codertocat/Hello-World (real). */
export function tagPush(): WebhookDelivery {
  return { eventType: 'push', body: example('push', (e) => e.ref === 'refs/tags/simple-tag' && e.created === true) };
}

/** create of tag simple-tag (real). */
export function tagCreated(): WebhookDelivery {
  return { eventType: 'create', body: example('create', (e) => e.ref_type === 'tag') };
}

/** create of branch `release/1.4` — derived from the real tag `create`: ref_type "branch", ref "release/1.4". */
export function branchCreated(ref = 'release/1.4'): WebhookDelivery {
  const body = example('create', (e) => e.ref_type === 'tag') as Json;
  body.ref_type = 'branch';
  body.ref = ref;
  return { eventType: 'create', body };
}

/** pull_request closed without merge, head `changes` → base `master` (real). */
export function pullRequestClosedUnmerged(): WebhookDelivery {
  return { eventType: 'pull_request', body: example('pull_request', (e) => e.action === 'closed') };
}

/** pull_request closed and merged — derived from the real closed one: merged true, merged_at set, head ref given. */
export function pullRequestClosedMerged(headRef = 'release/1.4'): WebhookDelivery {
  const body = example('pull_request', (e) => e.action === 'closed') as Json;
  body.pull_request.merged = true;
  body.pull_request.merged_at = '2019-05-15T15:20:41Z';
  body.pull_request.head.ref = headRef;
  body.pull_request.head.label = `Codertocat:${headRef}`;
  return { eventType: 'pull_request', body };
}

/** pull_request from a fork, closed and merged — derived: the head repository is `evil-fork/Hello-World`, a fork. */
export function pullRequestFromFork(headRef = 'release/1.4'): WebhookDelivery {
  const delivery = pullRequestClosedMerged(headRef);
  const body = delivery.body as Json;
  body.pull_request.head.repo.full_name = 'evil-fork/Hello-World';
  body.pull_request.head.repo.fork = true;
  body.pull_request.head.repo.owner.login = 'evil-fork';
  body.pull_request.head.label = `evil-fork:${headRef}`;
  return delivery;
}

/** push to refs/heads/master of another repository — derived: repository octo-org/Hello-World. */
export function pushToOtherRepository(): WebhookDelivery {
  const delivery = pushToBranch();
  const body = delivery.body as Json;
  body.repository.full_name = 'octo-org/Hello-World';
  body.repository.owner.login = 'octo-org';
  body.repository.owner.name = 'octo-org';
  return delivery;
}

/** A push to `branch` whose head commit message is `message` — derived from the real branch push. */
export function pushWith(branch: string, message: string): WebhookDelivery {
  const delivery = pushToBranch();
  const body = delivery.body as Json;
  body.ref = `refs/heads/${branch}`;
  body.head_commit.message = message;
  return delivery;
}
