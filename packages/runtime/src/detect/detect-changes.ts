/**
 * `detect-changes` as a library function: classify the files a push changed as code or configuration,
 * overall and per service.
 *
 * ```ts
 * const r = await detectChanges({ repo: '/workspace/src', before, after, defaultBranch: 'dev' });
 * r.kind;          // 'code' | 'config' | 'none'
 * r.configFiles;   // to copy into the GitOps repository
 * ```
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runGit, tryGit } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import { DEFAULT_RULES_FILE, loadChangeRules } from './change-rules.js';
import type { ChangeRules, FileClass } from './change-rules.js';
import { pushReason, resolveCommitRange, ZERO_SHA } from './commit-range.js';
import type { CommitRange } from './commit-range.js';
import { ChangeTally } from './_internal/change-tally.js';
import { PacedInput } from './_internal/paced-input.js';
import { RawDiffReader } from './_internal/raw-diff-reader.js';
import { assertRepositoryPathGiven, repositoryProblem } from './_internal/repository-folder.js';
import { resolveRevision } from './revision.js';

export type ChangeKind = 'code' | 'config' | 'none';

export interface ChangedFile {
  readonly path: string;
  /** A added, M modified, D deleted, R renamed (from `oldPath`), T type changed, S submodule moved. */
  readonly status: 'A' | 'M' | 'D' | 'R' | 'T' | 'S';
  readonly oldPath?: string;
  readonly class: FileClass;
}

export interface ServiceChanges {
  readonly name: string;
  readonly kind: ChangeKind;
  readonly codeFiles: readonly string[];
  readonly configFiles: readonly string[];
  readonly deletedConfigFiles: readonly string[];
}

export interface DetectChangesResult {
  readonly kind: ChangeKind;
  readonly codeFiles: readonly string[];
  readonly configFiles: readonly string[];
  readonly deletedConfigFiles: readonly string[];
  readonly services: readonly ServiceChanges[];
  readonly reason: string;
  readonly base: string | undefined;
  readonly head: string;
  readonly files: readonly ChangedFile[];
}

export interface DetectChangesOptions {
  readonly repo: string;
  readonly before: string;
  readonly after: string;
  readonly defaultBranch?: string | undefined;
  /** Path of the rules file inside the repository (default `.argots/changes.yaml`; defaults when absent). */
  readonly rules?: string | undefined;
  readonly auth?: GitAuth | undefined;
}

/** Parses `git diff --raw -z` (or `--name-status -z`) output (see {@link RawDiffReader}). */
export function parseRawDiff(out: string, classify: (path: string) => FileClass): ChangedFile[] {
  const files: ChangedFile[] = [];
  const reader = new RawDiffReader((f) => files.push(f), classify);
  reader.push(out);
  reader.end();
  return files;
}

const diffArgs = (base: string, head: string): string[] => ['diff', '--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', '--ignore-submodules=none', base, head, '--'];
/** The same changes without modes and object names: a quarter of the output, and git formats ~7 ms less of it. */
const statusArgs = (base: string, head: string): string[] => ['diff', '--name-status', '-z', '-M', '--no-ext-diff', '--ignore-submodules=none', base, head, '--'];

/** A path that tells submodules may be involved (their modes are only in --raw output). */
const GITMODULES = '.gitmodules';

/**
 * The usual push (both commits here): the diff and the ancestry check run side by side, two git processes
 * in all; the diff's output goes to `onDiff` as it comes. Anything unusual (a missing commit, a new branch)
 * returns undefined and takes the careful path.
 */
async function usualPush(options: DetectChangesOptions, onDiff: (piece: string) => void): Promise<{ readonly range: CommitRange; readonly modes: boolean } | undefined> {
  const { before, after, repo } = options;
  if (!/^[0-9a-f]{40}$/.test(before) || !/^[0-9a-f]{40}$/.test(after) || before === ZERO_SHA || before === after) return undefined;
  // A submodule shows only through its mode (160000), in --raw output. A repository with submodules has a
  // .gitmodules file; without one (the usual case) --name-status says everything else with less work. If
  // .gitmodules is among the changes (submodules added or removed), the caller reads the diff again with modes.
  const modes = existsSync(join(repo, GITMODULES));
  const [diff, ancestor] = await Promise.all([
    tryGit(modes ? diffArgs(before, after) : statusArgs(before, after), { cwd: repo, onStdout: onDiff }),
    tryGit(['merge-base', '--is-ancestor', before, after], { cwd: repo }),
  ]);
  if (diff.exitCode !== 0 || ancestor.exitCode > 1) return undefined;
  // A "no" is rare (a force push, or history cut off by a shallow clone) and looked into further.
  const reason = ancestor.exitCode === 0 ? `push: compared ${before.slice(0, 12)}..${after.slice(0, 12)}` : await pushReason(options, ancestor.exitCode);
  return { range: { kind: 'diff', base: before, head: after, reason }, modes };
}

const SHA_PAIR = /^[0-9a-f]{40} [0-9a-f]{40}$/;

async function withResolvedRevisions(options: DetectChangesOptions): Promise<DetectChangesOptions> {
  const problem = await repositoryProblem(options.repo);
  if (problem) throw problem;
  const fetch = { auth: options.auth };
  const [before, after] = await Promise.all([
    resolveRevision(options.repo, options.before, 'before', fetch),
    resolveRevision(options.repo, options.after, 'after', fetch),
  ]);
  return { ...options, before, after };
}

/** Reads a diff into a tally of changes: piece by piece (`push`, then `end`). */
function tallyOf(rules: ChangeRules): { readonly tally: ChangeTally; readonly reader: RawDiffReader } {
  const tally = new ChangeTally(rules);
  return { tally, reader: new RawDiffReader((f) => tally.add(f), (p) => rules.classify(p)) };
}

export async function detectChanges(given: DetectChangesOptions): Promise<DetectChangesResult> {
  assertRepositoryPathGiven(given.repo);
  // Revisions other than full SHAs (HEAD~1, main, v1.4.0) are resolved first; the usual push (two SHAs) pays nothing.
  const options = SHA_PAIR.test(`${given.before} ${given.after}`) ? given : await withResolvedRevisions(given);
  // git starts first; the rules are read and parsed while it runs, and its output is read as it comes (while
  // git is still writing and exiting).
  const output = new PacedInput();
  const pending = usualPush(options, (piece) => output.push(piece));
  let rules: ChangeRules;
  try {
    rules = loadChangeRules(options.repo, options.rules ?? DEFAULT_RULES_FILE);
  } catch (e) {
    await pending.catch(() => undefined); // let git finish; the rules error is the one to report
    throw e;
  }
  const usual = tallyOf(rules);
  output.start((text) => usual.reader.push(text));
  // When the usual path fails, a missing folder is the error to report (looked into only then: the usual run
  // pays nothing for it).
  const fast = await pending.catch(async (e: unknown) => {
    throw (await repositoryProblem(options.repo)) ?? e;
  });
  output.flush();
  usual.reader.end();
  if (fast === undefined) {
    // Off the usual path, the folder is looked at first (a stat and a look for .git): git is not started
    // where there is no repository, so its answers there are never mistaken for missing commits.
    const problem = await repositoryProblem(options.repo);
    if (problem) throw problem;
  }
  const range = fast?.range ?? (await resolveCommitRange(options));
  if (range.kind === 'unknown-base') {
    // Fail closed: build everything.
    return {
      kind: 'code',
      codeFiles: [],
      configFiles: [],
      deletedConfigFiles: [],
      services: rules.services.map((s) => ({ name: s.name, kind: 'code', codeFiles: [], configFiles: [], deletedConfigFiles: [] })),
      reason: range.reason,
      base: undefined,
      head: range.head,
      files: [],
    };
  }
  // The careful path (and a diff read without modes in which .gitmodules changed): what was read does not count.
  const trusted = fast !== undefined && (fast.modes || !usual.tally.files.some((f) => f.path === GITMODULES || f.oldPath === GITMODULES));
  let tally = usual.tally;
  if (!trusted) {
    const again = tallyOf(rules);
    if (range.base !== range.head) again.reader.push(await runGit(diffArgs(range.base, range.head), { cwd: options.repo }));
    again.reader.end();
    tally = again.tally;
  }
  const files = tally.files;
  return {
    ...tally.result(),
    reason: files.length === 0 && range.base !== range.head ? `${range.reason}; no file changed` : range.reason,
    base: range.base,
    head: range.head,
    files,
  };
}
