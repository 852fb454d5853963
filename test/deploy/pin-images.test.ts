// Images pinned by digest: `scripts/pin-images.mjs check` refuses every unpinned image of a rendered kustomize
// base (the platform in deploy/ included), and `resolve` / `set` pin the org's image table — resolve reads the
// tag's manifest from a real docker-registry with skopeo, as it would from Docker Hub.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IMAGES, UNPINNED_IMAGES } from '../../pipelines/lib/org.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';
import { pushTestImage } from '../support/test-images.js';
import { fetchManifest } from '../support/oci-images.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const SCRIPT = join(ROOT, 'scripts/pin-images.mjs');
const PINNED = /^[^@\s]+:[^@\s]+@sha256:[0-9a-f]{64}$/;

async function pinImages(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
const refused = (stderr: string): string[] => [...stderr.matchAll(/✖ IMG001 image "([^"]+)"/g)].map((m) => m[1]!).sort();

let work = '';
let registry: TestRegistry | undefined;
test.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'pin-images-'));
});
test.after(async () => {
  await registry?.close();
  await rm(work, { recursive: true, force: true });
});

test('the org image table: every entry is name:tag@sha256:<digest>, or is named in UNPINNED_IMAGES with why', () => {
  for (const [key, reference] of Object.entries(IMAGES)) {
    const reason = (UNPINNED_IMAGES as Record<string, string | undefined>)[key];
    if (reason === undefined) assert.match(reference, PINNED, `IMAGES.${key}`);
    else {
      assert.not.match(reference, /@sha256:/, `IMAGES.${key} is pinned: remove it from UNPINNED_IMAGES`);
      assert.ok(reason.length > 20, `UNPINNED_IMAGES.${key} says why`);
    }
  }
});

test('check on deploy/: refuses exactly the table entries no digest could be sourced for, each with where and a hint', async () => {
  const r = await pinImages('check');
  assert.is(r.code, 1);
  const unsourced = Object.keys(UNPINNED_IMAGES).map((k) => IMAGES[k as keyof typeof IMAGES]);
  const found = refused(r.stderr);
  assert.ok(found.length > 0);
  assert.equal(found.filter((i) => !unsourced.includes(i as never)), [], 'no unpinned image besides the documented ones');
  assert.ok(found.includes(IMAGES.runtime));
  assert.match(r.stderr, /→ at deploy: WorkflowTemplate\/dev-build spec\.templates\[checkout\]\.container\.image/);
  assert.match(r.stderr, /hint: pin it in pipelines\/lib\/org\.ts IMAGES/);
  // The pinned docker CLI is there, and not refused.
  const rendered = await promisify(execFile)('kubectl', ['kustomize', join(ROOT, 'deploy')], { maxBuffer: 32 * 1024 * 1024 });
  assert.ok(rendered.stdout.includes(`image: ${IMAGES.dockerCli}`));
  assert.not.ok(found.includes(IMAGES.dockerCli));
});

test('check on a kustomize base: all pinned passes; an unpinned sidecar and a templated image are refused by place', async () => {
  const dir = join(work, 'base');
  await promisify(execFile)('mkdir', ['-p', dir]);
  const digest = `sha256:${'ab'.repeat(32)}`;
  await writeFile(join(dir, 'kustomization.yaml'), 'resources: [pod.yaml]\n');
  await writeFile(join(dir, 'pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: init, image: "busybox:1.36@${digest}"}]\n  containers: [{name: main, image: "alpine:3.20@${digest}"}]\n`);
  const ok = await pinImages('check', dir);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /every image is pinned by digest/);

  await writeFile(join(dir, 'kustomization.yaml'), 'resources: [pod.yaml, wt.yaml]\n');
  await writeFile(join(dir, 'wt.yaml'), [
    'apiVersion: argoproj.io/v1alpha1', 'kind: WorkflowTemplate', 'metadata: {name: build}', 'spec:', '  templates:',
    '  - name: bake', `    container: {image: "docker:29.6.2-cli@${digest}"}`, '    sidecars: [{name: buildkitd, image: "moby/buildkit:v0.16.0-rootless"}]',
    '  - name: run', '    inputs: {parameters: [{name: image}]}', '    container: {image: "{{inputs.parameters.image}}"}', '',
  ].join('\n'));
  const bad = await pinImages('check', dir);
  assert.is(bad.code, 1);
  assert.equal(refused(bad.stderr), ['moby/buildkit:v0.16.0-rootless', '{{inputs.parameters.image}}']);
  assert.match(bad.stderr, /→ at .*base: WorkflowTemplate\/build spec\.templates\[bake\]\.sidecars\[buildkitd\]\.image/);
  assert.match(bad.stderr, /hint: a templated image is decided at run time/);
  assert.match(bad.stdout, /2 image\(s\) not pinned by digest, in 2 place\(s\)/);
});

test('resolve pins each entry to the digest its registry serves for the tag (skopeo), set records a built one; nothing written on failure', async () => {
  registry = await startRegistry({ name: 'pins' });
  const tools = await pushTestImage(registry, 'tools/cli', { layers: [[{ path: 'cli', type: 'file', content: 'cli 1.0' }]], tag: '1.0', index: true });
  const other = await pushTestImage(registry, 'tools/kit', { layers: [[{ path: 'kit', type: 'file', content: 'kit 2.0' }]], tag: '2.0' });
  const served = async (repo: string, tag: string) => (await fetchManifest(registry!, repo, tag))!.digest;
  assert.is(await served('tools/cli', '1.0'), tools.indexDigest, 'a multi-platform tag serves its index');
  const table = join(work, 'org.ts');
  const stale = `sha256:${'0'.repeat(64)}`;
  const before = [
    '// the org table',
    'export const IMAGES = {',
    `  cli: '${registry.host}/tools/cli:1.0',`,
    `  kit: '${registry.host}/tools/kit:2.0@${stale}',`,
    `  own: 'registry.acme.io/platform/argots-runtime:0.1.0',`,
    '} as const;',
    'export const OTHER = 1;',
    '',
  ].join('\n');
  await writeFile(table, before);

  const r = await pinImages('resolve', 'cli', 'kit', '--table', table, '--tls-verify=false');
  assert.is(r.code, 0, r.stderr);
  const after = await readFile(table, 'utf8');
  assert.ok(after.includes(`  cli: '${registry.host}/tools/cli:1.0@${tools.indexDigest}',`), after);
  assert.ok(after.includes(`  kit: '${registry.host}/tools/kit:2.0@${other.digest}',`), after);
  assert.ok(after.includes(`  own: 'registry.acme.io/platform/argots-runtime:0.1.0',`));
  assert.ok(after.endsWith('} as const;\nexport const OTHER = 1;\n'));
  assert.match(r.stdout, new RegExp(`kit: .*@${stale} → .*@${other.digest}`));

  // Again: nothing changes.
  const again = await pinImages('resolve', 'cli', 'kit', '--table', table, '--tls-verify=false');
  assert.is(again.code, 0);
  assert.match(again.stdout, /\(unchanged\)/);
  assert.is(await readFile(table, 'utf8'), after);

  // A tag the registry does not have: refused, named, and the table is left as it was (cli would have resolved).
  await writeFile(table, after.replace(`tools/kit:2.0@${other.digest}`, 'tools/kit:9.9'));
  const missing = await pinImages('resolve', '--table', table, '--tls-verify=false');
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /IMG002 could not read the manifest of kit \(.*tools\/kit:9\.9\)/);
  assert.match(missing.stderr, /is unchanged/);
  assert.ok((await readFile(table, 'utf8')).includes('tools/kit:9.9\','));

  // set: a digest built elsewhere (the runtime image); an unpinned value or an unknown key is refused.
  const built = `registry.acme.io/platform/argots-runtime:0.1.0@sha256:${'cd'.repeat(32)}`;
  assert.is((await pinImages('set', `own=${built}`, '--table', table)).code, 0);
  assert.ok((await readFile(table, 'utf8')).includes(`  own: '${built}',`));
  const unpinned = await pinImages('set', 'own=registry.acme.io/platform/argots-runtime:0.2.0', '--table', table);
  assert.is(unpinned.code, 1);
  assert.match(unpinned.stderr, /is not pinned by digest/);
  const unknown = await pinImages('resolve', 'nope', '--table', table);
  assert.is(unknown.code, 1);
  assert.match(unknown.stderr, /no image "nope" in .* \(it has cli, kit, own\)/);
});

test.run();
