import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { filterEvent } from '../../src/simulate/filter-event.js';
import type { ArgoEvent } from '../../src/simulate/argo-event.js';
import type { EventDependencyFilter } from '../../src/events/types/sensor.js';

interface FilterCase {
  readonly name: string;
  readonly upstream: string;
  readonly filters: EventDependencyFilter;
  readonly filtersLogicalOperator?: string;
  readonly event: ArgoEvent;
  readonly want: 'pass' | 'reject' | 'error';
}

const cases = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../test/filter-corpus/cases.json', import.meta.url)), 'utf8')) as FilterCase[];

test('the filter corpus cites its upstream source for every case', () => {
  assert.ok(cases.length >= 30, `expected at least 30 cases, found ${cases.length}`);
  for (const c of cases) assert.ok(c.upstream.length > 0, c.name);
});

for (const c of cases) {
  test(`given ${c.name}, then Argo Events' verdict is ${c.want} (${c.upstream})`, () => {
    const verdict = filterEvent(c.filters, c.filtersLogicalOperator, c.event);
    const got = verdict.passed ? 'pass' : verdict.failure?.outcome === 'error' ? 'error' : verdict.failure?.outcome === 'mismatch' ? 'reject' : `unknown: ${verdict.failure?.reason ?? ''}`;
    assert.is(got, c.want, verdict.failure?.reason);
  });
}

test.run();
