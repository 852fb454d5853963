// The precompiled Sensor/EventSource validators must be what the generator writes from event-schema.ts now,
// and must judge like ajv compiling the same schemas at run time (same errors, same order).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { generatedPath, renderEventValidators } from '../../scripts/generate-event-validators.js';
import { EVENT_SOURCE_SCHEMA, SENSOR_SCHEMA } from '../../src/events/validate/_internal/event-schema.js';
import * as precompiled from '../../src/events/validate/_internal/event-validators.generated.js';

test('event-validators.generated.ts is up to date with event-schema.ts (else run the generator)', () => {
  assert.ok(readFileSync(generatedPath, 'utf8') === renderEventValidators(), 'run: node --conditions=source --import tsx packages/dsl/scripts/generate-event-validators.ts');
});

test('the precompiled validators report what ajv compiling the schemas at run time reports', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const live = { sensor: ajv.compile(SENSOR_SCHEMA), eventSource: ajv.compile(EVENT_SOURCE_SCHEMA) };
  const ahead = precompiled as unknown as Record<'sensor' | 'eventSource', ((v: unknown) => boolean) & { errors?: unknown }>;
  const cases: [keyof typeof live, unknown][] = [
    ['sensor', { apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name: 's' }, spec: { dependencies: [{ name: 'd', eventSourceName: 'g', eventName: 'e' }], triggers: [] } }],
    ['sensor', { apiVersion: 'argoproj.io/v1', kind: 'Sensr', metadata: {}, spec: { dependencies: 'x', triggers: [{ template: { nme: 1 } }], extra: true } }],
    ['sensor', 42],
    ['eventSource', { apiVersion: 'argoproj.io/v1alpha1', kind: 'EventSource', metadata: { name: 'e' }, spec: { github: { x: { repositories: [{ owner: 1 }] } } } }],
    ['eventSource', { kind: 'EventSource', spec: [] }],
  ];
  for (const [kind, value] of cases) {
    const expected = live[kind](value);
    assert.is(ahead[kind](value), expected, `${kind} ${JSON.stringify(value)}`);
    assert.equal(ahead[kind].errors ?? null, live[kind].errors ?? null, `${kind} errors for ${JSON.stringify(value)}`);
  }
});

test.run();
