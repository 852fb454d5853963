import { mkdir } from 'node:fs/promises';
import { runGit, tryGit } from '../../git/run-git.js';
import type { GitAuth } from '../../git/token-source.js';

/**
 * Prepares `dir` as a repository whose `origin` is `url` and fetches the given branches (full history, for
 * merge bases) into `refs/remotes/origin/*`. Branches missing on the remote are skipped (the caller checks).
 * Returns the names of all branches on the remote.
 */
export async function fetchBranches(
  dir: string,
  url: string,
  branches: readonly string[] | ((remoteBranches: readonly string[]) => readonly string[]),
  auth: GitAuth | undefined,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  if ((await tryGit(['rev-parse', '--git-dir'], { cwd: dir })).exitCode !== 0) {
    await runGit(['init', '--quiet'], { cwd: dir });
  }
  if ((await tryGit(['remote', 'get-url', 'origin'], { cwd: dir })).exitCode === 0) {
    await runGit(['remote', 'set-url', 'origin', url], { cwd: dir });
  } else {
    await runGit(['remote', 'add', 'origin', url], { cwd: dir });
  }
  const heads = await runGit(['ls-remote', '--heads', 'origin'], { cwd: dir, auth });
  const remote = heads
    .split('\n')
    .map((l) => l.split('\t')[1]?.trim() ?? '')
    .filter((r) => r.startsWith('refs/heads/'))
    .map((r) => r.slice('refs/heads/'.length));
  const wanted = typeof branches === 'function' ? branches(remote) : branches;
  const specs = wanted.filter((b) => remote.includes(b)).map((b) => `+refs/heads/${b}:refs/remotes/origin/${b}`);
  if (specs.length > 0) await runGit(['fetch', '--quiet', '--no-tags', 'origin', ...specs], { cwd: dir, auth });
  return remote;
}
