import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simulateSequence } from '../../src/simulate/simulate.js';
import type { Sensor } from '../../src/events/types/sensor.js';
import * as deliveries from './deliveries.js';

// Argo Events keeps the latest event of each dependency until a trigger whose conditions it completes fires
// (sensor `conditions: "push && merged"` waits for both); firing consumes the events the trigger used.
const sensor: Sensor = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name: 'both' },
  spec: {
    dependencies: [
      { name: 'push', eventSourceName: 'g', eventName: 'e', filters: { data: [{ path: 'headers.X-Github-Event.0', type: 'string', value: ['^push$'] }] } },
      { name: 'merged', eventSourceName: 'g', eventName: 'e', filters: { data: [{ path: 'body.pull_request.merged', type: 'bool', value: ['true'] }] } },
    ],
    triggers: [{ template: { name: 't', conditions: 'push && merged', log: {} } }],
  },
};

test('given two deliveries that each satisfy one dependency, then the trigger waits after the first and fires after the second', () => {
  const [first, second] = simulateSequence([sensor], [deliveries.pushToBranch(), deliveries.pullRequestClosedMerged()]);
  assert.is(first?.sensors[0]?.triggers[0]?.status, 'waits');
  assert.is(second?.sensors[0]?.triggers[0]?.status, 'fires');
});

test('given a trigger that fired, then its events are consumed: the next delivery alone does not fire it again', () => {
  const results = simulateSequence([sensor], [deliveries.pushToBranch(), deliveries.pullRequestClosedMerged(), deliveries.pushToBranch()]);
  assert.equal(results.map((r) => r.sensors[0]?.triggers[0]?.status), ['waits', 'fires', 'waits']);
});

test.run();
