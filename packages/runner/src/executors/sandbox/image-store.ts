/**
 * The sandbox's image cache: images pulled through the runtime's OCI client (linux/amd64 picked from an
 * index), verified blobs kept by digest, and each image's layers unpacked once, in order, into a root file
 * system that runs only ever read (every run writes to an overlay above it).
 *
 * Layout under the cache folder (default `~/.cache/argots/images`):
 *   blobs/sha256/<hex>          compressed layers and configs, as the registry served them (verified)
 *   roots/<manifest hex>/rootfs the unpacked root file system
 *   roots/<manifest hex>/config.json  the image config
 *   refs/<sha256 of reference>.json   which manifest a tag last resolved to (or an index digest names)
 * Everything is written under a temporary name and renamed into place, so an interrupted pull leaves nothing
 * half-made, and two processes pulling the same image do not collide.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { dockerConfigCredentials, parseImageReference, redact, RegistryClient, type RegistryClientOptions, type RegistryCredentials } from '@argots/runtime';
import { ExecutorError, type ExecRequest } from '../executor.js';
import { findProgram } from '../find-program.js';
import { parseImageConfig, type ImageConfig } from './image-config.js';
import { applyFolderModes, LayerRefusedError, unpackLayer, type FolderModes } from './unpack-layer.js';

export interface ImageStoreOptions {
  /** Default `$XDG_CACHE_HOME/argots/images`, else `~/.cache/argots/images`. */
  readonly cacheDir?: string;
  /** The platform taken from an index. Default linux/amd64. */
  readonly platform?: { readonly os: string; readonly architecture: string };
  /** Credentials for a registry host; default: Docker's config.json and credential helpers, else anonymous. */
  readonly credentials?: (registry: string) => Promise<RegistryCredentials | undefined>;
  /** Registries spoken to over plain HTTP. Default: loopback hosts (`localhost`, `127.*`, `[::1]`), as Docker does. */
  readonly plainHttp?: (registry: string) => boolean;
  /** Retries of the OCI client (default: its own, six attempts with backoff). */
  readonly retry?: RegistryClientOptions['retry'];
  /** The environment read for DOCKER_CONFIG, HOME, PATH (credential helpers). Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface CachedImage {
  /** The platform manifest's digest. */
  readonly digest: string;
  readonly rootfs: string;
  readonly config: ImageConfig;
}

interface Pulled {
  readonly registry: string;
  readonly repository: string;
  /** Tag or digest, as asked. */
  readonly reference: string;
  readonly pinned: boolean;
  readonly tagLatest: boolean;
}

const DOCKER_HUB = 'registry-1.docker.io';

export function defaultImageCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return join(env['XDG_CACHE_HOME'] ?? join(env['HOME'] ?? homedir(), '.cache'), 'argots', 'images');
}

const isLoopback = (registry: string): boolean => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(registry);
const hex = (digest: string): string => digest.replace(/^sha256:/, '');
const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** `busybox` → `registry-1.docker.io/library/busybox:latest`; a reference's parts, or an ExecutorError. */
export function normaliseImage(image: string): Pulled {
  const withTag = /[:@]/.test(image.replace(/^[^/]*\//, '')) ? image : `${image}:latest`;
  const parsed = parseImageReference(withTag);
  if ('error' in parsed) {
    throw new ExecutorError('EXE102', `image "${image}" is not a valid image reference: ${parsed.error}`, 'write it as registry/repository:tag or registry/repository@sha256:<64 hex digits>');
  }
  const registry = parsed.registry === undefined || parsed.registry === 'docker.io' || parsed.registry === 'index.docker.io' ? DOCKER_HUB : parsed.registry;
  const repository = registry === DOCKER_HUB && !parsed.repository.includes('/') ? `library/${parsed.repository}` : parsed.repository;
  return { registry, repository, reference: parsed.digest ?? parsed.tag ?? 'latest', pinned: parsed.digest !== undefined, tagLatest: parsed.digest === undefined && parsed.tag === 'latest' };
}

interface ManifestJson {
  readonly mediaType?: string;
  readonly manifests?: readonly { readonly digest: string; readonly mediaType?: string; readonly platform?: { readonly os?: string; readonly architecture?: string } }[];
  readonly config?: { readonly digest: string };
  readonly layers?: readonly { readonly digest: string; readonly mediaType: string; readonly urls?: readonly string[] }[];
}

/** A Transform that hashes what flows through and fails at the end when the digest is not `expected`. */
function verifier(expected: string, what: string): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = `sha256:${hash.digest('hex')}`;
      done(actual === expected ? null : new Error(`${what}: received bytes with digest ${actual}, expected ${expected}`));
    },
  });
}

export class ImageStore {
  readonly cacheDir: string;
  private readonly options: ImageStoreOptions;
  private readonly inFlight = new Map<string, Promise<CachedImage>>();

  constructor(options: ImageStoreOptions = {}) {
    this.options = options;
    this.cacheDir = options.cacheDir ?? defaultImageCacheDir(options.env ?? process.env);
  }

  /** Makes `image` available as an unpacked root (pulling as the policy says); concurrent calls share one pull. */
  ensure(image: string, policy: ExecRequest['imagePullPolicy'], signal: AbortSignal): Promise<CachedImage> {
    const key = `${image}\0${policy ?? ''}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.ensureNow(image, policy, signal).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  /** The root of an image already in the cache (by reference), without any network. */
  async cached(image: string): Promise<CachedImage | undefined> {
    const ref = normaliseImage(image);
    // A digest names its manifest, or an index whose platform manifest a ref file remembers.
    const digest = (await this.readRef(ref)) ?? (ref.pinned ? ref.reference : undefined);
    return digest ? this.readRoot(digest) : undefined;
  }

  private async ensureNow(image: string, policy: ExecRequest['imagePullPolicy'], signal: AbortSignal): Promise<CachedImage> {
    const ref = normaliseImage(image);
    // Kubernetes' default: Always for :latest (or no tag), IfNotPresent otherwise.
    const effective = policy ?? (ref.tagLatest ? 'Always' : 'IfNotPresent');
    if (effective !== 'Always' || ref.pinned) {
      const present = await this.cached(image);
      if (present) return present;
      if (effective === 'Never') {
        throw new ExecutorError('EXE104', `image "${image}" is not in the image cache (${this.cacheDir}) and its pull policy is Never`, 'pull it once with the policy IfNotPresent, or drop imagePullPolicy: Never');
      }
    }
    return this.pull(image, ref, signal);
  }

  private async readRef(ref: Pulled): Promise<string | undefined> {
    try {
      const saved = JSON.parse(await readFile(this.refFile(ref), 'utf8')) as { digest?: unknown };
      return typeof saved.digest === 'string' ? saved.digest : undefined;
    } catch {
      return undefined;
    }
  }

  private refFile(ref: Pulled): string {
    return join(this.cacheDir, 'refs', `${hex(sha256(`${ref.registry}/${ref.repository}:${ref.reference}`))}.json`);
  }

  private async readRoot(digest: string): Promise<CachedImage | undefined> {
    const dir = join(this.cacheDir, 'roots', hex(digest));
    try {
      const config = parseImageConfig(await readFile(join(dir, 'config.json'), 'utf8'));
      return { digest, rootfs: join(dir, 'rootfs'), config };
    } catch {
      return undefined;
    }
  }

  private async pull(image: string, ref: Pulled, signal: AbortSignal): Promise<CachedImage> {
    const env = this.options.env ?? process.env;
    const plain = this.options.plainHttp ?? isLoopback;
    let client: RegistryClient | undefined;
    try {
      const credentials = this.options.credentials ? await this.options.credentials(ref.registry) : await dockerConfigCredentials(ref.registry === DOCKER_HUB ? 'index.docker.io' : ref.registry, env);
      client = new RegistryClient({
        registry: ref.registry,
        scheme: plain(ref.registry) ? 'http' : 'https',
        credentials,
        scopes: [`repository:${ref.repository}:pull`],
        ...(this.options.retry ? { retry: this.options.retry } : {}),
      });
      signal.throwIfAborted();
      let manifest = await client.getManifest(ref.repository, ref.reference);
      let parsed = JSON.parse(manifest.bytes.toString('utf8')) as ManifestJson;
      if (parsed.manifests) {
        const platform = this.options.platform ?? { os: 'linux', architecture: 'amd64' };
        const child = parsed.manifests.find((m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture);
        if (!child) {
          const offered = parsed.manifests.map((m) => `${m.platform?.os ?? '?'}/${m.platform?.architecture ?? '?'}`).join(', ') || 'none';
          throw new ExecutorError('EXE106', `image "${image}" has no ${platform.os}/${platform.architecture} manifest in its index (it offers: ${offered})`, `use an image built for ${platform.os}/${platform.architecture}`);
        }
        manifest = await client.getManifest(ref.repository, child.digest);
        parsed = JSON.parse(manifest.bytes.toString('utf8')) as ManifestJson;
      }
      if (!parsed.config || !parsed.layers) {
        throw new ExecutorError('EXE106', `image "${image}": the manifest ${manifest.digest} is not an image manifest (no config or layers; media type "${manifest.mediaType}")`, 'point at a container image (an OCI or Docker v2 manifest, or an index of them)');
      }
      const existing = await this.readRoot(manifest.digest);
      if (existing) {
        await this.writeRef(ref, manifest.digest);
        return existing;
      }
      const configPath = await this.fetchBlob(client, ref.repository, parsed.config.digest, signal);
      const layerPaths: string[] = [];
      for (const layer of parsed.layers) {
        if (layer.urls?.length) {
          throw new ExecutorError('EXE106', `image "${image}" has a foreign layer ${layer.digest} served from ${layer.urls[0]}`, 'foreign (non-distributable) layers are not fetched; use an image whose layers all live in the registry');
        }
        layerPaths.push(await this.fetchBlob(client, ref.repository, layer.digest, signal));
      }
      const root = await this.unpack(image, manifest.digest, configPath, layerPaths, signal);
      await this.writeRef(ref, manifest.digest);
      return root;
    } catch (error) {
      if (error instanceof ExecutorError) throw error;
      // An abort is the caller's own doing, not a failed pull: it stays an AbortError.
      if (signal.aborted) throw error;
      throw pullError(image, ref.registry, error);
    } finally {
      client?.close();
    }
  }

  private async writeRef(ref: Pulled, digest: string): Promise<void> {
    if (ref.pinned && ref.reference === digest) return;
    const file = this.refFile(ref);
    await mkdir(join(this.cacheDir, 'refs'), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temp, `${JSON.stringify({ reference: `${ref.registry}/${ref.repository}:${ref.reference}`, digest })}\n`);
    await rename(temp, file);
  }

  /** Downloads a blob into the cache (verified against its digest) unless it is there; returns its path. */
  private async fetchBlob(client: RegistryClient, repository: string, digest: string, signal: AbortSignal): Promise<string> {
    const dir = join(this.cacheDir, 'blobs', 'sha256');
    const path = join(dir, hex(digest));
    if (existsSync(path)) return path;
    await mkdir(dir, { recursive: true });
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await client.retrying(`GET blob ${client.registry}/${repository}@${digest}`, async () => {
        const res = await client.getBlob(repository, digest);
        await pipeline(res.body, verifier(digest, `blob ${digest}`), createWriteStream(temp), { signal });
      });
      await rename(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
    return path;
  }

  private async unpack(image: string, digest: string, configPath: string, layers: readonly string[], signal: AbortSignal): Promise<CachedImage> {
    const roots = join(this.cacheDir, 'roots');
    const temp = join(roots, `.${hex(digest).slice(0, 16)}-${randomBytes(6).toString('hex')}.tmp`);
    const rootfs = join(temp, 'rootfs');
    await mkdir(rootfs, { recursive: true, mode: 0o755 });
    try {
      const folders: FolderModes = { modes: new Map() };
      for (const [i, path] of layers.entries()) {
        signal.throwIfAborted();
        await unpackLayer(rootfs, { name: `layer ${i + 1} of ${layers.length} (${path.slice(path.lastIndexOf('/') + 1, path.lastIndexOf('/') + 13)}…) of image "${image}"`, open: () => decompress(path) }, folders);
      }
      await applyFolderModes(folders);
      const config = await readFile(configPath, 'utf8');
      await writeFile(join(temp, 'config.json'), config);
      const final = join(roots, hex(digest));
      try {
        await rename(temp, final);
      } catch (error) {
        // Another process unpacked the same image first: keep theirs.
        if (!existsSync(join(final, 'config.json'))) throw error;
      }
      return { digest, rootfs: join(final, 'rootfs'), config: parseImageConfig(config) };
    } catch (error) {
      if (error instanceof LayerRefusedError) throw new ExecutorError('EXE105', `image "${image}" was refused: ${error.message}`, 'the image is malformed or hostile; rebuild it, or use another image');
      throw error;
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }
}

/** A layer's tar stream: gzip and zstd (through the `zstd` program) by their magic bytes, else plain tar. */
function decompress(path: string): AsyncIterable<Buffer> {
  const out = new PassThrough();
  void (async () => {
    const head = Buffer.alloc(4);
    const handle = await open(path, 'r');
    await handle.read(head, 0, 4, 0);
    await handle.close();
    if (head[0] === 0x1f && head[1] === 0x8b) return pipeline(createReadStream(path), createGunzip(), out);
    let stream: Readable;
    if (head.readUInt32LE(0) === 0xfd2fb528) {
      const zstd = findProgram('zstd', process.env['PATH']);
      if (!zstd) throw new Error('the layer is compressed with zstd and the "zstd" program is not installed (apt-get install zstd)');
      const child = spawn(zstd, ['-dc', '--', path], { stdio: ['ignore', 'pipe', 'ignore'] });
      stream = child.stdout;
    } else stream = createReadStream(path);
    await pipeline(stream, out);
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

function pullError(image: string, registry: string, error: unknown): ExecutorError {
  const status = (error as { status?: unknown }).status;
  const message = redact(error instanceof Error ? error.message : String(error));
  const hint = (error as { hint?: unknown }).hint;
  if (status === 404 || /\b404\b|MANIFEST_UNKNOWN|NAME_UNKNOWN/.test(message)) {
    return new ExecutorError('EXE103', `image "${image}" could not be pulled from registry "${registry}": not found (${message})`, `check that the repository and the tag exist in "${registry}"`);
  }
  const code = (error as { code?: unknown }).code;
  if (code === 'RUN503' || code === 'RUN501' || code === 'RUN502' || /\b40[13]\b/.test(message)) {
    return new ExecutorError('EXE103', `image "${image}" could not be pulled from registry "${registry}": access refused (${message})`, typeof hint === 'string' ? hint : `log in to "${registry}" (docker login writes ~/.docker/config.json)`);
  }
  return new ExecutorError('EXE103', `image "${image}" could not be pulled from registry "${registry}": ${message}`, typeof hint === 'string' && !/re-running the step is safe/.test(hint) ? hint : `check that "${registry}" is reachable from this machine (and its address in the image reference)`);
}
