/**
 * `detect-deploy` reports only files that update-manifests can then edit: a malformed Kustomization or values
 * file is refused here already, with the same RUN700 (file, line, column), through the real CLI.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commands, encodeInput, toArgv } from '@argots/contract';
import { main } from '../src/cli.js';
import { findDeployment } from '../src/manifests/find-deployment.js';
import { loadLayout, resolveTarget } from '../src/manifests/layout.js';
import { RuntimeError } from '../src/runtime-error.js';
import { remove, tempDir, writeFiles } from './git-fixtures.js';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLayout } from '../src/manifests/layout.js';
import { setImagesInRepository } from '../src/manifests/set-image-in-repository.js';
import { gitopsFiles } from './manifests-gitops-fixture.js';

interface Run {
  readonly code: number;
  readonly result: Record<string, unknown>;
  readonly stderr: string;
}

async function detectDeploy(gitops: string, service: string, env: string, layout?: string): Promise<Run> {
  const c = commands['detect-deploy'];
  const encoded: Record<string, string> = { gitops: encodeInput(c.inputs.gitops, gitops), service: encodeInput(c.inputs.service, service), env: encodeInput(c.inputs.env, env) };
  if (layout !== undefined && c.inputs.layout) encoded['layout'] = encodeInput(c.inputs.layout, layout);
  const outDir = tempDir('argots-out-');
  let stdout = '';
  let stderr = '';
  try {
    const code = await main([...toArgv(c, encoded), '--output-dir', outDir], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      env: { PATH: process.env['PATH'] },
      cwd: process.cwd(),
      interactive: false,
    });
    return { code, stderr, result: JSON.parse(stdout.trim() || '{}') as Record<string, unknown> };
  } finally {
    remove(outDir);
  }
}

test('given a malformed kustomization.yaml or $values file, detect-deploy fails with RUN700 naming the file, line and column', async () => {
  const dir = tempDir('argots-gitops-');
  try {
    writeFiles(dir, { ...gitopsFiles(), 'values/shop-worker/dev.yaml': 'image:\n  repository: shop/worker\n  tag: [oops\n' });
    const cases: [string, RegExp][] = [
      ['broken', /^"apps\/broken\/dev\/kustomization\.yaml" is not valid YAML at line \d+, column \d+: /],
      ['shop-worker', /^"values\/shop-worker\/dev\.yaml" is not valid YAML at line \d+, column \d+: /],
    ];
    for (const [service, expected] of cases) {
      const r = await detectDeploy(dir, service, 'dev');
      assert.is(r.code, 1, `${service}: ${JSON.stringify(r.result)}`);
      assert.equal([r.result['ok'], r.result['code']], [false, 'RUN700']);
      assert.match(String(r.result['message']), expected);
      assert.match(r.stderr, /hint: /);
      // The library says the same, for update-manifests and promotions that call it.
      const e = (() => {
        try {
          findDeployment(dir, resolveTarget(loadLayout(dir), service, 'dev'));
        } catch (x) {
          return x;
        }
        return undefined;
      })();
      assert.instance(e, RuntimeError);
      assert.is((e as RuntimeError).message, r.result['message']);
    }
    const fine = await detectDeploy(dir, 'shop-api', 'dev');
    assert.is(fine.code, 0, fine.stderr);
  } finally {
    remove(dir);
  }
});

test('given a layout path that is a folder, detect-deploy refuses it with RUN721 and a hint, not an internal error', async () => {
  const dir = tempDir('argots-gitops-');
  try {
    writeFiles(dir, gitopsFiles());
    const r = await detectDeploy(dir, 'shop-api', 'dev', 'apps');
    assert.is(r.code, 1, r.stderr);
    assert.equal([r.result['ok'], r.result['code']], [false, 'RUN721']);
    assert.match(String(r.result['message']), /layout file "apps" in the GitOps repository ".*" is a folder, not a file/);
    assert.match(r.stderr, /hint: pass --layout naming the layout file itself/);
  } finally {
    remove(dir);
  }
});

const IMAGE = `registry.dev.acme.io/shop/api:1.4.2@sha256:${'2'.repeat(64)}`;
const layoutFor = (path: string): string => `services:\n  shop-api:\n    images: [shop/api]\n    environments:\n      prod: ${path}\n`;

test('a $values file reached through a symbolic link is refused, and nothing outside the repository is written', () => {
  const root = tempDir('argots-gitops-');
  const outside = tempDir('argots-outside-');
  try {
    writeFileSync(join(outside, 'settings.yaml'), 'image:\n  tag: "1.0.0"\n');
    symlinkSync(outside, join(root, 'shared'));
    mkdirSync(join(root, 'apps/shop-api'), { recursive: true });
    writeFileSync(join(root, 'apps/shop-api/app.yaml'), [
      'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'metadata: {name: shop-api}', 'spec:', '  sources:',
      '    - repoURL: https://charts.acme.io', '      chart: shop-api', '      helm:', '        valueFiles: [$values/shared/settings.yaml]',
      '    - {repoURL: https://github.com/acme/gitops.git, ref: values}', '',
    ].join('\n'));
    try {
      setImagesInRepository(root, parseLayout(layoutFor('apps/shop-api')), [{ service: 'shop-api', env: 'prod', image: IMAGE }]);
      assert.unreachable('a link out of the repository was followed');
    } catch (e) {
      assert.instance(e, RuntimeError);
      assert.is((e as RuntimeError).code, 'RUN731');
      assert.match((e as Error).message, /"shared\/settings.yaml" goes through the symbolic link "shared"/);
    }
    assert.is(readFileSync(join(outside, 'settings.yaml'), 'utf8'), 'image:\n  tag: "1.0.0"\n');
  } finally {
    remove(root);
    remove(outside);
  }
});

test('Helm values holding resources: {} (as helm create writes them) are edited as Helm values, not taken for a Kustomization', () => {
  const root = tempDir('argots-gitops-');
  try {
    writeFiles(root, { 'apps/shop-api/prod/values-prod.yaml': 'replicaCount: 2\nimage:\n  repository: registry.dev.acme.io/shop/api\n  tag: "1.0.0"\nresources: {}\n' });
    const r = setImagesInRepository(root, parseLayout(layoutFor('apps/shop-api/prod/values-prod.yaml')), [{ service: 'shop-api', env: 'prod', image: IMAGE }]);
    assert.equal(r.files, ['apps/shop-api/prod/values-prod.yaml']);
    assert.is(readFileSync(join(root, 'apps/shop-api/prod/values-prod.yaml'), 'utf8'), `replicaCount: 2\nimage:\n  repository: registry.dev.acme.io/shop/api\n  tag: "1.4.2"\n  digest: sha256:${'2'.repeat(64)}\nresources: {}\n`);
  } finally {
    remove(root);
  }
});

test.run();
