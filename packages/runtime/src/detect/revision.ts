/**
 * `--before HEAD~1`, `--after main`, `--before v1.4.0`: any revision git resolves to one commit, turned into
 * its SHA before anything else runs. The text is checked first (a revision, not an option: it never starts
 * with `-`, and has no spaces, control characters, `:` paths or `..` ranges), then given to git as one argv
 * element after `--end-of-options` — never to a shell. A shallow clone that lacks the history a relative
 * revision needs is deepened a few times, then refused with a message that says so.
 */
import { RuntimeError } from '../runtime-error.js';
import { deepenUntil, isShallow, resolveCommit } from '../git/repository.js';
import type { GitAuth } from '../git/token-source.js';

const SHA = /^[0-9a-f]{40}$/;
/** What a revision may look like here: a name, a SHA (short or full), `~n` / `^n` suffixes, `@{…}`. */
export const REVISION = /^[A-Za-z0-9_@][A-Za-z0-9_./@{}~^+-]{0,254}$/;

/** The problem with `text` as a revision, or undefined. */
export function revisionProblem(text: string): string | undefined {
  if (text === '') return 'it is empty';
  if (text.startsWith('-')) return 'it starts with "-" (it would be read as an option)';
  if (text.includes('..')) return 'it is a range ("..")';
  if (!REVISION.test(text)) return 'it has characters a revision cannot have here (spaces, control characters, ":", "*", "?", "[", "\\")';
  return undefined;
}

export interface ResolveRevisionOptions {
  readonly remote?: string;
  readonly auth?: GitAuth | undefined;
}

/** The commit SHA `revision` names in `repo` (`which` is `before` or `after`, for messages). */
export async function resolveRevision(repo: string, revision: string, which: string, options: ResolveRevisionOptions = {}): Promise<string> {
  if (SHA.test(revision)) return revision;
  const problem = revisionProblem(revision);
  if (problem) {
    throw new RuntimeError('RUN814', `"${which}" ${JSON.stringify(revision)} is not a revision: ${problem}`, {
      hint: 'give a commit SHA, a branch or tag name, or a relative revision such as HEAD~1 or main^',
    });
  }
  let sha = await resolveCommit(repo, revision);
  if (sha) return sha;
  const shallow = await isShallow(repo);
  if (shallow) {
    await deepenUntil(repo, async () => (sha = await resolveCommit(repo, revision)) !== undefined, { remote: options.remote ?? 'origin', auth: options.auth, start: 10, maxSteps: 3, complete: false });
    if (sha) return sha;
    throw new RuntimeError('RUN815', `"${which}" ${JSON.stringify(revision)} names no commit in the shallow clone "${repo}": the history it needs is cut off (and deepening it did not bring it)`, {
      hint: 'clone with more history (git fetch --deepen=N, or fetch-depth: 0 in CI), or pass the commit SHA (the push event gives it)',
    });
  }
  throw new RuntimeError('RUN815', `"${which}" ${JSON.stringify(revision)} names no commit in "${repo}"`, {
    hint: 'check the branch, tag or SHA (git rev-parse --verify <revision> resolves it), or pass the commit SHA',
  });
}
