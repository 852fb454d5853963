/**
 * `update-manifests` as a library function: clone the GitOps repository, set the images, render what each
 * environment deploys and require every workload of the service to run the new image (`setImagesVerified`),
 * commit with a message naming service, environment, digest and source commit, push — re-applying on a
 * moved branch.
 * Setting an image a deployment already has commits nothing.
 *
 * ```ts
 * await updateManifests({
 *   gitopsUrl: 'https://github.com/acme/gitops.git', branch: 'main', auth: { token: () => appToken() },
 *   updates: [{ service: 'shop-api', env: 'dev', image: 'reg/shop/api:1.4.2@sha256:…' }],
 *   sourceCommit: '4f7c2e1d…',
 * });
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeError } from '../runtime-error.js';
import { cloneRepository } from '../git/repository.js';
import { refuseOlderDeployments } from './newer-deployment.js';
import { pushWithRetry } from '../git/push-with-retry.js';
import type { GitIdentity } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import { parseDigestRef } from './image-ref.js';
import { DEFAULT_LAYOUT_FILE, loadLayout } from './layout.js';
import type { ImageUpdate } from './set-image-in-repository.js';
import { RenderMemo, setImagesVerified } from './set-images-verified.js';
import { runGit } from '../git/run-git.js';
import { shorten } from '../redact.js';

export interface UpdateManifestsOptions {
  readonly gitopsUrl: string;
  readonly branch?: string;
  readonly updates: readonly ImageUpdate[];
  /** Commit of the application repository the images were built from (named in the commit message). */
  readonly sourceCommit?: string | undefined;
  readonly layoutFile?: string | undefined;
  /**
   * A checkout of the application repository (where `sourceCommit` lives). When given with `sourceCommit`,
   * an environment whose current image was built from a newer commit (a descendant of `sourceCommit`, read
   * from the deploy commits' trailers) is not set back, unless `allowOlder`.
   */
  readonly appRepo?: string | undefined;
  readonly allowOlder?: boolean | undefined;
  /** Git credentials for the GitOps repository (clone and push). */
  readonly auth?: GitAuth | undefined;
  /**
   * Read credentials for `appRepo`'s origin: a checkout made before a newer run pushed lacks that run's
   * commit, which is fetched to judge ancestry (a token narrowed to the GitOps repository cannot).
   */
  readonly appAuth?: GitAuth | undefined;
  readonly identity?: GitIdentity | undefined;
  readonly log?: (message: string) => void;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
}

export interface UpdateManifestsResult {
  readonly changed: boolean;
  readonly commit: string;
  readonly files: readonly string[];
  readonly attempts: number;
}

/** The trailer naming the digest a promotion moved the registry tag away from (read by `parseDeploymentTrailers`). */
export const REPLACED_DIGEST_TRAILER = 'Argots-Replaced-Digest';

/** The commit message: a subject naming what was deployed where, then one trailer block per update. */
export function deployCommitMessage(updates: readonly ImageUpdate[], sourceCommit: string | undefined): string {
  const first = updates[0];
  const short = (image: string): string => parseDigestRef(image).digest.slice(0, 'sha256:'.length + 12);
  const subject =
    updates.length === 1 && first
      ? `deploy ${first.service} to ${first.env}: ${short(first.image)}${sourceCommit ? ` (from ${sourceCommit.slice(0, 12)})` : ''}`
      : `deploy ${updates.length} services${sourceCommit ? ` (from ${sourceCommit.slice(0, 12)})` : ''}`;
  const blocks = updates.map((u) =>
    [`Service: ${u.service}`, `Environment: ${u.env}`, `Image: ${u.image}`, `Digest: ${parseDigestRef(u.image).digest}`,
      ...(sourceCommit ? [`Source-Commit: ${sourceCommit}`] : []),
      ...(u.replacedDigest ? [`${REPLACED_DIGEST_TRAILER}: ${u.replacedDigest}`] : []),
    ].join('\n'),
  );
  return `${subject}\n\n${blocks.join('\n\n')}\n`;
}

export async function updateManifests(options: UpdateManifestsOptions): Promise<UpdateManifestsResult> {
  if (options.updates.length === 0) throw new RuntimeError('RUN740', 'update-manifests: expected at least one image update, received none', {
      hint: 'pass a service, an environment and an image by digest (--service, --env, --image); when nothing was built, skip the step',
    });
  for (const u of options.updates) {
    parseDigestRef(u.image, `image of service "${u.service}"`);
    if (u.replacedDigest !== undefined && u.replacedDigest !== '' && !/^sha256:[0-9a-f]{64}$/.test(u.replacedDigest)) {
      throw new RuntimeError('RUN742', `replaced digest of service "${u.service}" must be a digest (sha256: and 64 hex digits), received "${shorten(u.replacedDigest)}"`, {
        hint: "pass promote's `replaced` output as it is (empty when the promotion moved no tag)",
      });
    }
  }
  if (options.sourceCommit !== undefined && !/^[0-9a-f]{7,64}$/.test(options.sourceCommit)) {
    throw new RuntimeError('RUN741', `source commit must be a commit SHA (7 to 64 hex digits), received "${shorten(options.sourceCommit)}"`, {
      hint: 'pass the application commit the image was built from',
    });
  }
  const branch = options.branch ?? 'main';
  const work = mkdtempSync(join(tmpdir(), 'argots-gitops-'));
  try {
    const dir = join(work, 'repo');
    await cloneRepository({ url: options.gitopsUrl, dir, branch, depth: 1, auth: options.auth, cwd: work });
    let files: readonly string[] = [];
    // Renders proven on an earlier attempt are reused when a retry only brings others' changes.
    const memo = new RenderMemo();
    const message = deployCommitMessage(options.updates, options.sourceCommit);
    const r = await pushWithRetry({
      dir,
      branch,
      freshClone: true,
      auth: options.auth,
      identity: options.identity,
      ...(options.log ? { log: options.log } : {}),
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
      apply: async (repo) => {
        const layout = loadLayout(repo, options.layoutFile ?? DEFAULT_LAYOUT_FILE);
        // Judged again on every attempt: a newer deployment may have landed while this one retried.
        if (options.appRepo !== undefined && options.sourceCommit !== undefined && options.allowOlder !== true) {
          await refuseOlderDeployments({ gitops: repo, branch, appRepo: options.appRepo, sourceCommit: options.sourceCommit, updates: options.updates, gitopsAuth: options.auth, appAuth: options.appAuth, ...(options.log ? { log: options.log } : {}) });
        }
        // After editing, render: every workload of each service must now run its new image, or nothing is written.
        const head = (await runGit(['rev-parse', 'HEAD'], { cwd: repo })).trim();
        const changedSince = async (commit: string): Promise<string[]> =>
          (await runGit(['diff', '--name-only', '--no-renames', commit, head, '--'], { cwd: repo })).split('\n').filter((l) => l !== '');
        files = (await setImagesVerified(repo, layout, options.updates, { gitopsUrl: options.gitopsUrl, memo, head, changedSince, ...(options.log ? { log: options.log } : {}) })).files;
        return files.length > 0 ? { message } : null;
      },
    });
    return { changed: r.changed, commit: r.commit, files: r.changed ? files : [], attempts: r.attempts };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
