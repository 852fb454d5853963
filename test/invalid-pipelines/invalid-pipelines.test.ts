// Invalid pipelines written with the builders: synth must refuse each with the exact diagnostic (code,
// message) located at the builder call (file and line) in that pipeline's own file.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { synth } from '@argots/dsl';

interface Expected {
  readonly code: string;
  readonly line: number;
  readonly message: string;
}

const DIR = fileURLToPath(new URL('.', import.meta.url));
const files = readdirSync(DIR).filter((f) => /^\d+-[a-z0-9-]+\.ts$/.test(f)).sort();

test('the set holds at least 40 invalid pipelines', () => {
  assert.ok(files.length >= 40, `expected at least 40, found ${files.length}`);
});

for (const name of files) {
  test(`given ${name}, then synth writes nothing and reports exactly the expected diagnostic at its builder call`, async () => {
    const file = join(DIR, name);
    const mod = (await import(file)) as Record<string, unknown> & { expected: readonly Expected[] };
    const inputs = Object.entries(mod).filter(([key]) => key !== 'expected').map(([exportName, value]) => ({ value, exportName, file }));
    const result = synth(inputs);
    assert.equal(result.files, [], 'nothing is written when there is an error');
    const actual = result.diagnostics.map((d) => ({ code: d.code, severity: d.severity, file: d.source ? basename(d.source.file) : undefined, line: d.source?.line, message: d.message }));
    assert.equal(actual, mod.expected.map((e) => ({ code: e.code, severity: 'error', file: name, line: e.line, message: e.message })));
    for (const d of result.diagnostics) assert.ok(d.hint && d.path, `${d.code} has a path and a hint`);
  });
}

test.run();
