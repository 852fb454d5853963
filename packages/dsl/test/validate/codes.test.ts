// The code registry is the single list of ARG001–ARG199: every code is emitted somewhere and documented.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VALIDATION_CODES } from '../../src/validate/index.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') && !full.endsWith('codes.ts') ? [full] : [];
  });
}

const codes = Object.keys(VALIDATION_CODES);

test('codes are ARG001–ARG199, in order, each with a one-line description', () => {
  for (const code of codes) assert.match(code, /^ARG(0\d\d|1\d\d)$/);
  assert.equal([...codes].sort(), codes);
  for (const text of Object.values(VALIDATION_CODES)) assert.ok(text.length > 10 && !text.includes('\n'));
});

test('every registered code is emitted by validate/ or lint/', () => {
  const text = [...sources(join(SRC, 'validate')), ...sources(join(SRC, 'lint'))].map((f) => readFileSync(f, 'utf8')).join('\n');
  for (const code of codes) assert.ok(text.includes(`'${code}'`), `${code} is emitted somewhere`);
});

test('every registered code is in the README table', () => {
  const readme = readFileSync(README, 'utf8');
  for (const code of codes) assert.ok(readme.includes(`| ${code} |`), `${code} is documented in packages/dsl/README.md`);
});

test.run();
