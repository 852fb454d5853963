import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintYaml } from '../../src/lint/index.js';

// test/lint-corpus/argo: one case per file, written by generate.py from Argo's validator (validate.go) and
// docs. Each file says where the expectation comes from (`# upstream:`), whether Argo accepts it, and the
// argots error codes that stand for Argo's rejection (`# expect:`), plus warnings argots adds (`# warnings:`).
const DIR = fileURLToPath(new URL('../../../../test/lint-corpus/argo/', import.meta.url));
const files = readdirSync(DIR).filter((f) => /^\d{3}-.*\.yaml$/.test(f)).sort();

function header(content: string, key: string): string | undefined {
  return new RegExp(`^# ${key}: (.*)$`, 'm').exec(content)?.[1]?.trim();
}

test('the Argo corpus holds at least 170 cases, each citing its upstream source', () => {
  assert.ok(files.length >= 170, `expected at least 170 cases, found ${files.length}`);
  for (const f of files) assert.ok(header(readFileSync(join(DIR, f), 'utf8'), 'upstream'), `${f} cites its source`);
});

for (const file of files) {
  const content = readFileSync(join(DIR, file), 'utf8');
  const expect = header(content, 'expect') ?? 'none';
  const warnings = header(content, 'warnings');
  test(`given ${file}, then lint agrees with Argo (${header(content, 'argo') ?? '?'}: ${header(content, 'upstream') ?? ''})`, () => {
    const { diagnostics } = lintYaml([{ path: file, content }]);
    const errors = [...new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))].sort();
    const want = expect === 'none' ? [] : expect.split(',').map((c) => c.trim()).sort();
    assert.equal(errors, want, diagnostics.map((d) => `${d.code} ${d.severity} ${d.message}`).join('\n'));
    if (warnings) {
      const got = new Set(diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code));
      for (const w of warnings.split(',')) assert.ok(got.has(w.trim()), `warning ${w} expected`);
    }
  });
}

test.run();
