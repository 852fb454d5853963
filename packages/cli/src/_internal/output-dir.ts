import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { isGeneratedByArgots } from './generated-header.js';
import { UserError } from './user-error.js';

/** A file argots wants in the output directory: a path relative to it, and its content. */
export interface WantedFile {
  readonly path: string;
  readonly content: string;
}

/** How the output directory differs from what a compile produces. Paths are relative to the directory. */
export interface Drift {
  readonly missing: readonly WantedFile[];
  readonly changed: readonly { readonly path: string; readonly content: string; readonly current: string }[];
  /** Files carrying argots' header that no pipeline produces any more. */
  readonly stale: readonly { readonly path: string; readonly current: string }[];
  readonly unchanged: number;
}

function listFiles(dir: string, base: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, base, out);
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push(relative(base, full).split(sep).join('/'));
  }
}

/** Rejects an output path that is a file, or a wanted path that would escape the directory. */
function checkTarget(outDir: string, wanted: readonly WantedFile[]): void {
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) {
    throw new UserError(`--out "${outDir}" is a file, expected a directory`, 'pass a directory for the compiled YAML (it is created if missing)');
  }
  for (const f of wanted) {
    if (f.path.startsWith('/') || f.path.split('/').includes('..')) {
      throw new Error(`the compiler produced the output path "${f.path}", which is not inside the output directory`);
    }
  }
}

/** Compares what a compile produces with what the output directory holds, without writing anything. */
export function compareOutput(outDir: string, wanted: readonly WantedFile[]): Drift {
  checkTarget(outDir, wanted);
  const existing: string[] = [];
  if (existsSync(outDir)) listFiles(outDir, outDir, existing);
  const present = new Set(existing);
  const wantedPaths = new Set(wanted.map((f) => f.path));
  const missing: WantedFile[] = [];
  const changed: { path: string; content: string; current: string }[] = [];
  let unchanged = 0;
  for (const f of wanted) {
    const full = join(outDir, f.path);
    if (!present.has(f.path)) missing.push(f);
    else {
      const current = readFileSync(full, 'utf8');
      if (current === f.content) unchanged += 1;
      else changed.push({ path: f.path, content: f.content, current });
    }
  }
  const stale = existing
    .filter((p) => !wantedPaths.has(p))
    .map((p) => ({ path: p, current: readFileSync(join(outDir, p), 'utf8') }))
    .filter((f) => isGeneratedByArgots(f.current));
  const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return { missing: missing.sort(byPath), changed: changed.sort(byPath), stale: stale.sort(byPath), unchanged };
}

/**
 * Brings the output directory in line with the drift: each new or changed file is written to a temporary
 * file beside it and renamed over the target (a reader never sees half a file), stale generated files are
 * removed, and directories left empty by that are removed too. Unchanged files are not touched. An output
 * directory that does not exist yet is written whole into a temporary sibling, which is then renamed into
 * place: it appears complete or not at all (and costs one rename instead of one per file).
 */
export function applyOutput(outDir: string, drift: Drift): void {
  if (!existsSync(outDir) && drift.changed.length === 0 && drift.stale.length === 0) {
    makeDirs(dirname(outDir));
    // mkdir (not mkdtemp, which makes it private): the directory gets the usual permissions.
    const temp = `${outDir}.argots-${process.pid}-${Date.now().toString(36)}.tmp`;
    mkdirSync(temp);
    try {
      writeFiles(temp, drift.missing, false);
      renameSync(temp, outDir);
    } catch (error) {
      rmSync(temp, { recursive: true, force: true });
      throw error;
    }
    return;
  }
  makeDirs(outDir);
  writeFiles(outDir, [...drift.missing, ...drift.changed], true);
  for (const f of drift.stale) {
    const full = join(outDir, f.path);
    rmSync(full, { force: true });
    let dir = dirname(full);
    while (dir.startsWith(outDir + sep) && readdirSync(dir).length === 0) {
      rmSync(dir, { recursive: true, force: true });
      dir = dirname(dir);
    }
  }
}

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never returns under a file system that refuses
 * every new entry with ENOENT (`--out /proc/nope`); this fails with that error instead.
 */
export function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

/** Writes each file under `dir` (creating folders); `atomic`: through a temporary file renamed over the target. */
function writeFiles(dir: string, files: readonly WantedFile[], atomic: boolean): void {
  const made = new Set<string>();
  for (const f of files) {
    const full = join(dir, f.path);
    const parent = dirname(full);
    if (!made.has(parent)) {
      makeDirs(parent);
      made.add(parent);
    }
    if (!atomic) {
      writeFileSync(full, f.content);
      continue;
    }
    const temp = `${full}.argots-${process.pid}.tmp`;
    try {
      writeFileSync(temp, f.content);
      renameSync(temp, full);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
  }
}
