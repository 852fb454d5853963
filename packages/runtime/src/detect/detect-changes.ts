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
import { runGit, tryGit } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import { DEFAULT_RULES_FILE, loadChangeRules } from './change-rules.js';
import type { ChangeRules, FileClass } from './change-rules.js';
import { resolveCommitRange, ZERO_SHA } from './commit-range.js';
import type { CommitRange } from './commit-range.js';

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

/**
 * Parses `git diff --raw -z` output: per entry `:<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0`
 * (a second path after a rename or copy). Modes are six digits at fixed places; the status is the text after
 * the last space (its letter, then a similarity score for R and C).
 */
export function parseRawDiff(out: string, classify: (path: string) => FileClass): ChangedFile[] {
  const files: ChangedFile[] = [];
  let i = 0;
  // The end of the field that starts at `i` (its NUL, or the end of the output).
  const end = (): number => {
    const nul = out.indexOf('\0', i);
    return nul === -1 ? out.length : nul;
  };
  const path = (): string => {
    if (i >= out.length) return '';
    const e = end();
    const p = out.slice(i, e);
    i = e + 1;
    return p;
  };
  while (i < out.length) {
    const meta = i;
    const metaEnd = end();
    i = metaEnd + 1;
    if (metaEnd === meta) continue;
    const submodule = out.startsWith('160000', meta + 1) || out.startsWith('160000', meta + 8);
    const space = out.lastIndexOf(' ', metaEnd - 1);
    const letter = space < meta ? 'M' : space + 1 < metaEnd ? out.charAt(space + 1) : 'M';
    const path1 = path();
    if (letter === 'R' || letter === 'C') {
      const path2 = path();
      files.push({ path: path2, status: letter === 'R' ? 'R' : 'A', oldPath: path1, class: classify(path2) });
      continue;
    }
    const status = letter === 'A' || letter === 'D' || letter === 'T' ? letter : 'M';
    files.push({ path: path1, status: submodule && status === 'M' ? 'S' : status, class: submodule ? 'code' : classify(path1) });
  }
  return files;
}

/** Paths by kind of change, in the order found (a path may come twice: `sorted` removes the repeat). */
interface Buckets {
  readonly code: string[];
  readonly config: string[];
  readonly deletedConfig: string[];
}

const buckets = (): Buckets => ({ code: [], config: [], deletedConfig: [] });

function place(b: Buckets, f: ChangedFile, oldClass: FileClass | undefined): void {
  if (f.status === 'D') {
    if (f.class === 'config') b.deletedConfig.push(f.path);
    else if (f.class === 'code') b.code.push(f.path);
    return;
  }
  if (f.class === 'config') b.config.push(f.path);
  else if (f.class === 'code') b.code.push(f.path);
  if (f.status === 'R' && f.oldPath !== undefined) {
    // The old name is gone: a config file under it must be removed where it was copied.
    if (oldClass === 'config') b.deletedConfig.push(f.oldPath);
    else if (oldClass === 'code') b.code.push(f.oldPath);
  }
}

function kindOf(b: Buckets): ChangeKind {
  return b.code.length > 0 ? 'code' : b.config.length > 0 || b.deletedConfig.length > 0 ? 'config' : 'none';
}

/** Sorted, each path once. */
function sorted(paths: readonly string[]): string[] {
  // git lists paths in order, so this is usually a check: every path after the one before it.
  let ordered = true;
  for (let i = 1; i < paths.length && ordered; i++) ordered = (paths[i - 1] as string) < (paths[i] as string);
  if (ordered) return paths.slice();
  const out = paths.slice().sort();
  let n = 0;
  for (const p of out) if (n === 0 || out[n - 1] !== p) out[n++] = p;
  out.length = n;
  return out;
}

const diffArgs = (base: string, head: string): string[] => ['diff', '--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', '--ignore-submodules=none', base, head, '--'];

/**
 * The usual push (both commits here): the diff and the ancestry check run side by side, two git processes
 * in all. Anything unusual (a missing commit, a new branch) returns undefined and takes the careful path.
 */
async function usualPush(options: DetectChangesOptions): Promise<{ range: CommitRange; diff: string } | undefined> {
  const { before, after, repo } = options;
  if (!/^[0-9a-f]{40}$/.test(before) || !/^[0-9a-f]{40}$/.test(after) || before === ZERO_SHA || before === after) return undefined;
  const [diff, ancestor] = await Promise.all([
    tryGit(diffArgs(before, after), { cwd: repo }),
    tryGit(['merge-base', '--is-ancestor', before, after], { cwd: repo }),
  ]);
  if (diff.exitCode !== 0 || ancestor.exitCode > 1) return undefined;
  const reason =
    ancestor.exitCode === 0
      ? `push: compared ${before.slice(0, 12)}..${after.slice(0, 12)}`
      : `force push: ${before.slice(0, 12)} is not an ancestor of ${after.slice(0, 12)}; compared the two trees`;
  return { range: { kind: 'diff', base: before, head: after, reason }, diff: diff.stdout };
}

export async function detectChanges(options: DetectChangesOptions): Promise<DetectChangesResult> {
  // git starts first; the rules are read and parsed while it runs (in another process).
  const pending = usualPush(options);
  let rules: ChangeRules;
  try {
    rules = loadChangeRules(options.repo, options.rules ?? DEFAULT_RULES_FILE);
  } catch (e) {
    await pending.catch(() => undefined); // let git finish; the rules error is the one to report
    throw e;
  }
  const fast = await pending;
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
  let files: ChangedFile[] = [];
  if (range.base !== range.head) {
    const out = fast?.diff ?? (await runGit(diffArgs(range.base, range.head), { cwd: options.repo }));
    files = parseRawDiff(out, (p) => rules.classify(p));
  }
  const all = buckets();
  const per = new Map<string, Buckets>(rules.services.map((s) => [s.name, buckets()]));
  for (const f of files) {
    const oldClass = f.status === 'R' && f.oldPath !== undefined ? rules.classify(f.oldPath) : undefined;
    place(all, f, oldClass);
    if (per.size === 0) continue;
    const names = rules.servicesOf(f.path);
    if (f.oldPath !== undefined) for (const n of rules.servicesOf(f.oldPath)) if (!names.includes(n)) names.push(n);
    for (const n of names) {
      const b = per.get(n);
      if (b) place(b, f, oldClass);
    }
  }
  return {
    kind: kindOf(all),
    codeFiles: sorted(all.code),
    configFiles: sorted(all.config),
    deletedConfigFiles: sorted(all.deletedConfig),
    services: [...per].map(([name, b]) => ({ name, kind: kindOf(b), codeFiles: sorted(b.code), configFiles: sorted(b.config), deletedConfigFiles: sorted(b.deletedConfig) })),
    reason: files.length === 0 && range.base !== range.head ? `${range.reason}; no file changed` : range.reason,
    base: range.base,
    head: range.head,
    files,
  };
}
