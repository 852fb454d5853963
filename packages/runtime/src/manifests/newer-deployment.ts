/**
 * Last writer wins by push order, not by build: a pipeline that started earlier but pushed later would set an
 * environment back to an older image. Before an image is written, the environment's current deployment is
 * read from the GitOps history (the newest deploy commit whose trailers name the service and environment)
 * and its `Source-Commit` compared with the new one in the application repository: when the deployed
 * commit is a strict descendant of the new one, the update is refused (RUN744). Commits on diverged lines
 * (a hotfix beside a release) are not ordered by ancestry and are let through, as are environments with no
 * recorded deployment.
 */
import { RuntimeError } from '../runtime-error.js';
import { deepenUntil, ensureCommit, isAncestor, isShallow, mergeBase, resolveCommit } from '../git/repository.js';
import { runGit } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import type { ImageUpdate } from './set-image-in-repository.js';

interface Deployed {
  readonly commit: string;
  readonly image: string;
  readonly sourceCommit: string;
}

/** The newest deploy commit on HEAD of `gitops` that records `service` in `env` with a source commit. */
async function currentDeployment(gitops: string, service: string, env: string): Promise<Deployed | undefined> {
  const log = await runGit(['log', '--format=%H%x1f%B%x1e', '-F', '--all-match', '--grep', `Service: ${service}`, '--grep', `Environment: ${env}`, 'HEAD', '--'], { cwd: gitops });
  for (const record of log.split('\x1e')) {
    const [commit = '', message = ''] = record.replace(/^\n/, '').split('\x1f');
    if (!commit) continue;
    for (const block of message.split(/\n\s*\n/)) {
      const fields = new Map(block.split('\n').flatMap((line) => {
        const m = /^([A-Za-z-]+): (.+)$/.exec(line.trim());
        return m?.[1] && m[2] ? [[m[1], m[2].trim()] as const] : [];
      }));
      const source = fields.get('Source-Commit');
      if (fields.get('Service') === service && fields.get('Environment') === env && source) {
        return { commit, image: fields.get('Image') ?? '', sourceCommit: source };
      }
    }
  }
  return undefined;
}

export interface RefuseOlderOptions {
  readonly gitops: string;
  readonly branch: string;
  readonly appRepo: string;
  readonly sourceCommit: string;
  readonly updates: readonly ImageUpdate[];
  /** Fetches more GitOps history when the clone is shallow. */
  readonly gitopsAuth?: GitAuth | undefined;
  /** Fetches the deployed commit into `appRepo` (read access to the application repository). */
  readonly appAuth?: GitAuth | undefined;
  readonly log?: (message: string) => void;
}

export async function refuseOlderDeployments(options: RefuseOlderOptions): Promise<void> {
  const newCommit = (await resolveCommit(options.appRepo, `${options.sourceCommit}^{commit}`)) ?? options.sourceCommit;
  for (const update of options.updates) {
    let deployed = await currentDeployment(options.gitops, update.service, update.env);
    if (!deployed && (await isShallow(options.gitops))) {
      await deepenUntil(options.gitops, async () => (deployed = await currentDeployment(options.gitops, update.service, update.env)) !== undefined, { auth: options.gitopsAuth, start: 50, maxSteps: 5 });
    }
    if (!deployed) continue;
    const old = deployed.sourceCommit;
    if (old === newCommit || newCommit.startsWith(old) || old.startsWith(newCommit)) continue;
    if (!(await ensureCommit(options.appRepo, old, { auth: options.appAuth }))) {
      options.log?.(`${update.service} in ${update.env} runs an image built from ${old.slice(0, 12)}, which the application repository does not have; not ordered, written`);
      continue;
    }
    if (await isShallow(options.appRepo)) {
      await deepenUntil(options.appRepo, async () => (await mergeBase(options.appRepo, old, newCommit)) !== undefined, { auth: options.appAuth, start: 50, maxSteps: 6 });
    }
    if (await isAncestor(options.appRepo, newCommit, old)) {
      throw new RuntimeError(
        'RUN744',
        `${update.service} in ${update.env} runs ${deployed.image}, built from ${old.slice(0, 12)}, which is newer than ${newCommit.slice(0, 12)} (it descends from it); refusing to set it back`,
        { hint: `this run started before the one that deployed ${old.slice(0, 12)} and pushed after it; nothing was written. To deploy the older image on purpose, pass --allow-older true` },
      );
    }
  }
}
