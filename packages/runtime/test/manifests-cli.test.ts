/**
 * The five commands run through the real runtime CLI (`main(argv, io)`), with argv produced by the
 * contract's `toArgv` exactly as a compiled step passes it; outputs are read back from the files Argo reads.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands, encodeInput, toArgv } from '@argots/contract';
import type { CommandDefinition } from '@argots/contract';
import { main } from '../src/cli.js';
import { startGitHttpServer } from '../../../test/support/git-http-server.js';
import { commit, git, initRepo, remove, seedBare, tempDir } from './git-fixtures.js';
import { DIGEST_A, REGISTRY, gitopsFiles } from './manifests-gitops-fixture.js';

const TOKEN = 'ghs_cli_installation_token_value';

interface Run {
  readonly code: number;
  readonly result: Record<string, unknown>;
  readonly stderr: string;
  readonly outputs: (name: string) => string;
}

// Each run's --output-dir, removed when the suite ends (the outputs are read after runCli returns).
const outDirs: string[] = [];
test.after(() => {
  for (const dir of outDirs) remove(dir);
});

async function runCli(command: CommandDefinition, values: Record<string, unknown>, env: Record<string, string> = {}): Promise<Run> {
  const encoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const spec = command.inputs[k];
    if (!spec) throw new Error(`no input ${k}`);
    encoded[k] = encodeInput(spec, v);
  }
  const outDir = tempDir('argots-out-');
  outDirs.push(outDir);
  let stdout = '';
  let stderr = '';
  const code = await main([...toArgv(command, encoded), '--output-dir', outDir], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    cwd: process.cwd(),
    interactive: false,
  });
  // One JSON line, whatever happened.
  const lines = stdout.trim() === '' ? [] : stdout.trim().split('\n');
  assert.is(lines.length, 1, `one JSON line on stdout, received: ${stdout}`);
  return { code, stderr, result: JSON.parse(lines[0] ?? '{}') as Record<string, unknown>, outputs: (name) => readFileSync(join(outDir, name), 'utf8') };
}

test('detect-changes, detect-build, detect-deploy, update-manifests and copy-config run through the CLI from contract argv', async () => {
  const server = await startGitHttpServer({ authorize: (c) => c?.username === 'x-access-token' && c.password === TOKEN });
  const app = await initRepo({
    '.argots/changes.yaml': 'services:\n  shop-api: services/shop-api\n',
    'services/shop-api/Dockerfile': 'FROM node:20\n',
    'services/shop-api/src/main.ts': 'v1\n',
    'services/shop-api/config/app.yaml': 'level: info\n',
  });
  const gitopsView = tempDir();
  try {
    const url = server.createRepo('acme/gitops.git');
    const bare = server.repoPath('acme/gitops.git');
    await seedBare(bare, gitopsFiles());
    const env = { ARGOTS_GIT_TOKEN: TOKEN };

    const after = await commit(app.dir, 'config change', { 'services/shop-api/config/app.yaml': 'level: debug\n' });
    const changes = await runCli(commands['detect-changes'], { repo: app.dir, before: app.first, after });
    assert.is(changes.code, 0, changes.stderr);
    assert.is(changes.result['ok'], true);
    assert.is(changes.outputs('kind'), 'config');
    assert.equal(JSON.parse(changes.outputs('configFiles')), ['services/shop-api/config/app.yaml']);
    assert.equal((JSON.parse(changes.outputs('services')) as { name: string; kind: string }[]).map((s) => [s.name, s.kind]), [['shop-api', 'config']]);
    assert.equal((changes.result['outputs'] as Record<string, string>)['kind'], 'config');

    const build = await runCli(commands['detect-build'], { repo: app.dir, context: 'services/shop-api' });
    assert.is(build.code, 0, build.stderr);
    assert.is(build.outputs('kind'), 'dockerfile');
    assert.equal(JSON.parse(build.outputs('dockerfiles')), ['services/shop-api/Dockerfile']);

    await git(gitopsView, 'clone', '--quiet', bare, 'g');
    const deploy = await runCli(commands['detect-deploy'], { gitops: join(gitopsView, 'g'), service: 'shop-api', env: 'dev' });
    assert.is(deploy.code, 0, deploy.stderr);
    assert.is(deploy.outputs('kind'), 'kustomize');
    assert.equal(JSON.parse(deploy.outputs('files')), ['apps/shop-api/overlays/dev/kustomization.yaml']);

    const image = `${REGISTRY}/shop/shop-api:1.4.2@${DIGEST_A}`;
    const update = await runCli(commands['update-manifests'], { gitopsUrl: url, service: 'shop-api', env: 'dev', image, sourceCommit: after }, env);
    assert.is(update.code, 0, update.stderr);
    assert.is(update.outputs('changed'), 'true');
    assert.is(update.outputs('commit'), (await git(gitopsView, '--git-dir', bare, 'rev-parse', 'main')).trim());
    assert.equal(JSON.parse(update.outputs('files')), ['apps/shop-api/overlays/dev/kustomization.yaml']);
    const again = await runCli(commands['update-manifests'], { gitopsUrl: url, service: 'shop-api', env: 'dev', image, sourceCommit: after }, env);
    assert.is(again.outputs('changed'), 'false');
    assert.is(again.outputs('commit'), update.outputs('commit'));

    const copy = await runCli(commands['copy-config'], { repo: app.dir, gitopsUrl: url, service: 'shop-api', env: 'dev', files: JSON.parse(changes.outputs('configFiles')) as string[], deleted: [], sourceCommit: after }, env);
    assert.is(copy.code, 0, copy.stderr);
    assert.is(copy.outputs('changed'), 'true');
    assert.equal(JSON.parse(copy.outputs('files')), ['apps/shop-api/overlays/dev/config/app.yaml']);
    assert.is(await git(gitopsView, '--git-dir', bare, 'show', 'main:apps/shop-api/overlays/dev/config/app.yaml'), 'level: debug\n');
    assert.not.match(update.stderr + copy.stderr + JSON.stringify([update.result, copy.result]), TOKEN);
  } finally {
    remove(app.dir);
    remove(gitopsView);
    await server.close();
  }
});

test('through the CLI, bad input exits 1 with one clear message and an ok:false result', async () => {
  const server = await startGitHttpServer();
  try {
    const url = server.createRepo('acme/gitops.git');
    await seedBare(server.repoPath('acme/gitops.git'), gitopsFiles());
    const head = (await git(server.root, '--git-dir', server.repoPath('acme/gitops.git'), 'rev-parse', 'main')).trim();
    const unknown = await runCli(commands['update-manifests'], { gitopsUrl: url, service: 'nope', env: 'dev', image: `${REGISTRY}/shop/x:1@${DIGEST_A}` });
    assert.is(unknown.code, 1);
    assert.equal([unknown.result['ok'], unknown.result['code']], [false, 'RUN722']);
    assert.match(unknown.stderr, /service "nope" is not in the layout/);
    assert.match(unknown.stderr, /hint: add it under "services:"/);
    const noDigest = await runCli(commands['update-manifests'], { gitopsUrl: url, service: 'shop-api', env: 'dev', image: `${REGISTRY}/shop/shop-api:1.4.2` });
    assert.is(noDigest.code, 1);
    assert.match(noDigest.stderr, /--image expected a value like/);
    assert.is((await git(server.root, '--git-dir', server.repoPath('acme/gitops.git'), 'rev-parse', 'main')).trim(), head);
    const pat = await runCli(commands['update-manifests'], { gitopsUrl: url, service: 'shop-api', env: 'dev', image: `${REGISTRY}/shop/shop-api:1@${DIGEST_A}` }, { ARGOTS_GIT_TOKEN: `ghp_${'x'.repeat(36)}` });
    assert.is(pat.code, 1, 'a personal access token is refused');
    assert.not.match(pat.stderr, 'x'.repeat(36));
  } finally {
    await server.close();
  }
});

test.run();
