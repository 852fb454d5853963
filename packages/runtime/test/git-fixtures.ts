/** Test helpers: real repositories made with real git (async: a git HTTP server may run in this process). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const run = promisify(execFile);

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const r = await run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', '-c', 'protocol.file.allow=always', ...args], {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return r.stdout;
}

export function tempDir(prefix = 'argots-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function remove(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes files (null deletes) relative to `dir`. */
export function writeFiles(dir: string, files: Readonly<Record<string, string | null>>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) {
      unlinkSync(full);
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** Writes files, commits them all, returns the new commit's SHA. */
export async function commit(dir: string, message: string, files: Readonly<Record<string, string | null>>): Promise<string> {
  writeFiles(dir, files);
  await git(dir, 'add', '--all');
  await git(dir, 'commit', '--quiet', '--allow-empty', '-m', message);
  return (await git(dir, 'rev-parse', 'HEAD')).trim();
}

/** A new repository on `main` with one commit of `files`. */
export async function initRepo(files: Readonly<Record<string, string | null>>, dir = tempDir()): Promise<{ dir: string; first: string }> {
  await git(dir, 'init', '--quiet', '--initial-branch=main');
  const first = await commit(dir, 'initial', files);
  return { dir, first };
}

/** Seeds a bare repository (served over HTTP) with files on `branch`. */
export async function seedBare(barePath: string, files: Readonly<Record<string, string | null>>, branch = 'main'): Promise<string> {
  const work = tempDir('argots-seed-');
  try {
    const { dir, first } = await initRepo(files, work);
    await git(dir, 'push', '--quiet', barePath, `HEAD:refs/heads/${branch}`);
    return first;
  } finally {
    remove(work);
  }
}
