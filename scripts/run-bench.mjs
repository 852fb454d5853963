#!/usr/bin/env node
// Runs every benchmark (files named *.bench.ts under packages/*/bench and test/bench), one after another.
// Each prints its own figures next to the reference it is measured against.
// Usage: node scripts/run-bench.mjs [name-filter...]
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);
const dirs = [...readdirSync(join(root, 'packages')).map((p) => join('packages', p, 'bench')), join('test', 'bench')];
const files = dirs
  .filter((d) => existsSync(join(root, d)))
  .flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.bench.ts')).map((f) => join(d, f)))
  .sort();
// A filter that is a benchmark's name (`pnpm bench run` → run.bench.ts) selects that one; otherwise any path containing it.
const named = (f, x) => f.endsWith(`/${x}.bench.ts`);
const selected = files.filter((f) => filters.length === 0 || filters.some((x) => (files.some((g) => named(g, x)) ? named(f, x) : f.includes(x))));
let status = 0;
for (const file of selected) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) status = 1;
}
if (selected.length === 0) console.log('no benchmarks matched');
process.exit(status);
