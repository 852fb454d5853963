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
import type { DeployTarget, Layout } from './layout.js';
import type { HelmValuePaths } from './helm-value-paths.js';
import { setImage } from './set-image.js';
import { assertNoSymlink } from './safe-path.js';

export interface ImageUpdate {
  readonly service: string;
  readonly env: string;
  /** `repo:tag@sha256:…` */
  readonly image: string;
  /** The digest a promotion moved the registry tag away from, named in the deploy commit's trailers. */
  readonly replacedDigest?: string | undefined;
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
    deployments.push({ ...editTarget(gitopsDir, target, update, texts, {}), ...update });
  }
  return { files: writeTexts(gitopsDir, texts), deployments };
}

/** How one image is set: the layout's Helm value paths, or others found by rendering probes. */
export interface EditChoice {
  readonly helm?: HelmValuePaths;
  readonly completeParameters?: boolean;
}

/** Sets one update's image in the texts of its deployment's files (read on first use); throws RUN727 when no file names it. */
export function editTarget(gitopsDir: string, target: DeployTarget, update: ImageUpdate, texts: Map<string, { before: string; after: string }>, choice: EditChoice): Deployment {
  const deployment = findDeployment(gitopsDir, target);
  let matched = 0;
  for (const file of deployment.files) {
    // Read and written in place: a symbolic link on the way could lead out of the repository.
    assertNoSymlink(gitopsDir, file.path, `manifest file of service "${update.service}"`);
    const current = texts.get(file.path) ?? (() => {
      const t = readFileSync(join(gitopsDir, file.path), 'utf8');
      return { before: t, after: t };
    })();
    const r = setImage(current.after, {
      image: update.image,
      file: file.path,
      names: target.images,
      helm: choice.helm ?? target.helm,
      format: file.format,
      ...(choice.completeParameters ? { completeParameters: true } : {}),
    });
    matched += r.matched;
    texts.set(file.path, { before: current.before, after: r.text });
  }
  if (matched === 0) {
    throw new RuntimeError('RUN727', `no image of service "${update.service}" found in ${deployment.files.map((f) => `"${f.path}"`).join(', ')} (environment "${update.env}"): expected an image named ${target.images.length ? target.images.map((n) => `"${n}"`).join(' or ') : `"${update.image.split('@')[0]?.replace(/:[^/:]*$/, '')}"`}`, {
      hint: `list the image name the manifests use under services.${update.service}.images in the layout file`,
    });
  }
  return deployment;
}

/** Writes the texts that changed; returns their paths (sorted). */
export function writeTexts(gitopsDir: string, texts: ReadonlyMap<string, { before: string; after: string }>): string[] {
  const files: string[] = [];
  for (const [path, { before, after }] of texts) {
    if (before === after) continue;
    writeFileSync(join(gitopsDir, path), after);
    files.push(path);
  }
  return files.sort();
}
