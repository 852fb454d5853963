#!/usr/bin/env node
// Bundles a package's tsc output (dist/index.js and every module it imports, its npm dependencies included)
// into that one file, and removes the other emitted .js files (the .d.ts files stay: they are the types).
// Why: Node loads one 2 MB module in ~50 ms, where the same code as ~450 modules (kubernetes-models' one
// file per model and validator, ajv's files, our own) takes ~300 ms — on every `argots` run.
// Usage (from a package directory, after tsc): node ../../scripts/bundle-dist.mjs [--external NAME ...]
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.cwd();
// esbuild is a devDependency of the package being bundled.
const { build } = await import(pathToFileURL(createRequire(join(dir, 'package.json')).resolve('esbuild')).href);
const args = process.argv.slice(2);
const external = args.flatMap((a, i) => (args[i - 1] === '--external' ? [a] : []));
const entry = join(dir, 'dist/index.js');

const result = await build({
  entryPoints: [entry],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: entry,
  external,
  logLevel: 'warning',
  legalComments: 'inline',
  // The CommonJS dependencies (ajv, yaml) call require() for Node's own modules.
  banner: { js: "import { createRequire as __argotsCreateRequire } from 'node:module';\nconst require = __argotsCreateRequire(import.meta.url);" },
});
const out = result.outputFiles[0];
if (!out) throw new Error(`esbuild produced nothing for ${entry}`);

function jsFiles(d) {
  return readdirSync(d).flatMap((name) => {
    const full = join(d, name);
    return statSync(full).isDirectory() ? jsFiles(full) : name.endsWith('.js') ? [full] : [];
  });
}
for (const f of jsFiles(join(dir, 'dist'))) if (f !== entry) rmSync(f);
writeFileSync(entry, out.contents);
console.log(`bundled ${relative(process.cwd(), entry)} (${(out.contents.length / 1024 / 1024).toFixed(1)} MB)`);
