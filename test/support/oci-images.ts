/**
 * Test support: images made by the tests and pushed to a registry through the OCI distribution API (not
 * through the code under test). Small layers are real tar.gz archives; large layers are deterministic
 * pseudo-random bytes generated as a stream (AES-CTR keystream), hashed in one pass and uploaded in a second,
 * so a 1 GB layer never sits in memory.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

export const OCI = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  nondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
} as const;
export const DOCKER = {
  manifest: 'application/vnd.docker.distribution.manifest.v2+json',
  list: 'application/vnd.docker.distribution.manifest.list.v2+json',
  config: 'application/vnd.docker.container.image.v1+json',
  layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  foreign: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** Where to push: a registry's base URL and how to authorize for a scope (none: anonymous). */
export interface PushTarget {
  readonly url: string;
  readonly authorization?: (scope: string) => Promise<string | undefined>;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly platform?: { readonly os: string; readonly architecture: string };
}

export interface PushedManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
  readonly layers: readonly Descriptor[];
}

/** A layer: small and real (a tar.gz holding one file), or large pseudo-random bytes made as a stream. */
export type LayerSpec = { readonly file: string; readonly content: string } | { readonly size: number; readonly seed: string };

const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function tarGz(file: string, content: string): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(file, 0, 100);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  return gzipSync(Buffer.concat([header, body, pad, Buffer.alloc(1024)]), { level: 1 });
}

/** A readable stream of `size` pseudo-random bytes, the same for the same seed. */
export function pseudoRandomStream(size: number, seed: string): Readable {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1024 * 1024);
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, zeros.length);
      left -= n;
      this.push(cipher.update(zeros.subarray(0, n)));
    },
  });
}

async function digestOfStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return `sha256:${hash.digest('hex')}`;
}

async function auth(target: PushTarget, repository: string): Promise<Record<string, string>> {
  const value = await target.authorization?.(`repository:${repository}:pull,push`);
  return value ? { authorization: value } : {};
}

function send(url: URL, method: string, headers: Record<string, string>, body?: Buffer | Readable): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** Uploads a blob (monolithic: POST then PUT). `body` makes the bytes (called once). */
export async function pushBlob(target: PushTarget, repository: string, digest: string, size: number, body: () => Buffer | Readable): Promise<void> {
  const headers = await auth(target, repository);
  const head = await send(new URL(`/v2/${repository}/blobs/${digest}`, target.url), 'HEAD', headers);
  if (head.status === 200) return;
  const start = await send(new URL(`/v2/${repository}/blobs/uploads/`, target.url), 'POST', { ...headers, 'content-length': '0' });
  if (start.status !== 202) throw new Error(`POST upload to ${repository}: ${start.status} ${start.text}`);
  const location = new URL(String(start.headers['location']), target.url);
  location.searchParams.set('digest', digest);
  const put = await send(location, 'PUT', { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(size) }, body());
  if (put.status !== 201) throw new Error(`PUT blob ${digest} to ${repository}: ${put.status} ${put.text}`);
}

/** Puts a manifest under a reference (tag or digest); returns its digest. */
export async function pushManifest(target: PushTarget, repository: string, reference: string, mediaType: string, bytes: Buffer): Promise<string> {
  const headers = await auth(target, repository);
  const put = await send(new URL(`/v2/${repository}/manifests/${reference}`, target.url), 'PUT', { ...headers, 'content-type': mediaType }, bytes);
  if (put.status !== 201) throw new Error(`PUT manifest ${repository}:${reference}: ${put.status} ${put.text}`);
  return sha256(bytes);
}

async function pushLayer(target: PushTarget, repository: string, spec: LayerSpec, mediaType: string): Promise<Descriptor> {
  if ('file' in spec) {
    const bytes = tarGz(spec.file, spec.content);
    const digest = sha256(bytes);
    await pushBlob(target, repository, digest, bytes.length, () => bytes);
    return { mediaType, digest, size: bytes.length };
  }
  const digest = await digestOfStream(pseudoRandomStream(spec.size, spec.seed));
  await pushBlob(target, repository, digest, spec.size, () => pseudoRandomStream(spec.size, spec.seed));
  return { mediaType, digest, size: spec.size };
}

export interface ImageSpec {
  readonly layers: readonly LayerSpec[];
  /** `oci` (default) or `docker` media types. */
  readonly format?: 'oci' | 'docker';
  readonly platform?: { readonly os: string; readonly architecture: string };
  /** Adds a foreign (Docker) / non-distributable (OCI) layer that is NOT pushed: it lives at its URL. */
  readonly foreignLayer?: boolean;
  /** Makes the config unique (and so the digest). */
  readonly label?: string;
  /** Written after the manifest (omit: by digest only). */
  readonly tag?: string;
}

/** Builds and pushes a single-platform image. */
export async function pushImage(target: PushTarget, repository: string, spec: ImageSpec): Promise<PushedManifest> {
  const docker = spec.format === 'docker';
  const platform = spec.platform ?? { os: 'linux', architecture: 'amd64' };
  const layers: Descriptor[] = [];
  for (const l of spec.layers) layers.push(await pushLayer(target, repository, l, docker ? DOCKER.layer : OCI.layer));
  if (spec.foreignLayer) {
    const fake = Buffer.from(`foreign layer of ${spec.label ?? repository}`);
    layers.push({ mediaType: docker ? DOCKER.foreign : OCI.nondistributable, digest: sha256(fake), size: fake.length, urls: ['https://example.invalid/foreign-layer.tar.gz'] });
  }
  const config = Buffer.from(JSON.stringify({
    architecture: platform.architecture,
    os: platform.os,
    config: { Labels: { 'argots.test': spec.label ?? repository } },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  }));
  const configDescriptor: Descriptor = { mediaType: docker ? DOCKER.config : OCI.config, digest: sha256(config), size: config.length };
  await pushBlob(target, repository, configDescriptor.digest, config.length, () => config);
  const mediaType = docker ? DOCKER.manifest : OCI.manifest;
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config: configDescriptor, layers }, null, 3));
  const digest = await pushManifest(target, repository, sha256(bytes), mediaType, bytes);
  if (spec.tag) await pushManifest(target, repository, spec.tag, mediaType, bytes);
  return { digest, mediaType, bytes, layers };
}

/** Builds and pushes a multi-platform index (children first); returns the index. */
export async function pushIndex(target: PushTarget, repository: string, spec: { readonly platforms: readonly ImageSpec[]; readonly format?: 'oci' | 'docker'; readonly tag?: string }): Promise<PushedManifest & { readonly children: readonly PushedManifest[] }> {
  const children: PushedManifest[] = [];
  for (const p of spec.platforms) children.push(await pushImage(target, repository, { ...p, format: spec.format ?? 'oci' }));
  const mediaType = spec.format === 'docker' ? DOCKER.list : OCI.index;
  const bytes = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: children.map((c, i) => ({ mediaType: c.mediaType, digest: c.digest, size: c.bytes.length, platform: spec.platforms[i]?.platform ?? { os: 'linux', architecture: 'amd64' } })),
  }, null, 3));
  const digest = await pushManifest(target, repository, sha256(bytes), mediaType, bytes);
  if (spec.tag) await pushManifest(target, repository, spec.tag, mediaType, bytes);
  return { digest, mediaType, bytes, layers: children.flatMap((c) => c.layers), children };
}

/** Pushes a cosign-style signature (`.sig`) or attestation (`.att`) for `subject` under `sha256-<hex>.<kind>`. */
export async function pushCosignArtifact(target: PushTarget, repository: string, subject: string, kind: 'sig' | 'att' | 'sbom'): Promise<PushedManifest> {
  const payload = Buffer.from(JSON.stringify({ critical: { image: { 'docker-manifest-digest': subject }, type: `argots test ${kind}` } }));
  const digest = sha256(payload);
  await pushBlob(target, repository, digest, payload.length, () => payload);
  const config = Buffer.from('{}');
  await pushBlob(target, repository, sha256(config), config.length, () => config);
  const layer = { mediaType: kind === 'att' ? 'application/vnd.dsse.envelope.v1+json' : 'application/vnd.dev.cosign.simplesigning.v1+json', digest, size: payload.length };
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI.manifest, config: { mediaType: OCI.config, digest: sha256(config), size: config.length }, layers: [layer] }));
  const tag = `${subject.replace(':', '-')}.${kind}`;
  const d = await pushManifest(target, repository, tag, OCI.manifest, bytes);
  return { digest: d, mediaType: OCI.manifest, bytes, layers: [layer] };
}

/** GETs a manifest's bytes (to compare byte for byte); undefined when absent. */
export async function fetchManifest(target: PushTarget, repository: string, reference: string): Promise<{ digest: string; bytes: Buffer; contentType: string } | undefined> {
  const headers = await auth(target, repository);
  const res = await fetch(new URL(`/v2/${repository}/manifests/${reference}`, target.url), {
    headers: { ...headers, accept: [OCI.index, OCI.manifest, DOCKER.list, DOCKER.manifest].join(', ') },
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET manifest ${repository}:${reference}: ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { digest: sha256(bytes), bytes, contentType: res.headers.get('content-type') ?? '' };
}

/** Whether the registry holds a blob in a repository. */
export async function hasBlob(target: PushTarget, repository: string, digest: string): Promise<boolean> {
  const headers = await auth(target, repository);
  const res = await fetch(new URL(`/v2/${repository}/blobs/${digest}`, target.url), { method: 'HEAD', headers });
  return res.status === 200;
}
