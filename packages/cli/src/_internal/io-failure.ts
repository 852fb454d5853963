import { existsSync } from 'node:fs';
import { UserError } from './user-error.js';

/** An error from the file system (it has an errno code and a system call), as opposed to a bug. */
function isFsError(error: unknown): error is NodeJS.ErrnoException & { code: string; syscall: string } {
  const e = error as NodeJS.ErrnoException | undefined;
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string';
}

/**
 * Turns a file-system failure while writing the output directory into a user error that names the directory,
 * the reason and the system call (not the temporary file argots wrote through). Anything else is rethrown.
 */
export function writeFailure(where: string, error: unknown, display: (path: string) => string): never {
  if (!isFsError(error)) throw error;
  const reason = error.message.replace(/^E[A-Z]+: /, '').replace(/,.*$/s, '');
  const path = typeof error.path === 'string' ? ` ${display(error.path.replace(/\.argots-\d+(-[0-9a-z]+)?\.tmp$/, ''))}` : '';
  throw new UserError(
    `could not write to ${where}/: ${reason} (${error.code}, ${error.syscall}${path})`,
    'check that the output directory (or its parent) exists or can be created, is writable and has space; files already written are complete (each is written whole or not at all)',
  );
}

/** `check` compares with a directory: a missing one is a wrong path or a compile never run, not a diff. */
export function requireOutputDir(outDir: string, where: string, compileCommand: string): void {
  if (existsSync(outDir)) return;
  throw new UserError(
    `argots check: the output directory ${where}/ does not exist`,
    `check the path (relative to the current directory), or create it with '${compileCommand}' and commit the result`,
  );
}
