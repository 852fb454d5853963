/**
 * Paths inside a root file system, resolved as the kernel would inside the container: symbolic links are
 * followed relative to the root (an absolute target starts again at the root, `..` stops at the root), so no
 * path taken from a layer or a step can reach a file outside the root on this machine.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

const MAX_LINKS = 40;

/** Splits a container path into components, refusing `..` (layer entries must never climb). */
export function layerPathParts(path: string): readonly string[] | { readonly error: string } {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { error: `"${path}" climbs out of the root with ".."` };
  return parts;
}

/**
 * The host path of `containerPath` under `root`. Every component but the last is resolved through symbolic
 * links inside the root; the last one too when `followLast`. Components that do not exist are kept as they are.
 */
export function resolveInRoot(root: string, containerPath: string, followLast: boolean): string {
  const pending = containerPath.split('/').filter((p) => p !== '' && p !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const host = join(root, ...resolved, part);
    const isLast = pending.length === 0;
    let target: string | undefined;
    if (!isLast || followLast) {
      try {
        if (lstatSync(host).isSymbolicLink()) target = readlinkSync(host);
      } catch {
        /* absent: kept as it is */
      }
    }
    if (target === undefined) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw new Error(`too many levels of symbolic links resolving "${containerPath}"`);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return join(root, ...resolved);
}
