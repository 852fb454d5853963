import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backMerge, cleanupStaging, openPromotionPullRequest, resolveFlow, toArgv } from '@argots/contract';
import { appEnvironment, createWorld } from '../github/world.js';
import { createGitops, image } from '../flows/gitops.js';
import type { World } from '../github/world.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(ROOT, 'packages/runtime/src/bin.ts');

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }

/** The real runtime CLI in its own process (async: the test servers live in this one). */
function runtime(argv: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...argv], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('back-merge through the CLI: argv from the contract, App credentials from the environment, outputs written', async () => {
  const world = await createWorld();
  const out = await mkdtemp(join(tmpdir(), 'argots-out-'));
  try {
    const { url } = await world.createRepo('acme/shop');
    const base = await world.commit('acme/shop', 'master', { 'a.txt': '1\n' });
    await world.branch('acme/shop', 'dev', base);
    for (const b of ['release/1.9', 'release/1.10']) {
      await world.branch('acme/shop', b, base);
      await world.commit('acme/shop', b, { [`${b}.txt`]: 'rc\n' }, `${b} candidate`);
    }
    const hotfix = await world.commit('acme/shop', 'master', { 'a.txt': '2\n' }, 'hotfix');
    const before = await world.snapshot('acme/shop');
    // A compiled step passes exactly this argv; the target pattern picks the newest open release.
    const argv = [...toArgv(backMerge, { repo: 'acme/shop', source: 'master', target: 'release/*', gitUrl: url, labels: '["back-merge"]' }), '--output-dir', out];
    const run = await runtime(argv, appEnvironment(world));
    assert.is(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { ok: boolean; outputs: Record<string, string> };
    assert.ok(result.ok);
    assert.is(result.outputs['result'], 'merged');
    assert.is(result.outputs['target'], 'release/1.10');
    assert.is(result.outputs['targets'], 'release/1.10', 'the newest only, by default');
    assert.is(result.outputs['pullRequests'], '');
    assert.is(await world.tip('acme/shop', 'release/1.9'), before.tips.get('refs/heads/release/1.9'), 'the older release untouched');
    assert.is(result.outputs['sourceCommit'], hotfix);
    assert.is(await readFile(join(out, 'result'), 'utf8'), 'merged');
    assert.is(await readFile(join(out, 'commit'), 'utf8'), await world.tip('acme/shop', 'release/1.10'));
    assert.not.match(run.stderr + run.stdout, /ghs_|PRIVATE KEY/, 'no credentials in the output');
    await world.assertNothingLost('acme/shop', before);
  } finally {
    await rm(out, { recursive: true, force: true });
    await world.close();
  }
});

test('back-merge --releases all-open: every open release, oldest first; a conflicting one gets a pull request and the others are merged; a shipped release is left', async () => {
  const world = await createWorld();
  const out = await mkdtemp(join(tmpdir(), 'argots-out-'));
  try {
    const { url } = await world.createRepo('acme/shop');
    const base = await world.commit('acme/shop', 'master', { 'a.txt': '1\n' });
    await world.branch('acme/shop', 'dev', base);
    // release/1.8 shipped (master contains it): not open, never merged into.
    await world.branch('acme/shop', 'release/1.8', base);
    for (const b of ['release/1.9', 'release/1.10']) {
      await world.branch('acme/shop', b, base);
      await world.commit('acme/shop', b, { [`${b}.txt`]: 'rc\n' }, `${b} candidate`);
    }
    // release/1.9 changed the line the hotfix changes: that back-merge conflicts.
    await world.commit('acme/shop', 'release/1.9', { 'a.txt': '1.9\n' }, '1.9 edit');
    const hotfix = await world.commit('acme/shop', 'master', { 'a.txt': '2\n' }, 'hotfix');
    const before = await world.snapshot('acme/shop');
    const argv = [...toArgv(backMerge, { repo: 'acme/shop', source: 'master', target: 'release/*', releases: 'all-open', gitUrl: url, labels: '["back-merge"]' }), '--output-dir', out];
    const run = await runtime(argv, appEnvironment(world));
    assert.is(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { ok: boolean; outputs: Record<string, string> };
    assert.is(result.outputs['targets'], 'release/1.9,release/1.10');
    assert.is(await readFile(join(out, 'targets'), 'utf8'), 'release/1.9,release/1.10');
    // The newest is what result/target/commit describe, as with the default.
    assert.is(result.outputs['target'], 'release/1.10');
    assert.is(result.outputs['result'], 'merged');
    assert.is(result.outputs['sourceCommit'], hotfix);
    const tip110 = (await world.tip('acme/shop', 'release/1.10')) ?? '';
    assert.is(result.outputs['commit'], tip110);
    // release/1.9 conflicted: a pull request for it, its branch not moved.
    const pulls = world.api.pulls('acme/shop').filter((p) => p.state === 'open');
    assert.is(pulls.length, 1, JSON.stringify(pulls));
    assert.is(pulls[0]?.base.ref, 'release/1.9');
    assert.match(result.outputs['pullRequests'] ?? '', new RegExp(`/pull/${pulls[0]?.number}$`));
    assert.is(result.outputs['pullRequest'], '', 'the newest merged without one');
    assert.is(await world.tip('acme/shop', 'release/1.9'), before.tips.get('refs/heads/release/1.9'));
    assert.is(await world.tip('acme/shop', 'release/1.8'), base, 'a shipped release is not open');
    await world.assertNothingLost('acme/shop', before);
  } finally {
    await rm(out, { recursive: true, force: true });
    await world.close();
  }
});

test('open-promotion-pull-request through the CLI: the production gate as a pull request', async () => {
  const world = await createWorld();
  const out = await mkdtemp(join(tmpdir(), 'argots-out-'));
  try {
    const url = await createGitops(world);
    const argv = toArgv(openPromotionPullRequest, {
      repo: 'acme/gitops',
      gitUrl: url,
      service: 'shop-api',
      env: 'prod',
      image: image('7', '1.4.0'),
      sourceCommit: 'feedface0123456789abcdef0123456789abcdef',
      autoMerge: 'true',
    });
    const run = await runtime([...argv, '--output-dir', out], appEnvironment(world));
    assert.is(run.code, 0, run.stderr);
    assert.is(await readFile(join(out, 'changed'), 'utf8'), 'true');
    assert.is(await readFile(join(out, 'branch'), 'utf8'), 'promote/shop-api-feedface0123');
    const [pr] = world.api.pulls('acme/gitops');
    assert.is(await readFile(join(out, 'pullRequest'), 'utf8'), pr?.html_url);
    assert.equal(pr?.auto_merge, { merge_method: 'merge' });
  } finally {
    await rm(out, { recursive: true, force: true });
    await world.close();
  }
});

test('a personal access token is refused by every GitHub command, exit 1, token never printed', async () => {
  const pat = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
  for (const argv of [
    toArgv(backMerge, { repo: 'acme/shop', source: 'release/1.4', target: 'dev' }),
    toArgv(cleanupStaging, { repo: 'acme/shop', gitopsUrl: 'https://github.com/acme/gitops.git', service: 'shop-api' }),
    toArgv(openPromotionPullRequest, { repo: 'acme/gitops', service: 'shop-api', env: 'prod', image: `r.io/a@sha256:${'1'.repeat(64)}` }),
  ]) {
    const run = await runtime([...argv, '--output-dir', tmpdir()], { GITHUB_TOKEN: pat });
    assert.is(run.code, 1, run.stderr);
    assert.match(run.stderr, /✖ RUN300 "GITHUB_TOKEN" holds a classic personal access token/);
    assert.not.match(run.stderr + run.stdout, pat);
  }
});

test('resolve-flow through the CLI: a real webhook payload and a policy file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'argots-flow-'));
  try {
    const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];
    const payload = structuredClone(examples.find((d) => d.name === 'pull_request')?.examples.find((e) => e['action'] === 'closed')) as {
      pull_request: { merged: boolean; head: { ref: string }; base: { ref: string } };
    };
    payload.pull_request.merged = true;
    payload.pull_request.head.ref = 'hotfix/login';
    payload.pull_request.base.ref = 'main';
    await writeFile(join(dir, 'event.json'), JSON.stringify(payload));
    await writeFile(join(dir, 'policy.yaml'), 'branches:\n  master: main\nenvironments:\n  staging: stage\n');
    const run = await runtime([...toArgv(resolveFlow, { eventType: 'pull_request', payload: join(dir, 'event.json'), policy: join(dir, 'policy.yaml') }), '--output-dir', join(dir, 'out')], {});
    assert.is(run.code, 0, run.stderr);
    assert.is(await readFile(join(dir, 'out', 'flow'), 'utf8'), 'hotfix');
    assert.is(await readFile(join(dir, 'out', 'environment'), 'utf8'), 'stage');
    assert.is(await readFile(join(dir, 'out', 'target'), 'utf8'), 'main');
    await writeFile(join(dir, 'bad.yaml'), 'branches:\n  master: "ma*in"\n');
    const bad = await runtime([...toArgv(resolveFlow, { eventType: 'pull_request', payload: join(dir, 'event.json'), policy: join(dir, 'bad.yaml') }), '--output-dir', join(dir, 'out')], {});
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /RUN382 branch policy ".*bad\.yaml": branches\.master expected an exact branch name/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
