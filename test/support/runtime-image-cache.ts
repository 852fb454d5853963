/**
 * Test support: the runtime image (deploy/runtime-image, built without Docker) for `argots run` of the org
 * pipelines, built ONCE per machine and per content of what goes into it, then pushed from the cache into a
 * test's registry in a second. The cache (`node_modules/.cache/argots-e2e/runtime-image/<key>/`: the manifest,
 * config and layer blobs as pushed) is keyed by a hash of the runtime's and the contract's sources, the build
 * script and the lockfile, so a change to the runtime builds a new image. Test files running at once share one
 * build through a lock folder; a new build removes the images of earlier sources.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRuntimeImage } from '../../deploy/runtime-image/build-runtime-image.js';
import { pushBlob, pushManifest, type PushTarget } from './oci-images.js';
import { startRegistry } from './registry.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const REPOSITORY = 'platform/argots-runtime';
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.name === 'node_modules' || e.name === 'dist') return [];
    return e.isDirectory() ? filesUnder(full) : [full];
  });
}

/** A hash of everything the image is built from (sources, manifests, the build script, the lockfile). */
export function runtimeImageKey(): string {
  const h = createHash('sha256');
  const files = [
    ...filesUnder(join(ROOT, 'packages/runtime/src')),
    ...filesUnder(join(ROOT, 'packages/contract/src')),
    join(ROOT, 'packages/runtime/package.json'),
    join(ROOT, 'packages/contract/package.json'),
    join(ROOT, 'deploy/runtime-image/build-runtime-image.ts'),
    join(ROOT, 'pnpm-lock.yaml'),
  ].sort();
  for (const f of files) h.update(relative(ROOT, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 24);
}

export interface CachedRuntimeImage {
  readonly dir: string;
  readonly digest: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The cached image for the current sources, built when missing (one builder at a time across processes). */
export async function cachedRuntimeImage(log: (line: string) => void = () => {}): Promise<CachedRuntimeImage> {
  const base = join(ROOT, 'node_modules/.cache/argots-e2e/runtime-image');
  const dir = join(base, runtimeImageKey());
  const done = join(dir, 'manifest.json');
  const lock = `${dir}.lock`;
  mkdirSync(base, { recursive: true });
  for (;;) {
    if (existsSync(done)) return { dir, digest: `sha256:${createHash('sha256').update(readFileSync(done)).digest('hex')}` };
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      // Another process builds it. Its lock is left over when that process is gone (a killed test file), or
      // older than 15 minutes.
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        /* being written */
      }
      let alive = true;
      if (Number.isInteger(owner)) {
        try {
          process.kill(owner, 0);
        } catch {
          alive = false;
        }
      }
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (!alive || age > 900_000) rmSync(lock, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  const registry = await startRegistry({ name: 'runtime-build' });
  try {
    log('building the runtime image (once for these sources)');
    const built = await buildRuntimeImage({ registry: registry.host, scheme: 'http', repository: REPOSITORY, tag: 'cache', log });
    const staging = `${dir}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, 'blobs'), { recursive: true });
    const get = async (path: string, accept?: string): Promise<Buffer> => {
      const r = await fetch(`${registry.url}/v2/${REPOSITORY}/${path}`, accept ? { headers: { accept } } : {});
      if (!r.ok) throw new Error(`runtime image cache: GET ${path}: HTTP ${r.status}`);
      return Buffer.from(await r.arrayBuffer());
    };
    const manifestBytes = await get(`manifests/${built.digest}`, MANIFEST_TYPE);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: { digest: string }; layers: { digest: string }[] };
    for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) writeFileSync(join(staging, 'blobs', d.replace(':', '-')), await get(`blobs/${d}`));
    writeFileSync(join(staging, 'manifest.json'), manifestBytes);
    renameSync(staging, dir);
    // Images of earlier sources are not used again: keep only this one (each is ~160 MB).
    for (const other of readdirSync(base)) if (other !== relative(base, dir) && /^[0-9a-f]{24}$/.test(other)) rmSync(join(base, other), { recursive: true, force: true });
    return { dir, digest: built.digest };
  } finally {
    await registry.close();
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Pushes the cached image to `target` as `repository:tag`; resolves `host/repository:tag@digest`. */
export async function pushCachedRuntimeImage(image: CachedRuntimeImage, target: PushTarget & { readonly host: string }, repository: string, tag: string): Promise<string> {
  const bytes = readFileSync(join(image.dir, 'manifest.json'));
  const manifest = JSON.parse(bytes.toString('utf8')) as { config: { digest: string; size: number }; layers: { digest: string; size: number }[] };
  for (const blob of [manifest.config, ...manifest.layers]) {
    const file = join(image.dir, 'blobs', blob.digest.replace(':', '-'));
    await pushBlob(target, repository, blob.digest, blob.size, () => createReadStream(file));
  }
  const digest = await pushManifest(target, repository, tag, MANIFEST_TYPE, bytes);
  return `${target.host}/${repository}:${tag}@${digest}`;
}

// `node --conditions=source --import tsx test/support/runtime-image-cache.ts`: builds the cache now (scripts/setup.sh
// does, so that the end-to-end test files do not spend their time limit on it).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const image = await cachedRuntimeImage((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`runtime image for the end-to-end tests: ${image.digest} (${relative(ROOT, image.dir)})\n`);
}
