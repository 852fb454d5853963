import { UserError } from './user-error.js';

/**
 * A file-system error (anything Node's fs raises with an errno code: EACCES, ENOENT, EROFS, ENOSPC…) met while
 * reading or writing `where`, as a {@link UserError}; anything else is rethrown (a bug).
 */
export function fileSystemError(error: unknown, where: string, doing: 'write to' | 'read'): never {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string') throw error;
  const hint =
    doing === 'write to'
      ? 'check that the output directory can be created and written, and has space; files already written are complete (each is written whole or not at all)'
      : 'check that the directory exists and can be read';
  throw new UserError(`could not ${doing} ${where}/: ${e.code} (${e.syscall}${e.path ? ` "${e.path}"` : ''})`, hint);
}
