// The canary example (examples/gitops: a Rollout with canary steps and an AnalysisTemplate, behind a
// Kustomize overlay) as a GitOps repository: `update-manifests` (the real CLI, over smart HTTP) sets the
// image by digest, kustomize renders the Rollout with it, `current-image` reads it back, and the analysis the
// Rollout names is shipped beside it. How Argo CD then reports the rollout (Progressing through the steps,
// Healthy at the end, Degraded when the analysis aborts it) is what wait-for-deploy reads: see
// test/e2e/org-pipeline-steps.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { commands, encodeInput, toArgv } from '@argots/contract';
import { startGitHttpServer } from '../support/git-http-server.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/runtime/src/bin.ts');
const DIGEST = `sha256:${'c'.repeat(64)}`;
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered YAML

const runtime = async (name: 'update-manifests' | 'current-image', inputs: Record<string, unknown>, out: string) => {
  const c = commands[name];
  const argv = toArgv(c, Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, encodeInput(c.inputs[k as keyof typeof c.inputs], v)])));
  const r = await run(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...argv, '--output-dir', out], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: out, GIT_TERMINAL_PROMPT: '0' } });
  return JSON.parse(r.stdout.trim()) as { ok: boolean; outputs: Record<string, string> };
};

test('given the canary example as a GitOps repository, then a deployment sets the Rollout\'s image by digest and the canary analysis ships with it', async () => {
  const server = await startGitHttpServer();
  const scratch = await mkdtemp(join(tmpdir(), 'argots-rollout-'));
  try {
    const url = server.createRepo('acme/gitops.git');
    const seed = join(scratch, 'seed');
    await cp(join(ROOT, 'examples/gitops'), seed, { recursive: true });
    const git = (...args: string[]) => run('git', ['-c', 'user.email=t@acme.io', '-c', 'user.name=t', ...args], { cwd: seed });
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('commit', '-qm', 'seed');
    await git('push', '-q', url, 'main');

    const image = `europe-docker.pkg.dev/acme-prod/shop/shop-api:1.4.1@${DIGEST}`;
    const updated = await runtime('update-manifests', { gitopsUrl: url, service: 'shop-api', env: 'prod', image, sourceCommit: 'a'.repeat(40) }, join(scratch, 'out1'));
    assert.ok(updated.ok);
    assert.is(updated.outputs['changed'], 'true');
    assert.equal(JSON.parse(updated.outputs['files'] ?? '[]'), ['apps/shop-api/overlays/prod/kustomization.yaml']);

    const check = join(scratch, 'check');
    await run('git', ['clone', '-q', url, check]);
    const rendered = parseAllDocuments((await run('kubectl', ['kustomize', join(check, 'apps/shop-api/overlays/prod')])).stdout).map((d) => d.toJS() as Obj);
    const rollout = rendered.find((d) => d['kind'] === 'Rollout');
    assert.is(rollout?.['spec']['template']['spec']['containers'][0]['image'], image, 'kustomize renders the Rollout with the digest');
    assert.is(rollout?.['metadata']['namespace'], 'shop-prod');
    const analyses = new Set(rendered.filter((d) => d['kind'] === 'AnalysisTemplate').map((d) => d['metadata']['name']));
    const named = [
      ...rollout?.['spec']['strategy']['canary']['analysis']['templates'].map((t: Obj) => t['templateName']),
      ...rollout?.['spec']['strategy']['canary']['steps'].flatMap((s: Obj) => (s['analysis']?.['templates'] ?? []).map((t: Obj) => t['templateName'])),
    ];
    assert.ok(named.length >= 2);
    for (const n of named) assert.ok(analyses.has(n), `AnalysisTemplate ${n} is shipped with the Rollout`);

    const current = await runtime('current-image', { gitopsUrl: url, service: 'shop-api', env: 'prod' }, join(scratch, 'out2'));
    assert.is(current.outputs['image'], image);
    assert.is(current.outputs['sourceCommit'], 'a'.repeat(40));
  } finally {
    await server.close();
    await rm(scratch, { recursive: true, force: true });
  }
});

test.run();
