/**
 * `readImage` is the inverse of `setImagesInRepository`: whatever update-manifests writes — a Kustomize
 * overlay, Helm values (values-<env>.yaml over values.yaml), an Argo CD multi-source Application's `$values`
 * file, a plain CronJob, an Argo Rollout — reads back as exactly that image. Before anything was set by
 * digest, and when two different images match, it refuses with a clear error instead of guessing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadLayout, resolveTarget } from '../src/manifests/layout.js';
import { readImage } from '../src/manifests/read-image.js';
import { setImagesInRepository } from '../src/manifests/set-image-in-repository.js';
import { RuntimeError } from '../src/runtime-error.js';
import { DIGEST_A, DIGEST_B, gitopsFiles, REGISTRY } from './manifests-gitops-fixture.js';
import { remove, tempDir, writeFiles } from './git-fixtures.js';

const cases: [service: string, image: string][] = [
  ['shop-api', `${REGISTRY}/shop/shop-api:1.4.2@${DIGEST_A}`],
  ['shop-web', `${REGISTRY}/shop/web:1.4.2@${DIGEST_B}`],
  ['shop-worker', `${REGISTRY}/shop/shop-worker:7@${DIGEST_A}`],
  ['shop-cron', `${REGISTRY}/shop/shop-cron:0.2.0@${DIGEST_B}`],
];

for (const [service, image] of cases) {
  test(`given ${service} set to an image by update-manifests, then current-image reads back exactly that image`, () => {
    const dir = tempDir();
    try {
      writeFiles(dir, gitopsFiles());
      const layout = loadLayout(dir);
      const target = resolveTarget(layout, service, 'dev');
      assert.throws(() => readImage(dir, target), (e: unknown) => e instanceof RuntimeError && e.code === 'RUN760', 'nothing is set by digest yet');
      setImagesInRepository(dir, layout, [{ service, env: 'dev', image }]);
      assert.is(readImage(dir, target), image);
    } finally {
      remove(dir);
    }
  });
}

test('given an Argo Rollout, then its container image is read', () => {
  const dir = tempDir();
  try {
    writeFiles(dir, {
      'argots.yaml': 'services:\n  shop-api:\n    environments:\n      prod: apps/shop-api/prod\n',
      'apps/shop-api/prod/rollout.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: shop-api\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.prod.acme.io/shop/shop-api:1.4@${DIGEST_A}\n`,
    });
    assert.is(readImage(dir, resolveTarget(loadLayout(dir), 'shop-api', 'prod')), `registry.prod.acme.io/shop/shop-api:1.4@${DIGEST_A}`);
  } finally {
    remove(dir);
  }
});

test('given two different images for a service without `images:` in the layout, then it refuses to guess (RUN761)', () => {
  const dir = tempDir();
  try {
    writeFiles(dir, {
      'argots.yaml': 'services:\n  shop-api:\n    environments:\n      prod: apps/shop-api/prod\n',
      'apps/shop-api/prod/deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop-api\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: r.io/shop/api@${DIGEST_A}\n        - name: proxy\n          image: r.io/envoy@${DIGEST_B}\n`,
    });
    assert.throws(() => readImage(dir, resolveTarget(loadLayout(dir), 'shop-api', 'prod')), (e: unknown) => e instanceof RuntimeError && e.code === 'RUN761' && /r\.io\/envoy/.test(e.message));
  } finally {
    remove(dir);
  }
});

test.run();
