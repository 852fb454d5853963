/**
 * Applies one image layer (a tar stream) to a root file system, as the OCI image spec's "applying changesets"
 * says: first the layer's whiteouts remove what lower layers put there (`.wh.<name>` removes `<name>`,
 * `.wh..wh..opq` empties its folder), then its entries are written. Paths that climb out of the root are
 * refused; parent folders are resolved through symbolic links inside the root; hard links point inside the
 * root. Device nodes are skipped (the sandbox gets its own /dev); set-user-ID bits are dropped.
 *
 * Folder modes are returned rather than applied, so that a later layer can still write into a folder an
 * earlier one made read-only: the caller applies them once every layer is in.
 */
import { createWriteStream } from 'node:fs';
import { chmod, link, lstat, mkdir, rm, readdir, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { layerPathParts, resolveInRoot } from './in-root-path.js';
import { readTar, type TarEntry } from './tar-reader.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

export interface LayerSource {
  /** For messages: `layer 2 of 3 (sha256:…)`. */
  readonly name: string;
  /** Opens the layer's decompressed tar stream; called twice (whiteouts, then entries). */
  readonly open: () => AsyncIterable<Buffer>;
}

export class LayerRefusedError extends Error {
  override readonly name = 'LayerRefusedError';
}

export interface FolderModes {
  readonly modes: Map<string, { readonly mode: number; readonly mtime: number }>;
}

function partsOf(layer: LayerSource, entry: TarEntry): readonly string[] {
  const parts = layerPathParts(entry.path);
  if ('error' in parts) throw new LayerRefusedError(`${layer.name} holds an entry whose path leaves the root: ${parts.error}`);
  return parts;
}

async function exists(path: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(path);
  } catch {
    return undefined;
  }
}

/** Removes what lower layers put under the layer's whiteouts. */
async function applyWhiteouts(root: string, layer: LayerSource): Promise<void> {
  for await (const entry of readTar(layer.open())) {
    const parts = partsOf(layer, entry);
    const name = parts[parts.length - 1];
    if (!name?.startsWith(WHITEOUT)) continue;
    const folder = resolveInRoot(root, parts.slice(0, -1).join('/'), true);
    if (name === OPAQUE) {
      const stat = await exists(folder);
      if (stat?.isDirectory()) for (const child of await readdir(folder)) await rm(join(folder, child), { recursive: true, force: true });
      continue;
    }
    await rm(join(folder, name.slice(WHITEOUT.length)), { recursive: true, force: true });
  }
}

/** Writes the layer's entries (whiteouts excluded). */
async function writeEntries(root: string, layer: LayerSource, folders: FolderModes): Promise<void> {
  for await (const entry of readTar(layer.open())) {
    const parts = partsOf(layer, entry);
    const name = parts[parts.length - 1];
    if (name === undefined || name.startsWith(WHITEOUT)) continue;
    const parent = resolveInRoot(root, parts.slice(0, -1).join('/'), true);
    await mkdir(parent, { recursive: true });
    const target = join(parent, name);
    const mode = entry.mode & 0o1777;
    const existing = await exists(target);
    if (entry.type === 'directory') {
      if (existing && !existing.isDirectory()) await rm(target, { force: true });
      if (!existing?.isDirectory()) await mkdir(target, { mode: 0o755 });
      folders.modes.set(target, { mode, mtime: entry.mtime });
      continue;
    }
    if (entry.type === 'char' || entry.type === 'block' || entry.type === 'fifo' || entry.type === 'other') continue;
    if (existing) await rm(target, { recursive: true, force: true });
    if (entry.type === 'symlink') {
      await symlink(entry.linkPath, target);
    } else if (entry.type === 'hardlink') {
      const linkParts = layerPathParts(entry.linkPath);
      if ('error' in linkParts) throw new LayerRefusedError(`${layer.name} holds a hard link "${entry.path}" to a path outside the root: ${linkParts.error}`);
      const source = resolveInRoot(root, linkParts.join('/'), false);
      const stat = await exists(source);
      if (!stat) throw new LayerRefusedError(`${layer.name} holds a hard link "${entry.path}" to "${entry.linkPath}", which is not in the image`);
      if (stat.isDirectory()) throw new LayerRefusedError(`${layer.name} holds a hard link "${entry.path}" to the folder "${entry.linkPath}"`);
      await link(source, target);
    } else {
      await pipeline(Readable.from(entry.body()), createWriteStream(target, { mode: 0o600 }));
      await chmod(target, mode);
      await utimes(target, entry.mtime, entry.mtime);
    }
  }
}

/** Applies one layer. Folder modes land in `folders`; apply them with {@link applyFolderModes} at the end. */
export async function unpackLayer(root: string, layer: LayerSource, folders: FolderModes): Promise<void> {
  await applyWhiteouts(root, layer);
  await writeEntries(root, layer, folders);
}

/** Gives folders the modes and times their layers gave them (deepest first, so times stay as set). */
export async function applyFolderModes(folders: FolderModes): Promise<void> {
  const paths = [...folders.modes.keys()].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const path of paths) {
    const stat = await exists(path);
    const wanted = folders.modes.get(path);
    if (!stat?.isDirectory() || !wanted) continue;
    // Owner rwx kept: the cache must stay removable by its owner (the sandbox sees the same bits otherwise).
    await chmod(path, wanted.mode | 0o700);
    await utimes(path, wanted.mtime, wanted.mtime);
  }
}

