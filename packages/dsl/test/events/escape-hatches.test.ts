// The Argo Events escape hatches: eventSource({ spec }) writes any other event source kind as given, and
// patchResource() merges fields no option covers into a Sensor or EventSource, validated again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DiagnosticError } from '../../src/diagnostic.js';
import { eventSource } from '../../src/events/event-source.js';
import { patchResource } from '../../src/events/patch-resource.js';
import { sensor } from '../../src/events/sensor.js';

const SYNTH = Symbol.for('argots.synth');

const emitted = (r: object): unknown => (r as { [SYNTH]: () => readonly { object: unknown }[] })[SYNTH]()[0]!.object;

test('eventSource({ spec }) writes an event source kind the options do not type, beside the typed ones', () => {
  const es = eventSource('mixed', { calendar: { nightly: { schedule: '0 2 * * *' } }, spec: { kafka: { orders: { url: 'kafka:9092', topic: 'orders', partition: '0' } } } });
  assert.equal((emitted(es) as { spec: unknown }).spec, {
    calendar: { nightly: { schedule: '0 2 * * *' } },
    kafka: { orders: { url: 'kafka:9092', topic: 'orders', partition: '0' } },
  });
});

test('eventSource({ spec }) alone is an EventSource with events (validation sees the merged spec)', () => {
  const es = eventSource('kafka', { spec: { kafka: { example: { url: 'kafka:9092', topic: 't', partition: '1' } } } });
  assert.equal((emitted(es) as { metadata: unknown }).metadata, { name: 'kafka' });
});

test('patchResource merges key by key, replaces lists, removes with null, and keeps the original unchanged', () => {
  const s = sensor('log', { dependencies: [{ name: 'tick', eventSourceName: 'calendar', eventName: 'nightly' }], triggers: [{ template: { name: 'log', log: {} } }] });
  const patched = patchResource(s, { spec: { template: { container: { env: [{ name: 'LOG_LEVEL', value: 'error' }] } }, errorOnFailedRound: true } });
  const spec = (emitted(patched) as { spec: Record<string, unknown> }).spec;
  assert.equal(spec['template'], { container: { env: [{ name: 'LOG_LEVEL', value: 'error' }] } });
  assert.is(spec['errorOnFailedRound'], true);
  assert.equal(spec['dependencies'], [{ name: 'tick', eventSourceName: 'calendar', eventName: 'nightly' }]);
  assert.is((emitted(s) as { spec: Record<string, unknown> }).spec['template'], undefined, 'the original resource is not changed');
  const removed = patchResource(patched, { spec: { errorOnFailedRound: null } });
  assert.is((emitted(removed) as { spec: Record<string, unknown> }).spec['errorOnFailedRound'], undefined);
});

test('patchResource validates the result: a patch that breaks the Sensor is an error, not a half-valid resource', () => {
  const s = sensor('log', { dependencies: [{ name: 'tick', eventSourceName: 'calendar', eventName: 'nightly' }], triggers: [{ template: { name: 'log', log: {} } }] });
  assert.throws(() => patchResource(s, { spec: { triggers: [] } }), (e: unknown) => e instanceof DiagnosticError && /trigger/i.test(e.message));
});

test.run();
