/**
 * Copies a path out of a finished run's root file system: resolved inside that root (a symbolic link in the
 * step's files cannot point the copy at this machine's files), or, when it lies under a mount, from the
 * mount's host folder. Links inside a copied folder are copied as links, never followed.
 */
import { cp, lstat, mkdir } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type { Collect, Mount } from '../executor.js';
import { resolveInRoot } from './in-root-path.js';

/** Where a container path lives on the host after the run: under a mount's host path, or in the root. */
export function hostPathOf(root: string, mounts: readonly Mount[], containerPath: string): string {
  const normal = posix.normalize(posix.join('/', containerPath));
  const mount = [...mounts]
    .sort((a, b) => b.containerPath.length - a.containerPath.length)
    .find((m) => normal === posix.normalize(m.containerPath) || normal.startsWith(`${posix.normalize(m.containerPath).replace(/\/$/, '')}/`));
  if (mount) {
    const rest = normal.slice(posix.normalize(mount.containerPath).replace(/\/$/, '').length);
    return rest === '' ? mount.hostPath : resolveInRoot(mount.hostPath, rest, true);
  }
  return resolveInRoot(root, normal, true);
}

/** Copies each collected path that exists; returns the container paths that did not. */
export async function copyOut(root: string, mounts: readonly Mount[], collect: readonly Collect[]): Promise<readonly string[]> {
  const missing: string[] = [];
  for (const c of collect) {
    const source = hostPathOf(root, mounts, c.containerPath);
    try {
      await lstat(source);
    } catch {
      missing.push(c.containerPath);
      continue;
    }
    await mkdir(dirname(c.hostPath), { recursive: true });
    await cp(source, c.hostPath, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false, preserveTimestamps: true });
  }
  return missing;
}

