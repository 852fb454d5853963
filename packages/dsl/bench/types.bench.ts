// Editor cost of @argots/dsl: `tsc --extendedDiagnostics` on a project that installs the package as users do
// (its emitted .d.ts, not our sources), for (a) a file that only imports it and (b) one pipeline (the README's
// quick start). Prints type instantiations, types and check time beside the reference of issue 13 (importing
// @argots/dsl alone: ~26k instantiations, ~4 s of checking). Figures, not a pass/fail test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
// Inside packages/dsl, so the type dependencies of the emitted declarations (@kubernetes-models, @octokit) resolve.
const work = join(here, '.tmp', 'types');
const tsc = join(dirname(createRequire(join(root, 'package.json')).resolve('typescript/package.json')), 'bin', 'tsc');

const PACKAGES = ['contract', 'expr', 'dsl'] as const;

function emitDeclarations(): void {
  for (const pkg of PACKAGES) {
    const out = join(work, 'node_modules', '@argots', pkg);
    // Declarations only, without checking (the packages' own type check is `pnpm typecheck`'s job); the
    // workspace packages they import resolve through the `source` condition.
    try {
      execFileSync(process.execPath, [tsc, '-p', join(root, 'packages', pkg, 'tsconfig.build.json'), '--emitDeclarationOnly', '--declaration', '--noCheck', '--customConditions', 'source', '--outDir', join(out, 'dist')], { stdio: 'pipe' });
    } catch (error) {
      if (!existsSync(join(out, 'dist', 'index.d.ts'))) throw new Error(`declarations of @argots/${pkg} were not emitted:\n${String((error as { stdout?: Buffer }).stdout ?? error)}`);
    }
    writeFileSync(join(out, 'package.json'), JSON.stringify({ name: `@argots/${pkg}`, type: 'module', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }));
  }
}

const QUICK_START = `import { container, github, output, param, pipeline, steps } from '@argots/dsl';

const build = container('build', {
  inputs: { tag: param.string() },
  outputs: { image: output.path('/tmp/image') },
  container: (i) => ({ image: 'registry.acme.io/ci/buildkit-push:1.0', args: ['--tag', i.tag] }),
});

export default pipeline('shop-api-dev', (p) => {
  const { before, after } = p.trigger(github.push({ repo: 'acme/shop', branches: ['dev'] }), (e) => ({ before: e.before, after: e.after }));
  const change = p.task('detect', steps.detectChanges({ repo: '/workspace/src', before, after }));
  const code = change.outputs.kind.eq('code');
  const image = p.task('build', build.call({ tag: after }), { when: code });
  p.task('deploy', steps.updateManifests({ gitopsUrl: 'https://github.com/acme/gitops.git', service: 'shop-api', env: 'dev', image: image.outputs.image, sourceCommit: after }), { when: code });
});
`;

interface Figures { files: number; instantiations: number; types: number; checkSeconds: number; totalSeconds: number; libErrors: number }

function measure(name: string, source: string, skipLibCheck = true): Figures {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.ts'), source);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: true, skipLibCheck, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true },
    files: ['index.ts'],
  }));
  let out = '';
  try {
    out = execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--extendedDiagnostics'], { encoding: 'utf8' });
  } catch (error) {
    // Type errors still come with the figures; they are counted (errors in our own file would be a bench bug).
    out = (error as { stdout?: string }).stdout ?? '';
    if (!out.includes('Instantiations:') || out.includes('index.ts(')) throw new Error(`tsc failed on "${name}":\n${out || String(error)}`);
  }
  const num = (label: string) => Number((new RegExp(`^${label}:\\s+([\\d.]+)`, 'm').exec(out) ?? [])[1] ?? NaN);
  return { files: num('Files'), instantiations: num('Instantiations'), types: num('Types'), checkSeconds: num('Check time'), totalSeconds: num('Total time'), libErrors: (out.match(/error TS\d+/g) ?? []).length };
}

rmSync(work, { recursive: true, force: true });
try {
  emitDeclarations();
  const rows: [string, Figures, string][] = [
    ['import @argots/dsl only', measure('import-only', "import { pipeline } from '@argots/dsl';\nexport const p = pipeline;\n"), 'issue 13: ~26k instantiations, ~4 s'],
    ['one pipeline (README quick start)', measure('one-pipeline', QUICK_START), 'the cost an editor pays per pipeline file'],
    // Where the per-pipeline cost comes from: one kind of builder at a time.
    ['  a container task only', measure('container-only', "import { container, param, pipeline } from '@argots/dsl';\nconst t = container('t', { inputs: { tag: param.string() }, container: (i) => ({ image: 'alpine:3.20', args: [i.tag] }) });\nexport default pipeline('p', (p) => { p.task('t', t.call({ tag: 'x' })); });\n"), ''],
    ['  a GitHub trigger only', measure('trigger-only', "import { container, github, param, pipeline } from '@argots/dsl';\nconst t = container('t', { inputs: { sha: param.string() }, container: (i) => ({ image: 'alpine:3.20', args: [i.sha] }) });\nexport default pipeline('p', (p) => { const { after } = p.trigger(github.push({ repo: 'acme/shop', branches: ['dev'] }), (e) => ({ after: e.after })); p.task('t', t.call({ sha: after })); });\n"), ''],
    ['  a runtime step only', measure('step-only', "import { param, pipeline, steps } from '@argots/dsl';\nexport default pipeline('p', (p) => { const sha = p.param('sha', param.string()); const c = p.task('d', steps.detectChanges({ repo: '/src', before: sha, after: sha })); void c.outputs.kind.eq('code'); });\n"), ''],
    ['import only, skipLibCheck false', measure('import-only-libcheck', "import { pipeline } from '@argots/dsl';\nexport const p = pipeline;\n", false), "tsc's default: every .d.ts checked"],
    ['one pipeline, skipLibCheck false', measure('one-pipeline-libcheck', QUICK_START, false), ''],
  ];
  console.log('tsc --extendedDiagnostics, installed @argots/dsl (.d.ts), strict NodeNext (skipLibCheck unless said)');
  console.log('project                              files  instantiations    types   check s   total s   reference');
  for (const [label, f, ref] of rows) {
    console.log(`${label.padEnd(36)} ${String(f.files).padStart(5)} ${String(f.instantiations).padStart(14)} ${String(f.types).padStart(8)} ${f.checkSeconds.toFixed(2).padStart(9)} ${f.totalSeconds.toFixed(2).padStart(9)}   ${ref}${f.libErrors ? ` (${f.libErrors} errors inside dependencies' .d.ts)` : ''}`);
  }
  const [, imp] = rows[0] as [string, Figures, string];
  const [, one] = rows[1] as [string, Figures, string];
  console.log('Most of the total is reading and binding files, not checking: the .d.ts of @kubernetes-models (container,');
  console.log('template and artifact fields are typed by Argo\'s models) and @octokit/webhooks-types. skipLibCheck: true keeps');
  console.log('the import itself free of checking; without it, dependencies\' .d.ts are checked (and some do not pass strict options).');
  console.log(`per pipeline (one pipeline − import only): ${one.instantiations - imp.instantiations} instantiations, ${(one.checkSeconds - imp.checkSeconds).toFixed(2)} s of checking`);
} finally {
  if (!process.env['ARGOTS_BENCH_KEEP']) rmSync(join(here, '.tmp'), { recursive: true, force: true });
}
