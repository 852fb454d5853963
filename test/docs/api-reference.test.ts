// The API reference (docs/api/*.md) is generated from the TSDoc of every public export by
// scripts/api-reference.ts: it must be what the script writes now (run `pnpm docs:api` after changing a doc
// comment or a public signature), and it must cover every export, builder and option.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as dsl from '@argots/dsl';
import { renderAll } from '../../scripts/api-reference.js';

const root = new URL('../..', import.meta.url).pathname;
const pages = renderAll();

test('every page in docs/api/ is up to date with the TSDoc (else: pnpm docs:api)', () => {
  for (const [path, content] of pages) {
    let current = '';
    try {
      current = readFileSync(join(root, path), 'utf8');
    } catch {
      assert.unreachable(`${path} is missing: run 'pnpm docs:api'`);
    }
    assert.ok(current === content, `${path} is not what scripts/api-reference.ts writes: run 'pnpm docs:api' and commit the result`);
  }
});

test('the dsl page documents every runtime export, with builder members and their examples', () => {
  const page = pages.get('docs/api/dsl.md') ?? '';
  for (const name of Object.keys(dsl)) assert.ok(page.includes(`### \`${name}\``), `export "${name}" has no section`);
  assert.match(page, '- `pullRequest(options: GithubPullRequestOptions<A>)');
  assert.match(page, "const pr = github.pullRequest({ repo: 'acme/shop'");
  assert.match(page, '### `GithubPullRequestOptions`');
  assert.match(page, '- `includeDrafts?: boolean` — Draft pull requests start the pipeline too');
});

test.run();
