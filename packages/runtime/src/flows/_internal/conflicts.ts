import { tryGit } from '../../git/run-git.js';

/**
 * The files that conflict when merging `theirs` into `ours`, computed without touching the working tree
 * (`git merge-tree --write-tree`, git ≥ 2.38). Empty when the merge is clean.
 */
export async function conflictingFiles(dir: string, ours: string, theirs: string): Promise<string[]> {
  const r = await tryGit(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ours, theirs], { cwd: dir });
  if (r.exitCode === 0) return [];
  // Output: <tree>\0<file>\0<file>\0... (then an empty record).
  const [, ...files] = r.stdout.split('\0');
  return [...new Set(files.filter((f) => f !== ''))];
}
