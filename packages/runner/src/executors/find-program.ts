/** Finds a program on a PATH (as `command -v` does), without running a shell. */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The absolute path of `name` on `path` (or `name` itself when it is an absolute path), or undefined. */
export function findProgram(name: string, path: string | undefined): string | undefined {
  const candidates = isAbsolute(name) ? [name] : (path ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}
