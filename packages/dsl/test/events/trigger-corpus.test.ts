// Invalid trigger definitions (test/trigger-corpus/*.yaml at the repository root): each file states the one error it must produce (`# expect: CODE message`),
// checked through `lintYaml`, which validates Sensor and EventSource documents with validateEventResources.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { lintYaml } from '../../src/lint/lint-yaml.js';

const dir = new URL('../../../../test/trigger-corpus/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

test('the corpus holds at least 20 invalid trigger definitions', () => {
  assert.ok(files.length >= 20, `${files.length} files`);
});

for (const file of files) {
  const content = readFileSync(new URL(file, dir), 'utf8');
  const m = /^# expect: (ARG\d{3}) (.+)$/m.exec(content);
  test(`${file}: ${m?.[1] ?? '(no expectation)'}`, () => {
    if (!m) throw new Error(`${file} has no "# expect: CODE message" line`);
    const [, code, message] = m as unknown as [string, string, string];
    const { diagnostics, skipped } = lintYaml([{ path: `test/trigger-corpus/${file}`, content }]);
    assert.equal(skipped, [], 'Sensor and EventSource documents are validated, not skipped');
    const errors = diagnostics.filter((d) => d.severity === 'error');
    assert.equal([...new Set(errors.map((d) => d.code))], [code], `error codes of ${file}: ${errors.map((d) => `${d.code} ${d.message}`).join(' | ')}`);
    const hit = errors.find((d) => d.message.includes(message));
    assert.ok(hit, `no ${code} message contains ${JSON.stringify(message)}; got ${errors.map((d) => d.message).join(' | ')}`);
    assert.ok(hit?.source && hit.source.file.endsWith(file) && hit.source.line > 1, 'located at its YAML node');
    assert.ok(hit?.hint, 'has a hint');
  });
}

test.run();
