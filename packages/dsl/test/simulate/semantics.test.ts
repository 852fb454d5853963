import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simulate } from '../../src/simulate/simulate.js';
import type { EventDependencyFilter, Sensor, Trigger } from '../../src/events/types/sensor.js';
import * as deliveries from './deliveries.js';

function one(filters: EventDependencyFilter, filtersLogicalOperator?: string, time?: string) {
  const s: Sensor = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name: 's' },
    spec: { dependencies: [{ name: 'd', eventSourceName: 'g', eventName: 'e', filters, ...(filtersLogicalOperator ? { filtersLogicalOperator } : {}) }], triggers: [{ template: { name: 't', log: {} } }] },
  };
  return simulate([s], deliveries.pushToBranch(), time ? { time } : {}).sensors[0]?.dependencies[0];
}

test('data filters: strings are unanchored regexes, != negates, numbers compare, value lists are ORed', () => {
  assert.is(one({ data: [{ path: 'body.ref', type: 'string', value: ['master'] }] })?.status, 'matched');
  assert.is(one({ data: [{ path: 'body.ref', type: 'string', value: ['heads/mast'] }] })?.status, 'matched', 'a substring matches');
  assert.is(one({ data: [{ path: 'body.ref', type: 'string', comparator: '!=', value: ['master'] }] })?.status, 'rejected');
  assert.is(one({ data: [{ path: 'body.repository.id', type: 'number', comparator: '>', value: ['100'] }] })?.status, 'matched');
  assert.is(one({ data: [{ path: 'body.repository.id', type: 'number', comparator: '<', value: ['100', '1e12'] }] })?.status, 'matched');
  assert.is(one({ data: [{ path: 'body.ref', type: 'string', value: ['^dev$', '^refs/heads/master$'] }] })?.status, 'matched');
  const missing = one({ data: [{ path: 'body.nope', type: 'string', value: ['x'] }] });
  assert.equal([missing?.status, missing?.failure?.outcome, missing?.failure?.reason], ['rejected', 'error', "path 'body.nope' does not exist"]);
});

test('dataLogicalOperator or skips missing paths; a template rewrites the value before comparison', () => {
  assert.is(one({ dataLogicalOperator: 'or', data: [{ path: 'body.nope', type: 'string', value: ['x'] }, { path: 'body.ref', type: 'string', value: ['master'] }] })?.status, 'matched');
  assert.is(one({ data: [{ path: 'body.ref', type: 'string', template: '{{ trimPrefix "refs/heads/" .Input }}', value: ['^master$'] }] })?.status, 'matched');
});

test('expr filters bind fields to paths; filtersLogicalOperator or passes when any kind passes', () => {
  const expr = { expr: 'ref == "refs/heads/master" && size >= 0', fields: [{ name: 'ref', path: 'body.ref' }, { name: 'size', path: 'body.repository.size' }] };
  assert.is(one({ exprs: [expr] })?.status, 'matched');
  const failing = one({ exprs: [{ ...expr, expr: 'ref == "x"' }] });
  assert.equal([failing?.failure?.kind, failing?.failure?.outcome], ['exprs', 'mismatch']);
  assert.is(one({ exprs: [{ ...expr, expr: 'ref == "x"' }], data: [{ path: 'body.ref', type: 'string', value: ['master'] }] }, 'or')?.status, 'matched');
  const both = one({ exprs: [{ ...expr, expr: 'ref == "x"' }], data: [{ path: 'body.ref', type: 'string', value: ['^x$'] }] }, 'or');
  assert.equal(both?.failures?.map((f) => f.kind), ['exprs', 'data']);
});

test('context filters compare exactly; time filters use [start, stop) and wrap midnight', () => {
  assert.is(one({ context: { type: 'github', subject: 'e', source: 'g' } })?.status, 'matched');
  assert.is(one({ context: { type: 'webhook' } })?.failure?.reason, 'context type is "github", the filter wants "webhook"');
  assert.is(one({ time: { start: '09:00:00', stop: '17:00:00' } }, undefined, '2026-03-02T12:00:00Z')?.status, 'matched');
  assert.is(one({ time: { start: '09:00:00', stop: '17:00:00' } }, undefined, '2026-03-02T17:00:00Z')?.status, 'rejected');
  assert.is(one({ time: { start: '22:00:00', stop: '02:00:00' } }, undefined, '2026-03-02T01:00:00Z')?.status, 'matched');
  assert.is(one({ time: { start: '09:00:00', stop: '17:00:00', timezone: 'America/New_York' } }, undefined, '2026-03-02T12:00:00Z')?.status, 'rejected');
});

test('conditions read dashes as underscores; without conditions every dependency is required', () => {
  const trigger = (conditions?: string): Trigger => ({ template: { name: 't', log: {}, ...(conditions ? { conditions } : {}) } });
  const s = (conditions?: string): Sensor => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name: 's' },
    spec: {
      dependencies: [
        { name: 'push-dep', eventSourceName: 'g', eventName: 'e', filters: { data: [{ path: 'body.ref', type: 'string', value: ['master'] }] } },
        { name: 'tag-dep', eventSourceName: 'g', eventName: 'e', filters: { data: [{ path: 'body.ref', type: 'string', value: ['^refs/tags/'] }] } },
      ],
      triggers: [trigger(conditions)],
    },
  });
  assert.is(simulate([s('push-dep || tag-dep')], deliveries.pushToBranch()).sensors[0]?.triggers[0]?.status, 'fires');
  const all = simulate([s()], deliveries.pushToBranch()).sensors[0]?.triggers[0];
  assert.equal([all?.status, all?.conditions], ['waits', 'push_dep && tag_dep']);
  assert.is(simulate([s('push-dep &&')], deliveries.pushToBranch()).sensors[0]?.triggers[0]?.status, 'fails');
});

test('trigger parameters: dataTemplate, then dataKey, then value; contextKey; operations; raw data', () => {
  const resource = { spec: { arguments: { parameters: [{ name: 'a', value: 'pre-' }, { name: 'b' }, { name: 'c' }, { name: 'd' }] }, args: ['x'] } };
  const s: Sensor = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name: 's' },
    spec: {
      dependencies: [{ name: 'd', eventSourceName: 'g', eventName: 'e' }],
      triggers: [{
        template: {
          name: 't',
          argoWorkflow: {
            source: { resource },
            parameters: [
              { src: { dependencyName: 'd', dataKey: 'body.ref' }, dest: 'spec.arguments.parameters.0.value', operation: 'append' },
              { src: { dependencyName: 'd', dataTemplate: '{{ .Input.body.nope }}', dataKey: 'body.after' }, dest: 'spec.arguments.parameters.1.value' },
              { src: { dependencyName: 'd', dataKey: 'body.nope', value: 'fallback' }, dest: 'spec.arguments.parameters.2.value' },
              { src: { dependencyName: 'd', contextKey: 'subject' }, dest: 'spec.arguments.parameters.3.value' },
              { src: { dependencyName: 'd', dataKey: 'body.commits', useRawData: true }, dest: 'spec.commits' },
              { src: { dependencyName: 'd', dataKey: 'body.ref' }, dest: 'spec.args.-1' },
            ],
          },
        },
      }],
    },
  };
  const t = simulate([s], deliveries.pushToBranch()).sensors[0]?.triggers[0];
  assert.is(t?.status, 'fires');
  const after = (deliveries.pushToBranch().body as { after: string }).after;
  assert.equal(t?.workflowParameters, { a: 'pre-refs/heads/master', b: after, c: 'fallback', d: 'e' });
  assert.equal(t?.parameters.map((p) => p.origin), ['dataKey', 'dataKey', 'value', 'contextKey', 'dataKey', 'dataKey']);
  const res = t?.resource as { spec: { commits: unknown; args: string[] } };
  assert.ok(Array.isArray(res.spec.commits), 'useRawData inserts JSON, not a string');
  assert.equal(res.spec.args, ['x', 'refs/heads/master']);
  const unresolved: Sensor = { ...s, spec: { ...s.spec, triggers: [{ template: { name: 't', argoWorkflow: { source: { resource }, parameters: [{ src: { dependencyName: 'd', dataKey: 'body.nope' }, dest: 'spec.x' }] } } }] } };
  const failed = simulate([unresolved], deliveries.pushToBranch()).sensors[0]?.triggers[0];
  assert.is(failed?.status, 'fails');
  assert.match(failed?.reason ?? '', "unable to resolve 'd' parameter value");
});

test('the generic webhook source writes header (not headers); the GitHub source writes headers', () => {
  const s: Sensor = {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Sensor', metadata: { name: 's' },
    spec: {
      dependencies: [{ name: 'd', eventSourceName: 'hooks', eventName: 'ci', filters: { data: [{ path: 'header.X-Github-Event.0', type: 'string', value: ['^push$'] }] } }],
      triggers: [{ template: { name: 't', log: {} } }],
    },
  };
  const webhook = { apiVersion: 'argoproj.io/v1alpha1', kind: 'EventSource', metadata: { name: 'hooks' }, spec: { webhook: { ci: { endpoint: '/ci', port: '12000', metadata: { team: 'shop' } } } } } as const;
  assert.is(simulate([s], deliveries.pushToBranch(), { eventSources: [webhook] }).sensors[0]?.dependencies[0]?.status, 'matched');
  const withMeta: Sensor = { ...s, spec: { ...s.spec, dependencies: [{ name: 'd', eventSourceName: 'hooks', eventName: 'ci', filters: { data: [{ path: 'metadata.team', type: 'string', value: ['^shop$'] }] } }] } };
  assert.is(simulate([withMeta], deliveries.pushToBranch(), { eventSources: [webhook] }).sensors[0]?.dependencies[0]?.status, 'matched', 'the event source metadata is forwarded');
  const github = simulate([s], deliveries.pushToBranch()).sensors[0]?.dependencies[0];
  assert.equal([github?.status, github?.failure?.reason], ['rejected', "path 'header.X-Github-Event.0' does not exist"]);
});

test.run();
