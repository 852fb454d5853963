/**
 * Promotes one image, by digest, from a source repository to a target repository: the manifest (or index
 * and every platform manifest) byte for byte, every blob the target lacks (mounted when both live on one
 * registry host, else streamed with bounded memory), then — last, and only once the target's digest is
 * checked equal to the source's — the tag. Running it again after it finished is a no-op.
 */
import { RuntimeError } from '../runtime-error.js';
import { DigestVerifier } from '../oci/digest.js';
import { isForeignLayer, isIndexMediaType, MEDIA_TYPES, type Descriptor } from '../oci/media-types.js';
import { NetworkError } from '../oci/_internal/http.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from '../oci/_internal/retry.js';
import { gaveUp, isTransient, isUploadFault, RegistryStatusError, TransientStatusError } from '../oci/registry-error.js';
import type { Manifest, RegistryClient } from '../oci/registry-client.js';
import { silentProgress, type PromotionProgress } from './progress.js';
import { mapLimit } from './_internal/map-limit.js';
import { createLimiter } from './_internal/limiter.js';

export interface PromoteImageOptions {
  readonly source: { readonly client: RegistryClient; readonly repository: string; /** A tag or a digest. */ readonly reference: string };
  readonly target: { readonly client: RegistryClient; readonly repository: string; /** Absent: promote by digest only. */ readonly tag?: string | undefined };
  /** May an existing target tag that points at another digest be moved? */
  readonly mutableTags: boolean;
  /** Also copy signatures, attestations and SBOMs (OCI referrers, cosign `sha256-<hex>.sig/.att/.sbom` tags). */
  readonly referrers?: boolean;
  /** Blobs copied at once. Default 6. */
  readonly concurrency?: number;
  /** `monolithic` (one streamed PUT, the default) or `chunked` (PATCHes of `chunkSize` bytes). */
  readonly upload?: 'monolithic' | 'chunked';
  readonly chunkSize?: number;
  readonly progress?: PromotionProgress;
  readonly log?: (message: string) => void;
  /** Attempts and backoff for copying one blob (fetch + upload, redone whole). */
  readonly retry?: RetryPolicy;
}

export interface PromoteImageResult {
  readonly digest: string;
  readonly mediaType: string;
  /** `registry/repository:tag@digest` in the target (without `:tag` when none was written). */
  readonly reference: string;
  /** True when the target already had the image under the tag: nothing was written. */
  readonly alreadyPromoted: boolean;
  readonly manifestsCopied: number;
  readonly blobs: { readonly copied: number; readonly mounted: number; readonly present: number; readonly foreign: number };
  readonly bytesCopied: number;
  /** Referrers copied: cosign tags, and digests of OCI referrers. */
  readonly referrers: readonly string[];
  /** The digest the target tag pointed at before this promotion moved it (mutable tags only). */
  readonly replaced?: string;
}

const COSIGN_SUFFIXES = ['sig', 'att', 'sbom'] as const;

interface Run {
  readonly o: PromoteImageOptions;
  readonly sameHost: boolean;
  readonly blobJobs: Map<string, Promise<void>>;
  /** Bounds the blobs in flight across the whole promotion (every platform of an index shares it). */
  readonly blobSlots: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Switches to chunked uploads for the rest of the run when the target refuses a whole blob in one PUT. */
  upload: 'monolithic' | 'chunked';
  readonly progress: PromotionProgress;
  manifestsCopied: number;
  bytesCopied: number;
  blobs: { copied: number; mounted: number; present: number; foreign: number };
}

function parseJson(m: Manifest, where: string): { manifests?: Descriptor[]; layers?: Descriptor[]; config?: Descriptor; schemaVersion?: number } {
  try {
    return JSON.parse(m.bytes.toString('utf8')) as ReturnType<typeof parseJson>;
  } catch (error) {
    throw new RuntimeError('RUN511', `manifest ${where}@${m.digest} is not JSON: ${(error as Error).message}`, {
      hint: 'check that the reference names an image (not a blob), and that no proxy in front of the registry rewrites its answers',
    });
  }
}

async function copyBlob(run: Run, d: Descriptor): Promise<void> {
  const { source, target } = run.o;
  run.progress.blobPlanned(d.size);
  if (isForeignLayer(d)) {
    run.blobs.foreign++;
    run.progress.blobDone('foreign', d.size);
    return;
  }
  if (await target.client.hasBlob(target.repository, d.digest)) {
    run.blobs.present++;
    run.progress.blobDone('present', d.size);
    return;
  }
  let session: URL | undefined;
  if (run.sameHost) {
    const mounted = await target.client.mountBlob(target.repository, d.digest, source.repository);
    if (mounted === true) {
      run.blobs.mounted++;
      run.progress.blobDone('mounted', d.size);
      return;
    }
    run.o.log?.(`mount of ${d.digest} from "${source.repository}" was refused; copying it instead`);
    session = mounted;
  }
  const policy = run.o.retry ?? DEFAULT_RETRY_POLICY;
  for (let attempt = 1; ; attempt++) {
    let counted = 0;
    const mode = run.upload;
    let response: Awaited<ReturnType<RegistryClient['getBlob']>> | undefined;
    try {
      session ??= await target.client.startUpload(target.repository);
      response = await source.client.getBlob(source.repository, d.digest);
      const verifier = new DigestVerifier(d.digest, d.size, `blob ${source.client.registry}/${source.repository}@${d.digest}`, (n) => {
        counted += n;
        run.progress.bytes(n);
      });
      const body = response.body;
      body.on('error', (e) => verifier.destroy(e));
      body.on('aborted', () => verifier.destroy(new NetworkError('the source closed the connection mid-blob', 'ECONNRESET')));
      body.pipe(verifier);
      if (mode === 'chunked') await target.client.uploadChunked(session, d.digest, verifier, run.o.chunkSize ?? 8 * 1024 * 1024);
      else await target.client.uploadMonolithic(session, d.digest, d.size, verifier);
      source.client.stats.bytesDownloaded += counted;
      run.bytesCopied += d.size;
      run.blobs.copied++;
      run.progress.blobDone('copied', d.size);
      return;
    } catch (error) {
      response?.body.destroy();
      run.progress.bytes(-counted);
      source.client.stats.bytesDownloaded += counted;
      if (session) await target.client.cancelUpload(session);
      session = undefined;
      if (error instanceof RegistryStatusError && mode === 'monolithic' && (error.status === 413 || error.status === 416 || error.status === 400 && /SIZE_INVALID|BLOB_UPLOAD_INVALID/.test(error.message))) {
        run.o.log?.(`registry "${target.client.registry}" refused a ${d.size}-byte blob in one PUT (${error.status}); uploading in chunks instead`);
        run.upload = 'chunked';
        continue;
      }
      // Only errors of this attempt are retried here; one that already outlived its own retries (RUN520) is final.
      // An upload the registry received corrupted or cut short (DIGEST_INVALID, ...) is sent again too.
      if (!isTransient(error) && !isUploadFault(error)) throw error;
      if (attempt >= policy.attempts) throw gaveUp(`copying blob ${d.digest} to ${target.client.registry}/${target.repository}`, attempt, error);
      const delay = backoffDelay(policy, attempt, error instanceof TransientStatusError ? error.retryAfter : undefined);
      run.o.log?.(`blob ${d.digest.slice(0, 19)}: ${error instanceof Error ? error.message : String(error)}; fetching it again in ${delay} ms`);
      await sleep(delay);
    }
  }
}

/** Copies each blob once per promotion, even when several platforms share it. */
function copyBlobOnce(run: Run, d: Descriptor): Promise<void> {
  let job = run.blobJobs.get(d.digest);
  if (!job) {
    job = run.blobSlots(() => copyBlob(run, d));
    run.blobJobs.set(d.digest, job);
  }
  return job;
}

/** Puts a manifest (and, first, everything it refers to) into the target by digest. */
/** The caller has checked that the target lacks `manifest`. */
async function copyManifest(run: Run, manifest: Manifest): Promise<void> {
  const { source, target } = run.o;
  const doc = parseJson(manifest, `${source.repository}`);
  if (isIndexMediaType(manifest.mediaType) || Array.isArray(doc.manifests)) {
    // Children before the index: the target never holds an index whose platforms are missing.
    await mapLimit(doc.manifests ?? [], run.o.concurrency ?? 6, async (child) => {
      if (await target.client.headManifest(target.repository, child.digest)) return;
      const m = await source.client.getManifest(source.repository, child.digest);
      await copyManifest(run, { ...m, mediaType: m.mediaType || child.mediaType });
    });
  } else {
    if (doc.schemaVersion !== 2) throw new RuntimeError('RUN511', `manifest ${source.repository}@${manifest.digest} has schemaVersion ${String(doc.schemaVersion)}; only schema 2 (OCI or Docker v2) can be promoted`, {
      hint: 'rebuild and push the image with a current Docker or BuildKit (they write schema 2), then promote the new digest',
    });
    const blobs = [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])];
    await mapLimit(blobs, blobs.length, (d) => copyBlobOnce(run, d));
  }
  const written = await putManifestResending(run, manifest.digest, manifest);
  if (written !== manifest.digest) {
    throw new RuntimeError('RUN512', `registry "${target.client.registry}" stored manifest ${manifest.digest} under digest ${written}`, {
      hint: 'the registry rewrote the manifest; promotion keeps digests, so this registry cannot be a promotion target',
    });
  }
  run.manifestsCopied++;
}

/** PUTs a manifest, sending it again when the registry received it changed or cut short (a 400 DIGEST_INVALID, ...). */
async function putManifestResending(run: Run, reference: string, manifest: Manifest): Promise<string> {
  const { target } = run.o;
  const policy = run.o.retry ?? DEFAULT_RETRY_POLICY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await target.client.putManifest(target.repository, reference, manifest);
    } catch (error) {
      if (!isUploadFault(error)) throw error;
      if (attempt >= policy.attempts) throw gaveUp(`writing manifest ${manifest.digest} to ${target.client.registry}/${target.repository}:${reference}`, attempt, error);
      run.o.log?.(`manifest ${manifest.digest.slice(0, 19)} reached "${target.client.registry}" changed (${(error as Error).message}); sending it again`);
      await sleep(backoffDelay(policy, attempt));
    }
  }
}

/**
 * Writes the tag, then reads it back: the registry must report the tag on `digest`. A tag left on anything
 * else (the registry accepted a write changed on the way) is written again; if it cannot be set right, it is
 * put back on the digest it had before (or the error says where it points), never left wrong silently.
 */
async function writeTagVerified(run: Run, tag: string, digest: string, manifest: Manifest, previous: string | undefined): Promise<void> {
  const { target } = run.o;
  const name = `${target.client.registry}/${target.repository}:${tag}`;
  const policy = run.o.retry ?? DEFAULT_RETRY_POLICY;
  let seen = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    const reported = await putManifestResending(run, tag, manifest);
    const now = await target.client.headManifest(target.repository, tag);
    if (reported === digest && now?.digest === digest) return;
    seen = now?.digest ?? 'nothing';
    run.o.log?.(`tag "${name}" was written but points at ${seen} (the registry reported ${reported}), expected ${digest}; writing it again`);
    await sleep(backoffDelay(policy, attempt));
  }
  let restored = '';
  if (previous && previous !== seen) {
    try {
      const before = await target.client.getManifest(target.repository, previous);
      await target.client.putManifest(target.repository, tag, before);
      const check = await target.client.headManifest(target.repository, tag);
      restored = check?.digest === previous ? `; the tag was put back on ${previous}, where it pointed before` : '';
    } catch {
      /* reported below: the tag's state is named either way */
    }
  }
  throw new RuntimeError('RUN512', `tag "${name}" could not be set to ${digest}: after ${policy.attempts} writes the registry keeps it on ${seen}${restored}`, {
    hint: 'the target registry (or a proxy in front of it) changes or rewrites manifests on write (some convert Docker media types to OCI), so a deployment pinned to the source digest would not find it there: promote into a registry that stores manifests byte for byte, then re-run',
  });
}

async function copyReferrers(run: Run, digest: string): Promise<string[]> {
  const { source } = run.o;
  const copied: string[] = [];
  // OCI 1.1: manifests whose `subject` is this image, listed by the referrers API; copied by digest.
  for (const referrer of (await source.client.referrers(source.repository, digest)) ?? []) {
    await promoteImage({
      ...run.o,
      source: { ...source, reference: referrer.digest },
      target: { ...run.o.target, tag: undefined },
      referrers: false,
      progress: run.progress,
    });
    copied.push(referrer.digest);
  }
  // cosign: signatures, attestations and SBOMs stored under tags derived from the digest.
  for (const suffix of COSIGN_SUFFIXES) {
    const tag = `${digest.replace(':', '-')}.${suffix}`;
    const head = await source.client.headManifest(source.repository, tag);
    if (!head) continue;
    // Signature tags are appended to when an image is signed again, so they are moved whatever the policy.
    await promoteImage({
      ...run.o,
      source: { ...source, reference: head.digest },
      target: { ...run.o.target, tag },
      mutableTags: true,
      referrers: false,
      progress: run.progress,
    });
    copied.push(tag);
  }
  return copied;
}

/** Promotes one image. See the module comment for the order of operations. */
export async function promoteImage(o: PromoteImageOptions): Promise<PromoteImageResult> {
  const { source, target } = o;
  const progress = o.progress ?? silentProgress;
  // 1. The source, resolved once to a digest; everything after uses the digest only.
  let digest: string;
  let sourceManifest: Manifest | undefined;
  if (source.reference.startsWith('sha256:')) {
    digest = source.reference;
  } else {
    const head = await source.client.headManifest(source.repository, source.reference);
    if (!head) {
      throw new RuntimeError('RUN513', `image "${source.client.registry}/${source.repository}:${source.reference}" was not found in the source registry`, {
        hint: 'check the tag, the source environment, and that the build pushed the image',
      });
    }
    digest = head.digest;
  }
  const targetName = `${target.client.registry}/${target.repository}`;
  const reference = `${targetName}${target.tag ? `:${target.tag}` : ''}@${digest}`;
  const run: Run = {
    o,
    sameHost: source.client.registry === target.client.registry,
    blobJobs: new Map(),
    blobSlots: createLimiter(o.concurrency ?? 6),
    upload: o.upload ?? 'monolithic',
    progress,
    manifestsCopied: 0,
    bytesCopied: 0,
    blobs: { copied: 0, mounted: 0, present: 0, foreign: 0 },
  };
  // The digest the target tag pointed at before, when this promotion moves it (mutable tags only).
  let replaced: string | undefined;
  const result = (alreadyPromoted: boolean, mediaType: string, referrers: readonly string[]): PromoteImageResult => ({
    digest, mediaType, reference, alreadyPromoted, manifestsCopied: run.manifestsCopied,
    blobs: { ...run.blobs }, bytesCopied: run.bytesCopied, referrers,
    ...(replaced !== undefined && !alreadyPromoted ? { replaced } : {}),
  });

  // 2. The tag, if already there: the same digest means the promotion is done; another is refused unless tags may move.
  if (target.tag) {
    const current = await target.client.headManifest(target.repository, target.tag);
    if (current && current.digest === digest) {
      const referrers = o.referrers ? await copyReferrers(run, digest) : [];
      return result(true, current.mediaType, referrers);
    }
    if (current && !o.mutableTags) {
      throw new RuntimeError('RUN510', `tag "${targetName}:${target.tag}" already points at ${current.digest}; refusing to move it to ${digest}`, {
        hint: 'tags in this environment are immutable: promote under a new tag, or set mutableTags: true for the environment',
      });
    }
  }

  // 3. The manifest (with its children and blobs), unless the target already has it.
  try {
    const present = await target.client.headManifest(target.repository, digest);
    if (!present || target.tag) {
      sourceManifest = await source.client.getManifest(source.repository, digest).catch((error: unknown) => {
        if (error instanceof RegistryStatusError && error.status === 404) {
          throw new RuntimeError('RUN513', `image "${source.client.registry}/${source.repository}@${digest}" was not found in the source registry`, {
            hint: 'check the digest and the source environment', cause: error,
          });
        }
        throw error;
      });
    }
    if (!present && sourceManifest) await copyManifest(run, sourceManifest);
  } finally {
    progress.finish();
  }
  const mediaType = sourceManifest?.mediaType ?? MEDIA_TYPES.ociManifest;

  // 4. Check the target's digest equals the source's, then (last) write the tag.
  const check = await target.client.headManifest(target.repository, digest);
  if (!check || check.digest !== digest) {
    throw new RuntimeError('RUN512', `after copying, "${targetName}@${digest}" ${check ? `reports digest ${check.digest}` : 'is missing'}; the tag was not written`, {
      hint: 'the target registry did not keep the manifest as sent; re-run the step, and check the registry if it persists',
    });
  }
  if (target.tag && sourceManifest) {
    // Look again just before writing: another run may have tagged something meanwhile. Immutable tags are then
    // left alone; a mutable one is moved, and the digest it pointed at is recorded.
    const now = await target.client.headManifest(target.repository, target.tag);
    if (o.mutableTags) replaced = now && now.digest !== digest ? now.digest : undefined;
    else {
      if (now && now.digest !== digest) {
        throw new RuntimeError('RUN510', `tag "${targetName}:${target.tag}" was set to ${now.digest} while ${digest} was being promoted; refusing to move it`, {
          hint: 'tags in this environment are immutable: promote under a new tag',
        });
      }
    }
    await writeTagVerified(run, target.tag, digest, sourceManifest, replaced);
    if (replaced) o.log?.(`tag "${targetName}:${target.tag}" moved from ${replaced} to ${digest}`);
  }
  const referrers = o.referrers ? await copyReferrers(run, digest) : [];
  return result(false, mediaType, referrers);
}
