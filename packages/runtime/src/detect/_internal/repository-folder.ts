/**
 * What is wrong with the repository folder a detection was given, asked only once something failed (or
 * before anything runs, for an empty path): the usual run pays nothing for it.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tryGit } from '../../git/run-git.js';
import { RuntimeError } from '../../runtime-error.js';

const REPO_HINT = 'pass --repo the folder the application repository was checked out into, for example /workspace/src';

/** An empty path would make git (and the file reads) work in the process's working directory. */
export function assertRepositoryPathGiven(repo: string): void {
  if (repo.trim() === '') {
    throw new RuntimeError('RUN813', `repository path is empty: expected the folder of a git checkout, received ${JSON.stringify(repo)}`, {
      hint: `${REPO_HINT}; an empty path would analyse whatever folder the step runs in`,
    });
  }
}

/** The folder is missing or not a folder (undefined when it is one). */
export function missingFolderProblem(repo: string): RuntimeError | undefined {
  const st = statSync(repo, { throwIfNoEntry: false });
  if (st === undefined) {
    return new RuntimeError('RUN811', `repository "${repo}" does not exist: expected the folder of a git checkout`, {
      hint: `${REPO_HINT} (check out the repository before this step runs)`,
    });
  }
  if (!st.isDirectory()) {
    return new RuntimeError('RUN811', `repository "${repo}" is not a folder: expected the folder of a git checkout, received a file`, { hint: REPO_HINT });
  }
  return undefined;
}

/**
 * After git failed: the folder is missing, not a folder, or not a git repository (undefined when it is one,
 * and the failure is something else). A folder without `.git` may still be a bare repository or lie inside
 * one: git itself is asked before saying it is not.
 */
export async function repositoryProblem(repo: string): Promise<RuntimeError | undefined> {
  const missing = missingFolderProblem(repo);
  if (missing) return missing;
  if (existsSync(join(repo, '.git'))) return undefined;
  const r = await tryGit(['rev-parse', '--git-dir'], { cwd: repo }).catch(() => undefined);
  if (r !== undefined && r.exitCode === 0) return undefined;
  return new RuntimeError('RUN812', `repository "${repo}" is not a git repository (no .git): expected the root of a git checkout`, {
    hint: 'pass --repo the root of the checkout (the folder holding .git), or clone the repository into that folder first',
  });
}
