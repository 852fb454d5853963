import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeConditions } from '../src/_internal/node-conditions.js';
import { stackLocation } from '../src/_internal/stack-location.js';

test('export conditions come from --conditions / -C on the command line and in NODE_OPTIONS', () => {
  assert.equal(nodeConditions(['--conditions=source', '--import', 'tsx'], undefined), ['source']);
  assert.equal(nodeConditions(['-C', 'development'], '--conditions=source -C=edge'), ['development', 'source', 'edge']);
  assert.equal(nodeConditions(['--conditions', 'source'], '--conditions=source'), ['source'], 'no duplicates');
  assert.equal(nodeConditions([], undefined), []);
});

test('the location of a throw is the first stack frame in one of the pipeline sources', () => {
  const stack = [
    'Error: boom',
    '    at check (/work/node_modules/@argots/dsl/dist/pipeline.js:10:5)',
    '    at build (/work/pipelines/lib/helper.ts:3:9)',
    '    at file:///work/pipelines/app.ts:12:1',
  ].join('\n');
  assert.equal(stackLocation(stack, new Set(['/work/pipelines/app.ts', '/work/pipelines/lib/helper.ts'])), { file: '/work/pipelines/lib/helper.ts', line: 3, column: 9 });
  assert.equal(stackLocation(stack, new Set(['/work/pipelines/app.ts'])), { file: '/work/pipelines/app.ts', line: 12, column: 1 });
  assert.is(stackLocation(stack, new Set(['/elsewhere.ts'])), undefined);
  assert.is(stackLocation(undefined, new Set()), undefined);
});

test.run();
