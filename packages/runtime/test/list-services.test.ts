/** `argots-runtime list-services`: the services the change rules declare, as the JSON list a promotion loops over. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../src/cli.js';
import { remove, tempDir, writeFiles } from './git-fixtures.js';

async function run(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { PATH: process.env['PATH'] }, cwd: process.cwd(), interactive: false });
  return { code, stdout, stderr };
}

test('given change rules with two services, then list-services writes both names in the order declared', async () => {
  const dir = tempDir('argots-list-services-');
  const out = tempDir('argots-out-');
  try {
    writeFiles(dir, { '.argots/changes.yaml': 'services:\n  shop-web: services/shop-web\n  shop-api: [services/shop-api, "libs/**"]\n' });
    const r = await run(['list-services', '--repo', dir, '--output-dir', out]);
    assert.is(r.code, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(join(out, 'services'), 'utf8')), ['shop-web', 'shop-api']);
  } finally {
    remove(dir);
    remove(out);
  }
});

test('given rules that declare no services, then it fails with RUN803 saying there is nothing to promote', async () => {
  const dir = tempDir('argots-list-services-');
  try {
    writeFiles(dir, { 'README.md': 'no rules\n' });
    const r = await run(['list-services', '--repo', dir]);
    assert.is(r.code, 1);
    assert.match(r.stdout + r.stderr, 'RUN803');
    assert.match(r.stdout + r.stderr, 'nothing to promote');
  } finally {
    remove(dir);
  }
});

test.run();
