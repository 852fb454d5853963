// The packages work from another repository: build them, pack them as npm would publish them, install the
// tarballs into a project outside the workspace, and compile a pipeline there with the installed binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'argots-pack-'));
const project = join(work, 'project');
const packages = ['contract', 'expr', 'dsl', 'runtime', 'runner', 'cli'];
const env = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function sh(cmd: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function argots(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(project, 'node_modules/.bin/argots'), args, { cwd: project, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A pipeline as a user of the published packages writes it: a typed output read by a second task.
const PIPELINE = `import { container, output, pipeline } from '@argots/dsl';

const build = container('build', {
  outputs: { digest: output.path('/tmp/digest') },
  container: { image: 'alpine:3.20', command: ['sh', '-c', 'echo sha256:abc > /tmp/digest'] },
});
const say = container('say', {
  inputs: {},
  container: { image: 'alpine:3.20', command: ['echo', 'built'] },
});

export default pipeline('hello', (p) => {
  const image = p.task('build', build.call({}));
  p.task('announce', say.call({}), { depends: image.succeeded });
});
`;
const EXPECTED_PATH = 'workflow-template/hello.yaml';

test.after(() => rmSync(work, { recursive: true, force: true }));

const published = readdirSync(join(root, 'packages')).filter((p) => !JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')).private);

test('the root `pnpm build` builds every package (the filter is not expanded by the shell)', () => {
  for (const p of published) rmSync(join(root, 'packages', p, 'dist'), { recursive: true, force: true });
  sh('pnpm', ['build'], root);
  for (const p of published) assert.ok(readdirSync(join(root, 'packages', p, 'dist')).includes('index.js'), `packages/${p}/dist/index.js was built`);
});

test('the packages build, and the built binary is executable with a shebang', () => {
  const bin = join(root, 'packages/cli/dist/bin.js');
  assert.ok(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n'));
  assert.ok((statSync(bin).mode & 0o111) !== 0, 'dist/bin.js is executable');
  const ignored = spawnSync('git', ['check-ignore', '-q', 'packages/cli/dist/bin.js'], { cwd: root });
  assert.is(ignored.status, 0, 'dist/ is git-ignored');
});

test('the tarballs install into a project outside the workspace', () => {
  // `pnpm pack` builds first (prepack): a tarball packed before any build still carries its code. Proven on
  // expr, whose build is removed; every package declares the same prepack, and the others were built by the
  // root `pnpm build` above, so they are packed without building them a second time (--ignore-scripts).
  for (const p of packages) {
    const scripts = (JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    assert.is(scripts.prepack, 'pnpm run build', `${p}: pack builds first`);
  }
  rmSync(join(root, 'packages/expr/dist'), { recursive: true, force: true });
  for (const p of packages) sh('pnpm', [...(p === 'expr' ? [] : ['--config.ignore-scripts=true']), 'pack', '--pack-destination', work], join(root, 'packages', p));
  for (const p of packages) {
    const tarball = join(work, `argots-${p}-0.1.0.tgz`);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    assert.ok(files.includes('package/LICENSE'), `${p}: LICENSE is in the tarball`);
    assert.ok(files.includes('package/dist/index.js') && files.includes('package/dist/index.d.ts'), `${p}: code and types are in the tarball`);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as { exports: Record<string, unknown> };
    assert.not.ok(JSON.stringify(manifest.exports).includes('./src/'), `${p}: the published exports name no ./src file (not shipped)`);
  }
  const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz')).sort();
  assert.equal(tarballs, ['argots-cli-0.1.0.tgz', 'argots-contract-0.1.0.tgz', 'argots-dsl-0.1.0.tgz', 'argots-expr-0.1.0.tgz', 'argots-runner-0.1.0.tgz', 'argots-runtime-0.1.0.tgz']);
  const listing = execFileSync('tar', ['-tzf', join(work, 'argots-cli-0.1.0.tgz')], { encoding: 'utf8' });
  assert.ok(listing.includes('package/dist/bin.js'));
  assert.not.ok(listing.includes('package/src/'), 'sources are not published');
  mkdirSync(join(project, 'pipelines'), { recursive: true });
  const dependencies = Object.fromEntries(packages.map((p) => [`@argots/${p}`, `file:../argots-${p}-0.1.0.tgz`]));
  const devDependencies = { typescript: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.typescript as string };
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-smoke', private: true, type: 'module', dependencies, devDependencies }, null, 2));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: [] }, include: ['pipelines'] }, null, 2),
  );
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project);
});

test('the installed packages type-check a pipeline (types resolve from the published exports), and catch a typo', () => {
  writeFileSync(join(project, 'pipelines/hello.ts'), PIPELINE);
  sh(join(project, 'node_modules/.bin/tsc'), ['-p', '.'], project);
  writeFileSync(join(project, 'pipelines/typo.ts'), PIPELINE.replace("'hello'", "'typo'").replace('image.succeeded', 'image.succeded'));
  const r = spawnSync(join(project, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: project, env, encoding: 'utf8' });
  assert.is(r.status, 2, r.stdout);
  assert.match(r.stdout, /pipelines\/typo\.ts.*succeded/);
  rmSync(join(project, 'pipelines/typo.ts'));
});

test('the installed argots compiles a TypeScript pipeline into YAML', () => {
  const r = argots(['compile', 'pipelines', '--out', 'manifests']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /under manifests\//);
  const file = join(project, 'manifests', EXPECTED_PATH);
  const text = readFileSync(file, 'utf8');
  assert.match(text, /^#.*argots/i, 'the generated header comes first');
  assert.match(text, /^apiVersion: argoproj\.io\/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: hello\n/m);
  assert.match(text, /\n {10}- name: announce\n {12}template: say\n {12}depends: build\.Succeeded\n/);
  assert.match(text, /\n {4}- name: build\n/);
  const json = argots(['compile', 'pipelines', '--out', 'manifests', '--json']);
  assert.is(json.code, 0, json.stderr);
  const files = (JSON.parse(json.stdout) as { files: { path: string; kind: string; name: string; status: string }[] }).files;
  assert.equal(files, [{ path: EXPECTED_PATH, kind: 'WorkflowTemplate', name: 'hello', status: 'unchanged' }]);
});

test('the installed argots check type-checks and passes, then catches a hand edit', () => {
  const first = argots(['check', 'pipelines', '--out', 'manifests']);
  assert.is(first.code, 0, first.stderr);
  const file = join(project, 'manifests', EXPECTED_PATH);
  writeFileSync(file, readFileSync(file, 'utf8').replace('alpine:3.20', 'alpine:latest'));
  // The type check ran in the first check (the installed argots with the project's typescript); drift alone here.
  const r = argots(['check', 'pipelines', '--out', 'manifests', '--no-typecheck']);
  assert.is(r.code, 1);
  assert.ok(r.stdout.includes('+') && r.stdout.includes('alpine:3.20'), r.stdout);
});

test.run();
