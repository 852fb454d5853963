import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintYaml } from '../../src/lint/index.js';
import { VALIDATION_CODES } from '../../src/validate/index.js';

interface Expected {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

const DIR = fileURLToPath(new URL('../../../../test/lint-corpus/', import.meta.url));
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, Expected[]>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

test('the corpus holds at least 20 invalid files, each with its expectation', () => {
  assert.ok(files.length >= 20, `expected at least 20 files, found ${files.length}`);
  assert.equal(Object.keys(expected).sort(), files);
});

for (const file of files) {
  test(`given ${file}, then lint reports exactly the expected diagnostic at its line and column`, () => {
    const { diagnostics } = lintYaml([{ path: file, content: readFileSync(join(DIR, file), 'utf8') }]);
    const actual = diagnostics.map((d) => ({ code: d.code, severity: d.severity, message: d.message, line: d.source?.line, column: d.source?.column }));
    assert.equal(actual, expected[file]);
    for (const d of diagnostics) {
      assert.ok(d.code in VALIDATION_CODES, `${d.code} is registered in validate/codes.ts`);
      assert.ok(d.hint && d.hint.length > 0, `${d.code} has a hint`);
      assert.equal(d.source?.file, file);
    }
  });
}

test.run();
