/**
 * A promotion that moves a mutable tag reports the digest it replaced; the deploy commit update-manifests pushes
 * then records it as the trailer `Argots-Replaced-Digest`, which `parseDeploymentTrailers` reads back. Both
 * commands run through the real runtime CLI (`main(argv, io)`), argv from the contract as a compiled step passes
 * it, promote's `replaced` output file handed to update-manifests as the pipelines do; a real registry, a real
 * GitOps repository over smart HTTP, `kubectl kustomize` rendering the edit.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands, encodeInput, toArgv } from '@argots/contract';
import type { CommandDefinition } from '@argots/contract';
import { main } from '../src/cli.js';
import { parseDeploymentTrailers } from '../src/index.js';
import { startGitHttpServer, type GitHttpServer } from '../../../test/support/git-http-server.js';
import { startRegistry, type TestRegistry } from '../../../test/support/registry.js';
import { pushImage } from '../../../test/support/oci-images.js';
import { git, remove, seedBare, tempDir } from './git-fixtures.js';
import { gitopsFiles } from './manifests-gitops-fixture.js';

const TOKEN = 'ghs_replaced_digest_installation_token';
const SOURCE = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

let dev: TestRegistry;
let staging: TestRegistry;
let server: GitHttpServer;
let work: string;

test.before(async () => {
  [dev, staging] = await Promise.all([startRegistry({ name: 'dev' }), startRegistry({ name: 'staging' })]);
  server = await startGitHttpServer({ authorize: (c) => c?.username === 'x-access-token' && c.password === TOKEN });
  work = tempDir('argots-replaced-');
  writeFileSync(join(work, 'environments.yaml'), `environments:
  dev: { registry: "${dev.host}", repository: dev, scheme: http }
  staging: { registry: "${staging.host}", repository: staging, scheme: http, mutableTags: true }
`);
});
test.after(async () => {
  await Promise.all([dev?.close(), staging?.close(), server?.close()]);
  if (work) remove(work);
});

interface Run { readonly code: number; readonly stderr: string; readonly outputs: (name: string) => string }

async function runCli(command: CommandDefinition, values: Record<string, unknown>): Promise<Run> {
  const encoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    const spec = command.inputs[k];
    if (!spec) throw new Error(`no input ${k}`);
    encoded[k] = encodeInput(spec, v);
  }
  const outDir = tempDir('argots-out-');
  let stderr = '';
  const code = await main([...toArgv(command, encoded), '--output-dir', outDir], {
    stdout: () => undefined,
    stderr: (t) => (stderr += t),
    env: { PATH: process.env['PATH'], HOME: work, DOCKER_CONFIG: join(work, 'docker'), ARGOTS_GIT_TOKEN: TOKEN },
    cwd: process.cwd(),
    interactive: false,
  });
  const read = (name: string): string => {
    try {
      return readFileSync(join(outDir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const snapshot = Object.fromEntries(['replaced', 'reference', 'digest', 'changed', 'commit'].map((n) => [n, read(n)]));
  remove(outDir);
  return { code, stderr, outputs: (name) => snapshot[name] ?? '' };
}

async function lastMessage(bare: string): Promise<{ commit: string; message: string }> {
  const commit = (await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim();
  return { commit, message: await git(work, '--git-dir', bare, 'log', '-1', '--format=%B', 'main') };
}

test('given staging\'s tag on an older image, promote moves it and the deploy commit records the digest it replaced', async () => {
  const url = server.createRepo('acme/gitops-moved.git');
  const bare = server.repoPath('acme/gitops-moved.git');
  await seedBare(bare, gitopsFiles());
  const built = await pushImage({ url: dev.url }, 'dev/shop-api', { layers: [{ file: 'app', content: 'v2' }], tag: '1.4.0' });
  const previous = await pushImage({ url: staging.url }, 'staging/shop-api', { layers: [{ file: 'app', content: 'v1' }], tag: '1.4.0', label: 'previous' });

  const promoted = await runCli(commands['promote'], { image: `${dev.host}/dev/shop-api:1.4.0`, from: 'dev', to: 'staging', environments: join(work, 'environments.yaml') });
  assert.is(promoted.code, 0, promoted.stderr);
  assert.is(promoted.outputs('replaced'), previous.digest);

  const updated = await runCli(commands['update-manifests'], {
    gitopsUrl: url, service: 'shop-api', env: 'staging', image: promoted.outputs('reference'), sourceCommit: SOURCE, replacedDigest: promoted.outputs('replaced'),
  });
  assert.is(updated.code, 0, updated.stderr);
  assert.is(updated.outputs('changed'), 'true');
  const { commit, message } = await lastMessage(bare);
  assert.match(message, `\nArgots-Replaced-Digest: ${previous.digest}\n`);
  assert.equal(parseDeploymentTrailers(commit, message), [{
    commit, service: 'shop-api', environment: 'staging', image: `${staging.host}/staging/shop-api:1.4.0@${built.digest}`, sourceCommit: SOURCE, replacedDigest: previous.digest,
  }]);
  assert.match(await git(work, '-c', 'trailer.separators=:', 'interpret-trailers', '--parse', '--no-divider', join(work, 'none').length > 0 ? '/dev/stdin' : '', ...[]).catch(() => ''), '');
});

test('given a tag that was new, promote replaces nothing and the deploy commit carries no replaced-digest trailer', async () => {
  const url = server.createRepo('acme/gitops-new.git');
  const bare = server.repoPath('acme/gitops-new.git');
  await seedBare(bare, gitopsFiles());
  await pushImage({ url: dev.url }, 'dev/shop-api', { layers: [{ file: 'app', content: 'v3' }], tag: '1.5.0' });
  const promoted = await runCli(commands['promote'], { image: `${dev.host}/dev/shop-api:1.5.0`, from: 'dev', to: 'staging', environments: join(work, 'environments.yaml') });
  assert.is(promoted.code, 0, promoted.stderr);
  assert.is(promoted.outputs('replaced'), '');
  // The empty output is passed as it is, as the compiled step passes `{{tasks.promote.outputs.parameters.replaced}}`.
  const updated = await runCli(commands['update-manifests'], { gitopsUrl: url, service: 'shop-api', env: 'staging', image: promoted.outputs('reference'), replacedDigest: '' });
  assert.is(updated.code, 0, updated.stderr);
  const { commit, message } = await lastMessage(bare);
  assert.not.match(message, 'Argots-Replaced-Digest');
  assert.is(parseDeploymentTrailers(commit, message)[0]?.replacedDigest, undefined);
});

test('a replaced digest that is not a digest is refused before anything is pushed', async () => {
  const url = server.createRepo('acme/gitops-bad.git');
  const bare = server.repoPath('acme/gitops-bad.git');
  await seedBare(bare, gitopsFiles());
  const head = (await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim();
  const image = `${staging.host}/staging/shop-api:1.4.0@sha256:${'c'.repeat(64)}`;
  const bad = await runCli(commands['update-manifests'], { gitopsUrl: url, service: 'shop-api', env: 'staging', image, replacedDigest: '1.3.9' });
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /--replaced-digest expected a value like "sha256:/);
  assert.match(bad.stderr, /received "1\.3\.9"/);
  assert.is((await git(work, '--git-dir', bare, 'rev-parse', 'main')).trim(), head);
});

test.run();
