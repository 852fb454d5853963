// The runtime image built without Docker (deploy/runtime-image/build-runtime-image.ts), pushed to a real
// docker-registry, pulled back by its digest, unpacked layer by layer, and run with bubblewrap as the image's
// user: `argots-runtime` answers a command, and git, kubectl and helm are there. What `argots run` will use
// as the runtime image of the org pipelines' steps.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildRuntimeImage, RUNTIME_USER } from '../../deploy/runtime-image/build-runtime-image.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

const run = promisify(execFile);

let registry: TestRegistry;
let scratch: string;

test.before(async () => {
  registry = await startRegistry({ name: 'runtime-image', htpasswd: { builder: 'build-secret' } });
  scratch = await mkdtemp(join(tmpdir(), 'argots-runtime-image-'));
});
test.after(async () => {
  await registry.close();
  await rm(scratch, { recursive: true, force: true });
});

test('given no Docker, then the runtime image is built from Debian packages and the runtime, pushed, and runs argots-runtime, git, kubectl and helm as user 65532', async () => {
  const built = await buildRuntimeImage({ registry: registry.host, scheme: 'http', repository: 'platform/argots-runtime', tag: 'test', credentials: { username: 'builder', password: 'build-secret' } });
  assert.match(built.reference, new RegExp(`^${registry.host}/platform/argots-runtime:test@sha256:[0-9a-f]{64}$`));
  assert.ok(built.packages.includes('git') && built.packages.includes('nodejs'));
  assert.not.ok(built.packages.some((p) => p.startsWith('python3')), 'maintainer-script-only packages are left out');

  // Pull it back by digest, as a node would.
  const auth = `Basic ${Buffer.from('builder:build-secret').toString('base64')}`;
  const manifest = (await (await fetch(`${registry.url}/v2/platform/argots-runtime/manifests/${built.digest}`, { headers: { authorization: auth, accept: 'application/vnd.oci.image.manifest.v1+json' } })).json()) as { layers: { digest: string }[]; config: { digest: string } };
  assert.equal(manifest.layers.map((l) => l.digest), built.layers.map((l) => l.digest));
  const root = join(scratch, 'root');
  await mkdir(root);
  for (const l of manifest.layers) {
    const blob = Buffer.from(await (await fetch(`${registry.url}/v2/platform/argots-runtime/blobs/${l.digest}`, { headers: { authorization: auth } })).arrayBuffer());
    const file = join(scratch, 'layer.tar.gz');
    await writeFile(file, blob);
    await run('tar', ['-xzf', file, '-C', root, '--numeric-owner', '--same-owner']);
  }
  const config = (await (await fetch(`${registry.url}/v2/platform/argots-runtime/blobs/${manifest.config.digest}`, { headers: { authorization: auth } })).json()) as { config: { User: string; Env: string[]; Entrypoint: string[] } };
  assert.is(config.config.User, `${RUNTIME_USER}:${RUNTIME_USER}`);
  assert.equal(config.config.Entrypoint, ['argots-runtime']);

  const inImage = async (...argv: string[]): Promise<string> => {
    const env = config.config.Env.flatMap((e) => ['--setenv', e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]);
    const r = await run('bwrap', ['--bind', root, '/', '--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--unshare-all', '--uid', String(RUNTIME_USER), '--gid', String(RUNTIME_USER), '--clearenv', ...env, '--chdir', '/home/argots', ...argv]);
    return r.stdout;
  };
  const flow = JSON.parse((await inImage('argots-runtime', 'resolve-flow', '--event-type', 'ping', '--payload', '/etc/passwd', '--output-dir', '/tmp/out').catch((e: { stdout: string }) => ({ toString: () => e.stdout }))).toString().trim().split('\n').pop() ?? '{}') as { command?: string; ok?: boolean; code?: string };
  assert.is(flow.command, 'resolve-flow', 'the runtime ran in the image and printed its JSON line');
  assert.is(flow.code, 'RUN384', '(/etc/passwd is no JSON payload: the runtime said so)');
  assert.match(await inImage('git', '--version'), /^git version 2\./);
  assert.match(await inImage('kubectl', 'version', '--client'), /Client Version: v1\.33/);
  assert.match(await inImage('helm', 'version', '--short'), /^v4\.1\.4\+/);
  assert.match(await inImage('id', '-u'), String(RUNTIME_USER));
});

test.run();
