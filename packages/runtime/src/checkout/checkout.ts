/**
 * The checkout every pipeline starts with: clone a repository and check out a branch (`release/1.4`), a tag
 * or a commit, detached. A branch name is resolved on the remote-tracking ref the clone made (git's
 * `checkout --detach <branch>` refuses a name that only exists as `origin/<branch>`), so branch, tag and
 * commit all work. Re-running into a checkout of the same repository fetches and checks out again (a retried
 * step); any other existing folder is refused rather than removed.
 *
 * ```ts
 * const r = await checkout({ url: 'https://github.com/acme/shop.git', revision: 'release/1.4', dir: '/workspace/src', auth });
 * r.commit; // 40 hex digits
 * ```
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { ensureCommit, resolveCommit } from '../git/repository.js';
import { runGit, tryGit } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import { shorten } from '../redact.js';
import { RuntimeError } from '../runtime-error.js';

export interface CheckoutOptions {
  readonly url: string;
  readonly revision: string;
  readonly dir: string;
  readonly depth?: number | undefined;
  readonly auth?: GitAuth | undefined;
  readonly log?: (message: string) => void;
}

export interface CheckoutResult {
  readonly commit: string;
  readonly ref: 'branch' | 'tag' | 'commit';
}

const SHA = /^[0-9a-f]{40}$/;

async function checkRevision(revision: string): Promise<void> {
  const problem = revision === ''
    ? 'it is empty'
    : revision.startsWith('-')
      ? 'it starts with "-"'
      : SHA.test(revision)
        ? undefined
        : (await tryGit(['check-ref-format', '--allow-onelevel', revision], { cwd: process.cwd() })).exitCode !== 0
          ? 'it is not a valid git ref name'
          : undefined;
  if (problem) {
    throw new RuntimeError('RUN240', `checkout: --revision expected a branch, tag or 40-hex commit, received "${shorten(revision)}" (${problem})`, {
      hint: 'pass the branch name without refs/heads/ (release/1.4), a tag, or a full commit SHA',
    });
  }
}

async function originUrl(dir: string): Promise<string | undefined> {
  const r = await tryGit(['config', '--get', 'remote.origin.url'], { cwd: dir });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function checkout(options: CheckoutOptions): Promise<CheckoutResult> {
  await checkRevision(options.revision);
  const dir = resolve(options.dir);
  const auth = options.auth;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if ((await originUrl(dir)) !== options.url) {
      throw new RuntimeError('RUN241', `checkout: "${dir}" already exists and is not a checkout of ${options.url}`, {
        hint: 'give an empty or new --dir; argots does not delete folders it did not create',
      });
    }
    options.log?.(`"${dir}" is already a checkout of this repository: fetching`);
    await runGit(['fetch', '--quiet', '--tags', '--force', 'origin', '+refs/heads/*:refs/remotes/origin/*'], { cwd: dir, auth });
  } else {
    await mkdir(dirname(dir), { recursive: true });
    const args = ['clone', '--quiet', '--no-checkout'];
    if (options.depth !== undefined) args.push('--depth', String(options.depth), '--no-single-branch');
    await runGit([...args, '--', options.url, dir], { cwd: dirname(dir), auth });
  }
  const revision = options.revision;
  let found: CheckoutResult | undefined;
  if (SHA.test(revision)) {
    if (!(await ensureCommit(dir, revision, { auth }))) {
      throw new RuntimeError('RUN242', `checkout: commit ${revision} is not in ${options.url}`, { hint: 'the commit may have been force-pushed away; re-run from a newer event' });
    }
    found = { commit: revision, ref: 'commit' };
  } else {
    const branch = await resolveCommit(dir, `refs/remotes/origin/${revision}`);
    const tag = branch ? undefined : await resolveCommit(dir, `refs/tags/${revision}`);
    if (branch) found = { commit: branch, ref: 'branch' };
    else if (tag) found = { commit: tag, ref: 'tag' };
  }
  if (!found) {
    throw new RuntimeError('RUN242', `checkout: "${shorten(revision)}" is neither a branch nor a tag of ${options.url}`, {
      hint: 'check the branch name (it may have been deleted since the event), or pass a commit SHA',
    });
  }
  await runGit(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--force', '--detach', found.commit], { cwd: dir });
  options.log?.(`checked out ${found.ref} "${shorten(revision)}" at ${found.commit}`);
  return found;
}
