/**
 * Test support: small runnable container images built without Docker. The shell and tools come from
 * Debian's `busybox-static` (one static binary: sh, coreutils, nc, wget…), fetched once with
 * `apt-get download` into a cache folder the tests reuse (`ARGOTS_TEST_CACHE`, default
 * `~/.cache/argots/test-debs`; `scripts/setup.sh` fills it) and unpacked with `dpkg -x`. Layers are real tar
 * archives written here (gzip, or zstd through the `zstd` program), with an image config
 * (Entrypoint/Cmd/Env/WorkingDir/User), a manifest and, when asked, an index; they are pushed to a registry
 * through the distribution API (`oci-images.ts`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { OCI, pushBlob, pushManifest, type PushTarget } from './oci-images.js';

/** One entry of a layer. Modes default to 0644 (files), 0755 (folders). */
export type LayerEntry =
  | { readonly path: string; readonly type: 'file'; readonly content: Buffer | string; readonly mode?: number }
  | { readonly path: string; readonly type: 'dir'; readonly mode?: number }
  | { readonly path: string; readonly type: 'symlink' | 'hardlink'; readonly target: string };

export interface TestImageConfig {
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly Env?: readonly string[];
  readonly WorkingDir?: string;
  readonly User?: string;
}

export interface BuiltImage {
  /** `127.0.0.1:PORT/repo:tag` */
  readonly reference: string;
  /** The reference by digest: `127.0.0.1:PORT/repo@sha256:…` */
  readonly pinned: string;
  /** The platform manifest's digest (the index's when `index` was asked is in `indexDigest`). */
  readonly digest: string;
  readonly indexDigest?: string;
}

/** The busybox applets the test images link (each a symbolic link to /bin/busybox). */
export const BUSYBOX_APPLETS = ['sh', 'echo', 'cat', 'ls', 'sleep', 'env', 'pwd', 'id', 'touch', 'mkdir', 'rm', 'test', 'true', 'false', 'printf', 'head', 'wc', 'nc', 'wget', 'hostname', 'ps', 'kill', 'cp', 'mv', 'tr', 'grep', 'sed', 'seq', 'date', 'stat', 'chmod', 'ln', 'readlink', 'dd', 'sha256sum', 'tar', 'gzip', 'uname', 'tee', 'expr', 'xargs', 'ip'];

export function testCacheDir(): string {
  return process.env['ARGOTS_TEST_CACHE'] ?? join(homedir(), '.cache', 'argots', 'test-debs');
}

let busybox: Buffer | undefined;

/** The static busybox binary of Debian's busybox-static, fetched once with apt-get download and cached. */
export function busyboxBinary(): Buffer {
  if (busybox) return busybox;
  const dir = testCacheDir();
  mkdirSync(dir, { recursive: true });
  const extracted = join(dir, 'busybox-static', 'bin', 'busybox');
  if (!existsSync(extracted)) {
    let deb = readdirSync(dir).find((f) => f.startsWith('busybox-static_') && f.endsWith('.deb'));
    if (!deb) {
      execFileSync('apt-get', ['download', 'busybox-static'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      deb = readdirSync(dir).find((f) => f.startsWith('busybox-static_') && f.endsWith('.deb'));
      if (!deb) throw new Error(`apt-get download busybox-static left no .deb in ${dir}`);
    }
    const temp = join(dir, `busybox-static.${process.pid}.tmp`);
    rmSync(temp, { recursive: true, force: true });
    execFileSync('dpkg', ['-x', join(dir, deb), temp]);
    try {
      renameSync(temp, join(dir, 'busybox-static'));
    } catch {
      rmSync(temp, { recursive: true, force: true }); // another test process got there first
    }
  }
  busybox = readFileSync(extracted);
  return busybox;
}

function tarHeader(path: string, type: string, size: number, mode: number, link = ''): Buffer {
  const header = Buffer.alloc(512);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', 155);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
    if (cut === -1 || Buffer.byteLength(name) > 100) throw new Error(`test tar: path too long: ${path}`);
  }
  header.write(name, 0, 100);
  header.write(`${mode.toString(8).padStart(7, '0')}\0`, 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${(1_700_000_000).toString(8).padStart(11, '0')}\0`, 136);
  header.write('        ', 148);
  header.write(type, 156);
  header.write(link, 157, 100);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.write(prefix, 345, 155);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

/** A tar archive (uncompressed) of the entries, in order. */
export function tar(entries: readonly LayerEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.type === 'file') {
      const body = Buffer.from(e.content);
      parts.push(tarHeader(e.path, '0', body.length, e.mode ?? 0o644), body, Buffer.alloc((512 - (body.length % 512)) % 512));
    } else if (e.type === 'dir') parts.push(tarHeader(e.path, '5', 0, e.mode ?? 0o755));
    else parts.push(tarHeader(e.path, e.type === 'symlink' ? '2' : '1', 0, 0o777, e.target));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A layer holding busybox, its applets, /tmp, /etc/passwd and /etc/group. */
export function busyboxLayer(): readonly LayerEntry[] {
  return [
    { path: 'bin/', type: 'dir' },
    { path: 'bin/busybox', type: 'file', content: busyboxBinary(), mode: 0o755 },
    ...BUSYBOX_APPLETS.map((a): LayerEntry => ({ path: `bin/${a}`, type: 'symlink', target: 'busybox' })),
    { path: 'tmp/', type: 'dir', mode: 0o1777 },
    { path: 'etc/', type: 'dir' },
    { path: 'etc/passwd', type: 'file', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' },
    { path: 'etc/group', type: 'file', content: 'root:x:0:\nnogroup:x:65534:\n' },
    { path: 'root/', type: 'dir', mode: 0o700 },
  ];
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const gzipCache = new Map<string, Buffer>();

/** A compressed layer: gzip (zlib), or zstd through the `zstd` program (Debian `zstd`). */
function layerBlob(entries: readonly LayerEntry[], compression: 'gzip' | 'zstd'): { gz: Buffer; diffId: string } {
  const raw = tar(entries);
  const diffId = sha256(raw);
  const key = `${compression}:${diffId}`;
  let gz = gzipCache.get(key);
  if (!gz) {
    gz = compression === 'zstd' ? execFileSync('zstd', ['-q', '-c', '-1'], { input: raw, maxBuffer: 1 << 28 }) : gzipSync(raw, { level: 1 });
    gzipCache.set(key, gz);
  }
  return { gz, diffId };
}

/** Builds an image from layers (lowest first) and a config, pushes it, and tags it. */
export async function pushTestImage(
  target: PushTarget & { readonly host: string },
  repository: string,
  spec: { readonly layers: readonly (readonly LayerEntry[])[]; readonly config?: TestImageConfig; readonly tag?: string; readonly index?: boolean; readonly compression?: 'gzip' | 'zstd' },
): Promise<BuiltImage> {
  const layers = [];
  const diffIds = [];
  for (const entries of spec.layers) {
    const { gz, diffId } = layerBlob(entries, spec.compression ?? 'gzip');
    const digest = sha256(gz);
    await pushBlob(target, repository, digest, gz.length, () => gz);
    layers.push({ mediaType: spec.compression === 'zstd' ? 'application/vnd.oci.image.layer.v1.tar+zstd' : OCI.layer, digest, size: gz.length });
    diffIds.push(diffId);
  }
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: spec.config ?? {}, rootfs: { type: 'layers', diff_ids: diffIds } }));
  await pushBlob(target, repository, sha256(config), config.length, () => config);
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI.manifest, config: { mediaType: OCI.config, digest: sha256(config), size: config.length }, layers }));
  const digest = await pushManifest(target, repository, sha256(manifest), OCI.manifest, manifest);
  const tag = spec.tag ?? 'test';
  let indexDigest: string | undefined;
  if (spec.index) {
    // An index whose arm64 entry comes first: the client must pick linux/amd64, not the first.
    const other = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI.manifest, config: { mediaType: OCI.config, digest: sha256(config), size: config.length }, layers: [] }));
    const otherDigest = await pushManifest(target, repository, sha256(other), OCI.manifest, other);
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI.index,
      manifests: [
        { mediaType: OCI.manifest, digest: otherDigest, size: other.length, platform: { os: 'linux', architecture: 'arm64' } },
        { mediaType: OCI.manifest, digest, size: manifest.length, platform: { os: 'linux', architecture: 'amd64' } },
      ],
    }));
    indexDigest = await pushManifest(target, repository, tag, OCI.index, index);
  } else {
    await pushManifest(target, repository, tag, OCI.manifest, manifest);
  }
  return { reference: `${target.host}/${repository}:${tag}`, pinned: `${target.host}/${repository}@${indexDigest ?? digest}`, digest, ...(indexDigest ? { indexDigest } : {}) };
}

/** A busybox image: the busybox layer plus extra layers above it. */
export function pushBusyboxImage(target: PushTarget & { readonly host: string }, repository: string, spec: { readonly extraLayers?: readonly (readonly LayerEntry[])[]; readonly config?: TestImageConfig; readonly tag?: string; readonly index?: boolean; readonly compression?: 'gzip' | 'zstd' } = {}): Promise<BuiltImage> {
  return pushTestImage(target, repository, {
    layers: [busyboxLayer(), ...(spec.extraLayers ?? [])],
    config: spec.config ?? { Env: ['PATH=/bin'], Cmd: ['/bin/sh'] },
    ...(spec.tag ? { tag: spec.tag } : {}),
    ...(spec.index ? { index: true } : {}),
    ...(spec.compression ? { compression: spec.compression } : {}),
  });
}
