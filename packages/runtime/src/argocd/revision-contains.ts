/**
 * Whether a GitOps revision Argo CD reports contains the commit a step pushed — asked of the GitOps repository
 * itself: both commits are fetched by SHA into a scratch bare repository (read-only credentials) and compared
 * with `git merge-base --is-ancestor`. A later push to the same branch (another service of the same fan-out)
 * contains ours; a revert to an older revision, or a commit of another branch, does not.
 *
 * ```ts
 * const check = revisionContains({ url: 'https://github.com/acme/gitops.git', ours, auth });
 * await check.contains(reported); // true when `ours` is an ancestor of (or equal to) `reported`
 * await check.close();
 * ```
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCommit, isAncestor } from '../git/repository.js';
import { runGit } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';

export interface RevisionContainsOptions {
  /** The GitOps repository (its clone URL; git's `insteadOf` rules apply). */
  readonly url: string;
  /** The commit that must be contained (the step's pushed commit). */
  readonly ours: string;
  /** Read credentials, or a function giving them on first use (minted only if a check is needed). */
  readonly auth?: GitAuth | undefined | (() => Promise<GitAuth | undefined>);
  readonly log?: ((message: string) => void) | undefined;
}

export interface RevisionContains {
  /** Whether `reported` contains `ours`; false when either commit cannot be fetched. Answers are cached. */
  contains(reported: string): Promise<boolean>;
  /** Removes the scratch repository. */
  close(): Promise<void>;
}

const SHA = /^[0-9a-f]{40}$/;

export function revisionContains(options: RevisionContainsOptions): RevisionContains {
  const answers = new Map<string, boolean>();
  let ready: Promise<{ dir: string; auth: GitAuth | undefined }> | undefined;
  let made: string | undefined;
  const setUp = async (): Promise<{ dir: string; auth: GitAuth | undefined }> => {
    const dir = await mkdtemp(join(tmpdir(), 'argots-gitops-ancestry-'));
    made = dir;
    await runGit(['init', '--quiet', '--bare'], { cwd: dir });
    await runGit(['remote', 'add', 'origin', options.url], { cwd: dir });
    const auth = typeof options.auth === 'function' ? await options.auth() : options.auth;
    return { dir, auth };
  };
  return {
    async contains(reported) {
      if (reported === options.ours) return true;
      if (!SHA.test(reported) || !SHA.test(options.ours)) return false;
      const known = answers.get(reported);
      if (known !== undefined) return known;
      ready ??= setUp();
      const { dir, auth } = await ready;
      let answer = false;
      if (!(await ensureCommit(dir, options.ours, { auth }))) {
        options.log?.(`the GitOps repository does not have our commit ${options.ours.slice(0, 12)} (yet); cannot judge ${reported.slice(0, 12)}`);
        return false; // not cached: a mirror may not have it yet
      }
      if (!(await ensureCommit(dir, reported, { auth }))) {
        options.log?.(`the GitOps repository has no commit ${reported.slice(0, 12)}: it does not contain ours`);
      } else {
        answer = await isAncestor(dir, options.ours, reported);
        options.log?.(`${reported.slice(0, 12)} ${answer ? 'contains' : 'does not contain'} our commit ${options.ours.slice(0, 12)}`);
      }
      answers.set(reported, answer);
      return answer;
    },
    async close() {
      if (made) await rm(made, { recursive: true, force: true });
    },
  };
}
