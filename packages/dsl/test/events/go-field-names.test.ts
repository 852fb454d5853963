import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateEventResources } from '../../src/events/validate/validate-event-resources.js';

// Go's encoding/json (which Argo Events' controller and the API server's decoding use) matches a key to a struct
// field case-insensitively when no field has the exact name: `openwhisk` is read as `openWhisk`, `Log` as `log`.
// Argo Events accepts such a manifest; argots reads it the same way and warns.
const sensor = (template: Record<string, unknown>) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Sensor',
  metadata: { name: 'ci' },
  spec: {
    // filtered, so that the unfiltered-dependency warning (ARG336) stays out of these cases
    dependencies: [{ name: 'push', eventSourceName: 'github', eventName: 'push', filters: { data: [{ path: 'body.ref', type: 'string', value: ['^refs/heads/main$'] }] } }],
    triggers: [{ template: { name: 't', ...template } }],
  },
});

test('given a trigger type written in another case, then it is read as Argo Events reads it, with a warning naming the field', () => {
  const d = validateEventResources([sensor({ Log: { intervalSeconds: 1 } })]);
  assert.equal(d.map((x) => [x.code, x.severity, x.path]), [['ARG310', 'warning', 'spec.triggers[0].template.Log']]);
  assert.match(d[0]?.message ?? '', /"Log" is read by Argo Events as "log"/);
});

test('given a field no API field matches in any case, then the rules still report it as before', () => {
  const d = validateEventResources([sensor({ lgo: { intervalSeconds: 1 } })]);
  assert.ok(d.some((x) => x.severity === 'error'), d.map((x) => x.message).join('\n'));
  assert.not.ok(d.some((x) => /is read by Argo Events as/.test(x.message)));
});

test.run();
