/**
 * Sets services' images in a GitOps checkout (no git: the caller commits). All files are computed before
 * any is written, so an error (malformed YAML, an image that is not there) leaves the checkout untouched.
 *
 * ```ts
 * const layout = loadLayout('/tmp/gitops');
 * const r = setImagesInRepository('/tmp/gitops', layout, [{ service: 'shop-api', env: 'dev', image: 'reg/shop/api:1@sha256:…' }]);
 * r.files; // changed files, relative to the root
 * ```
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../runtime-error.js';
import { findDeployment } from './find-deployment.js';
import type { Deployment } from './find-deployment.js';
import { resolveTarget } from './layout.js';
import type { Layout } from './layout.js';
import { setImage } from './set-image.js';
import { assertNoSymlink } from './safe-path.js';

export interface ImageUpdate {
  readonly service: string;
  readonly env: string;
  /** `repo:tag@sha256:…` */
  readonly image: string;
}

export interface SetImagesResult {
  /** Files changed, relative to the repository root (sorted). */
  readonly files: readonly string[];
  readonly deployments: readonly (Deployment & ImageUpdate)[];
}

export function setImagesInRepository(gitopsDir: string, layout: Layout, updates: readonly ImageUpdate[]): SetImagesResult {
  const texts = new Map<string, { before: string; after: string }>();
  const deployments: (Deployment & ImageUpdate)[] = [];
  for (const update of updates) {
    const target = resolveTarget(layout, update.service, update.env);
    const deployment = findDeployment(gitopsDir, target);
    deployments.push({ ...deployment, ...update });
    let matched = 0;
    for (const file of deployment.files) {
      // Read and written in place: a symbolic link on the way could lead out of the repository.
      assertNoSymlink(gitopsDir, file.path, `manifest file of service "${update.service}"`);
      const current = texts.get(file.path) ?? (() => {
        const t = readFileSync(join(gitopsDir, file.path), 'utf8');
        return { before: t, after: t };
      })();
      const r = setImage(current.after, { image: update.image, file: file.path, names: target.images, helm: target.helm, format: file.format });
      matched += r.matched;
      texts.set(file.path, { before: current.before, after: r.text });
    }
    if (matched === 0) {
      throw new RuntimeError('RUN727', `no image of service "${update.service}" found in ${deployment.files.map((f) => `"${f.path}"`).join(', ')} (environment "${update.env}"): expected an image named ${target.images.length ? target.images.map((n) => `"${n}"`).join(' or ') : `"${update.image.split('@')[0]?.replace(/:[^/:]*$/, '')}"`}`, {
        hint: `list the image name the manifests use under services.${update.service}.images in ${layout.file}`,
      });
    }
  }
  const files: string[] = [];
  for (const [path, { before, after }] of texts) {
    if (before === after) continue;
    writeFileSync(join(gitopsDir, path), after);
    files.push(path);
  }
  return { files: files.sort(), deployments };
}
