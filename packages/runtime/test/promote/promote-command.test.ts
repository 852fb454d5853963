import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeInput, promote, toArgv } from '@argots/contract';
import { startRegistry, type TestRegistry } from '../../../../test/support/registry.js';
import { fetchManifest, pushImage, type PushTarget } from '../../../../test/support/oci-images.js';

// The real runtime CLI, run as a pod runs it, with argv rendered from the contract (as compiled steps are).
const BIN = new URL('../../src/bin.ts', import.meta.url).pathname;
const HELPER_SECRET = 'helper-secret-7d1e5a';
const ACCESS_TOKEN = 'ya29.test-access-token-3b9f';

let dev: TestRegistry;
let staging: TestRegistry;
let prod: TestRegistry;
let work: string;

const target = (r: TestRegistry): PushTarget => ({ url: r.url, authorization: (s) => r.authorization(s) });

interface Run { code: number; stdout: string; stderr: string; outputs: string }
function runtime(inputs: Record<string, string | boolean | undefined>, env: Record<string, string> = {}): Promise<Run> {
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(inputs)) {
    const spec = promote.inputs[k as keyof typeof promote.inputs];
    if (v !== undefined) values[k] = encodeInput(spec, v);
  }
  const outputs = mkdtempSync(join(work, 'out-'));
  const argv = [...toArgv(promote, values), '--output-dir', outputs];
  return new Promise((resolve) => {
    execFile(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...argv], {
      env: { PATH: process.env['PATH'] ?? '', HOME: work, DOCKER_CONFIG: join(work, 'docker'), ...env },
      cwd: new URL('../..', import.meta.url).pathname,
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr, outputs }));
  });
}

test.before(async () => {
  [dev, staging, prod] = await Promise.all([
    startRegistry({ name: 'dev' }),
    startRegistry({ name: 'staging' }),
    startRegistry({ name: 'prod', tokenAuth: { ci: { password: HELPER_SECRET }, oauth2accesstoken: { password: ACCESS_TOKEN } } }),
  ]);
  work = mkdtempSync(join(tmpdir(), 'argots-promote-cli-'));
  writeFileSync(join(work, 'environments.yaml'), `environments:
  dev: { registry: "${dev.host}", repository: dev, scheme: http }
  staging: { registry: "${staging.host}", repository: staging, scheme: http }
  prod: { registry: "${prod.host}", repository: prod, scheme: http }
  prod-gar: { registry: "${prod.host}", repository: gar, scheme: http, auth: { kind: access-token, tokenEnv: GAR_ACCESS_TOKEN } }
  virtual: { registry: "${dev.host}", repository: all, scheme: http, readOnly: true }
`);
  // Docker config: prod credentials come from a credential helper (an executable on PATH, argv + stdin only).
  mkdirSync(join(work, 'docker'));
  mkdirSync(join(work, 'bin'));
  writeFileSync(join(work, 'docker', 'config.json'), JSON.stringify({ credHelpers: { [prod.host]: 'argots-test' } }));
  writeFileSync(join(work, 'bin', 'docker-credential-argots-test'), `#!/bin/sh
read host
[ "$1" = get ] && [ "$host" = "${prod.host}" ] && printf '{"ServerURL":"%s","Username":"ci","Secret":"${HELPER_SECRET}"}' "$host" && exit 0
echo "credentials not found in native keychain" >&2; exit 1
`);
  chmodSync(join(work, 'bin', 'docker-credential-argots-test'), 0o755);
});
test.after(async () => {
  await Promise.all([dev?.close(), staging?.close(), prod?.close()]);
  rmSync(work, { recursive: true, force: true });
});

test('given an image on dev, `argots-runtime promote` copies it to staging, writes the outputs and prints one JSON result', async () => {
  const image = await pushImage(target(dev), 'dev/shop-api', { layers: [{ file: 'app', content: 'v1.4.0' }], tag: '1.4.0' });
  const r = await runtime({ image: `${dev.host}/dev/shop-api:1.4.0`, from: 'dev', to: 'staging', environments: join(work, 'environments.yaml') });
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { ok: boolean; outputs: { digest: string; reference: string }; alreadyPromoted: boolean };
  assert.is(result.ok, true);
  assert.is(result.outputs.digest, image.digest);
  assert.is(result.outputs.reference, `${staging.host}/staging/shop-api:1.4.0@${image.digest}`);
  assert.is(readFileSync(join(r.outputs, 'digest'), 'utf8'), image.digest);
  assert.is(readFileSync(join(r.outputs, 'reference'), 'utf8'), result.outputs.reference);
  assert.match(r.stderr, /layers 2\/2/, 'a plain progress line in the pod log');
  assert.is((await fetchManifest(target(staging), 'staging/shop-api', '1.4.0'))?.digest, image.digest);

  const again = await runtime({ image: `${dev.host}/dev/shop-api:1.4.0`, from: 'dev', to: 'staging', environments: join(work, 'environments.yaml') });
  assert.is(again.code, 0, again.stderr);
  const second = JSON.parse(again.stdout) as { outputs: { digest: string; reference: string }; alreadyPromoted: boolean; requests: number };
  assert.equal(second.outputs, result.outputs, 're-running returns the same result');
  assert.is(second.alreadyPromoted, true);
  assert.ok(second.requests <= 3, `re-promotion took ${second.requests} requests`);
});

test('given prod behind token auth and a Docker credential helper, promotion to prod works and the secret is never printed', async () => {
  const image = await pushImage(target(staging), 'staging/shop-api', { layers: [{ file: 'app', content: 'v2.0.0' }], tag: '2.0.0' });
  const r = await runtime(
    { image: `${staging.host}/staging/shop-api@${image.digest}`, from: 'staging', to: 'prod', tag: '2.0.0', environments: join(work, 'environments.yaml') },
    { PATH: `${join(work, 'bin')}:${process.env['PATH'] ?? ''}` },
  );
  assert.is(r.code, 0, r.stderr);
  assert.is((JSON.parse(r.stdout) as { outputs: { digest: string } }).outputs.digest, image.digest);
  assert.ok(prod.tokenRequests.some((t) => t.user === 'ci'), 'the token service saw the helper\'s user');
  assert.not.match(r.stdout + r.stderr, HELPER_SECRET);
  assert.is((await fetchManifest(target(prod), 'prod/shop-api', '2.0.0'))?.digest, image.digest);
});

test('given an access token (Workload Identity), promotion authenticates as oauth2accesstoken', async () => {
  const image = await pushImage(target(staging), 'staging/billing', { layers: [{ file: 'b', content: 'billing' }], tag: '0.9.0' });
  const r = await runtime(
    { image: `${staging.host}/staging/billing:0.9.0`, from: 'staging', to: 'prod-gar', environments: join(work, 'environments.yaml') },
    { GAR_ACCESS_TOKEN: ACCESS_TOKEN },
  );
  assert.is(r.code, 0, r.stderr);
  assert.ok(prod.tokenRequests.some((t) => t.user === 'oauth2accesstoken'));
  assert.not.match(r.stdout + r.stderr, ACCESS_TOKEN);
  assert.is((await fetchManifest(target(prod), 'gar/billing', '0.9.0'))?.digest, image.digest);
});

test('given prod with immutable tags, moving an existing tag to another digest exits 1 with RUN510 and leaves it', async () => {
  const first = await pushImage(target(staging), 'staging/tagged', { layers: [{ file: 't', content: 'one' }], tag: 'one', label: 'one' });
  const second = await pushImage(target(staging), 'staging/tagged', { layers: [{ file: 't', content: 'two' }], tag: 'two', label: 'two' });
  const env = { PATH: `${join(work, 'bin')}:${process.env['PATH'] ?? ''}` };
  const environments = join(work, 'environments.yaml');
  assert.is((await runtime({ image: `${staging.host}/staging/tagged:one`, from: 'staging', to: 'prod', tag: '1.0.0', environments }, env)).code, 0);
  const r = await runtime({ image: `${staging.host}/staging/tagged:two`, from: 'staging', to: 'prod', tag: '1.0.0', environments }, env);
  assert.is(r.code, 1);
  assert.match(r.stderr, 'RUN510');
  assert.match(r.stderr, second.digest);
  assert.is((await fetchManifest(target(prod), 'prod/tagged', '1.0.0'))?.digest, first.digest);
});

test('given the read-only virtual registry as target, the step is refused before any request', async () => {
  const r = await runtime({ image: `${dev.host}/dev/shop-api:1.4.0`, from: 'dev', to: 'virtual', environments: join(work, 'environments.yaml') });
  assert.is(r.code, 1);
  assert.match(r.stderr, /environment "virtual" is read-only/);
});

test('given an environments file with mistakes, every problem is reported with its path', async () => {
  const bad = join(work, 'bad.yaml');
  writeFileSync(bad, 'environments:\n  dev: { registry: "not a host", repository: Shop }\n  staging: { repository: s, mutableTags: "yes" }\n');
  const r = await runtime({ image: 'x/y:1', from: 'dev', to: 'staging', environments: bad });
  assert.is(r.code, 1);
  assert.match(r.stderr, 'RUN531');
  assert.match(r.stderr, 'environments.dev.registry');
  assert.match(r.stderr, 'environments.dev.repository');
  assert.match(r.stderr, 'environments.staging.registry');
  assert.match(r.stderr, 'environments.staging.mutableTags');
});

test('given an unknown environment name, the error lists the known ones', async () => {
  const r = await runtime({ image: 'shop-api:1', from: 'dev', to: 'qa', environments: join(work, 'environments.yaml') });
  assert.is(r.code, 1);
  assert.match(r.stderr, /environment "qa" is not in the environments configuration/);
  assert.match(r.stderr, /dev, staging, prod, prod-gar, virtual/);
});

test.run();
