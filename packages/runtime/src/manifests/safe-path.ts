/** Paths from untrusted places (layout files, change lists) must stay inside their repository. */
import { lstatSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { RuntimeError } from '../runtime-error.js';

/**
 * Returns `root/rel` when `rel` is a relative path that stays inside `root` (no `..` escaping, not
 * absolute, no NUL). Throws a clear error otherwise.
 */
export function assertInside(root: string, rel: string, what: string): string {
  const bad =
    rel === '' || rel.includes('\0') || isAbsolute(rel) || /^[a-zA-Z]:[\\/]/.test(rel) || rel.split(/[\\/]/).includes('..');
  const full = join(root, rel);
  const back = relative(root, full);
  if (bad || back.startsWith(`..${sep}`) || back === '..' || isAbsolute(back)) {
    throw new RuntimeError('RUN730', `${what} "${rel}" escapes its repository: expected a relative path inside "${root}" without ".."`, {
      hint: 'use paths relative to the repository root',
    });
  }
  return normalize(full);
}

/** Throws when any existing component of `rel` under `root` (the last included) is a symbolic link. */
export function assertNoSymlink(root: string, rel: string, what: string): void {
  const parts = normalize(rel).split(sep).filter((p) => p !== '' && p !== '.');
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    let isLink = false;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      return; // does not exist (yet): nothing below it can be a link
    }
    if (isLink) {
      throw new RuntimeError('RUN731', `${what} "${rel}" goes through the symbolic link "${relative(root, current)}"; symbolic links are refused`, {
        hint: 'copy real files; a link could point outside the repository',
      });
    }
  }
}
