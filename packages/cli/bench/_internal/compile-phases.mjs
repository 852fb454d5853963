// Where the time of compile.bench.ts goes: the phases of `argots compile` run one by one in a fresh process
// (the built dist, as the end-to-end run uses), each timed on its own. Prints one JSON line.
// Usage: node compile-phases.mjs PIPELINES_DIR OUT_DIR   (run with the CLI package as working directory)
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, outDir] = process.argv.slice(2).map((p) => resolve(p));
const phases = {};
let t = performance.now();
const lap = (name) => {
  const now = performance.now();
  phases[name] = Math.round(now - t);
  t = now;
};
phases['node start'] = Math.round(t);
const { compareOutput, applyOutput } = await import('../../dist/_internal/output-dir.js');
const { build } = await import('esbuild');
lap('load the CLI and esbuild');
const dsl = await import('@argots/dsl');
lap('load @argots/dsl');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort().map((f) => join(dir, f));
const entry = files.map((f, i) => `export * as m${i} from ${JSON.stringify(f)};`).join('\n');
// As the loader does (its resolve plugin aside): one bundle, packages left as imports, no source map.
const bundled = await build({ stdin: { contents: entry, resolveDir: dir, loader: 'js' }, bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'silent' });
const bundleFile = join(dir, '..', 'phases-bundle.mjs');
writeFileSync(bundleFile, bundled.outputFiles[0].contents);
lap('esbuild: bundle the TypeScript');
dsl.captureSourceLocations(false);
const namespace = await import(pathToFileURL(bundleFile).href);
lap('V8: compile and run the pipeline modules');
const modules = files.map((file, i) => ({ file, exports: namespace[`m${i}`] }));
const inputs = modules.flatMap((m) => Object.keys(m.exports).sort().map((exportName) => ({ value: m.exports[exportName], exportName, file: m.file })));
const emitted = inputs.flatMap((i) => i.value[dsl.SYNTH]().map((r) => r.object));
lap('emit the objects');
const diagnostics = dsl.validateResources(emitted);
lap('validate (schema and Argo rules)');
const yaml = emitted.map((o) => dsl.toYaml(o));
lap('write YAML text');
rmSync(outDir, { recursive: true, force: true });
applyOutput(outDir, compareOutput(outDir, yaml.map((content, i) => ({ path: `f${i}.yaml`, content }))));
lap('write the files');
if (diagnostics.length > 0) throw new Error(`the bench pipelines have diagnostics: ${diagnostics[0].message}`);
console.log(JSON.stringify(phases));
