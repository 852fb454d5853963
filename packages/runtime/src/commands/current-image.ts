import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentImage as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { cloneRepository, resolveCommit } from '../git/repository.js';
import { runGit } from '../git/run-git.js';
import { DEFAULT_LAYOUT_FILE, loadLayout, resolveTarget } from '../manifests/layout.js';
import { readImage } from '../manifests/read-image.js';
import { gitAuthFromContext, scopeFor } from './_internal/git-auth-from-context.js';

/** `argots-runtime current-image --gitops-url … --service shop-api --env dev`: read-only, on a shallow clone. */
export default defineHandler(command, async (inputs, ctx) => {
  const work = await mkdtemp(join(tmpdir(), 'argots-current-image-'));
  try {
    const dir = join(work, 'gitops');
    await cloneRepository({ url: inputs.gitopsUrl, dir, branch: inputs.branch ?? 'main', depth: 50, auth: await gitAuthFromContext(ctx, scopeFor(inputs.gitopsUrl, 'read')), cwd: work });
    const target = resolveTarget(loadLayout(dir, inputs.layout ?? DEFAULT_LAYOUT_FILE), inputs.service, inputs.env);
    const image = readImage(dir, target);
    const digest = image.slice(image.indexOf('@') + 1);
    // The deployment commit that set it names the application commit (update-manifests' trailers).
    const log = await runGit(['log', '--format=%H%x00%(trailers:key=Source-Commit,valueonly,separator=)', '--extended-regexp', `--grep=^Digest: ${digest}$`, `--grep=^Service: ${inputs.service}$`, `--grep=^Environment: ${inputs.env}$`, '--all-match', '-n', '1', 'HEAD'], { cwd: dir });
    const [, source = ''] = log.trim().split('\0');
    const commit = (await resolveCommit(dir, 'HEAD')) ?? '';
    ctx.log(`${inputs.service} runs ${image} in ${inputs.env}`);
    return { outputs: { image, digest, sourceCommit: /^[0-9a-f]{40}$/.test(source.trim()) ? source.trim() : '', commit } };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});
