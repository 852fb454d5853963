/**
 * `copy-config` as a library function: copy changed configuration files from an application checkout into
 * an environment's folder of the GitOps repository (per the layout's `config` mapping), remove deleted
 * ones, commit and push with retry. Changed and deleted paths that escape the application checkout (`..`,
 * absolute) are refused before the GitOps repository is cloned. The `config` mapping is read from the layout
 * file in the GitOps repository, so mappings whose `from`/`to` escape, destinations that escape, and symbolic
 * links on either side are refused after cloning, before anything is written.
 *
 * ```ts
 * await copyConfig({ repo: '/workspace/src', gitopsUrl, service: 'shop-api', env: 'dev',
 *   files: ['services/api/config/app.yaml'], deleted: [], sourceCommit: after, auth });
 * ```
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { RuntimeError } from '../runtime-error.js';
import { cloneRepository } from '../git/repository.js';
import { pushWithRetry } from '../git/push-with-retry.js';
import type { GitIdentity } from '../git/run-git.js';
import type { GitAuth } from '../git/token-source.js';
import { DEFAULT_LAYOUT_FILE, loadLayout, resolveTarget } from './layout.js';
import type { ConfigMapping, DeployTarget } from './layout.js';
import { assertInside, assertNoSymlink } from './safe-path.js';
import { shorten } from '../redact.js';
import { readConfigRecord, recordPath, sha256Of, writeConfigRecord } from './config-record.js';

export interface CopyConfigOptions {
  /** Application repository checkout. */
  readonly repo: string;
  readonly gitopsUrl: string;
  readonly branch?: string | undefined;
  readonly service: string;
  readonly env: string;
  /** Changed configuration files (paths in the application repository). */
  readonly files: readonly string[];
  /** Deleted configuration files (paths in the application repository). */
  readonly deleted?: readonly string[] | undefined;
  readonly sourceCommit?: string | undefined;
  /** Every regular file under the service's `config` mappings in the checkout, besides `files`. */
  readonly all?: boolean | undefined;
  readonly layoutFile?: string | undefined;
  readonly auth?: GitAuth | undefined;
  readonly identity?: GitIdentity | undefined;
  readonly log?: (message: string) => void;
}

export interface CopyConfigResult {
  readonly changed: boolean;
  readonly commit: string;
  /** GitOps paths written or removed. */
  readonly files: readonly string[];
  /** Application files outside every mapping of this service (left alone). */
  readonly skipped: readonly string[];
  /**
   * With `all`: GitOps files whose source is gone but which were left — files argots never copied (`unmanaged`:
   * under a mapped folder, not in the source, not in argots' record) and files it copied that were changed in
   * the GitOps repository since (`changed`). Removals argots made are in `files`.
   */
  readonly left: readonly { readonly path: string; readonly reason: 'unmanaged' | 'changed' }[];
  readonly attempts: number;
}

export interface PlannedCopy {
  readonly source: string;
  readonly dest: string;
  readonly remove: boolean;
  /** A file mapped onto `to` as a file: when `to` turns out to be a folder in the GitOps repository, it goes into it. */
  readonly intoExistingFolder: boolean;
}

const clean = (p: string): string => posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/+$/, '');

function mappingFor(mappings: readonly ConfigMapping[], file: string): ConfigMapping | undefined {
  return mappings.find((m) => {
    const from = clean(m.from);
    return from === '.' || file === from || file.startsWith(`${from}/`);
  });
}

/**
 * Where one application file lands. A mapping whose `from` is a folder copies the files under it into the
 * folder `to`, keeping their relative paths. A mapping whose `from` is the file itself maps it onto `to` as a
 * file (`{ from: config/settings.yml, to: settings.yml }`), unless `to` ends with `/`, which names a folder to
 * copy it into (as `cp` reads a trailing slash).
 */
function destinationOf(servicePath: string, m: ConfigMapping, file: string): string {
  const from = clean(m.from);
  if (from === '.') return clean(posix.join(servicePath, m.to, file));
  if (file !== from) return clean(posix.join(servicePath, m.to, file.slice(from.length + 1)));
  const intoFolder = /[\\/]$/.test(m.to) || clean(m.to) === '.' || clean(m.to) === '';
  return clean(posix.join(servicePath, m.to, intoFolder ? posix.basename(file) : ''));
}

/** Which GitOps path each application file goes to (validated; no I/O in the GitOps repository yet). */
export function planConfigCopy(
  repo: string,
  target: DeployTarget,
  files: readonly string[],
  deleted: readonly string[],
): { planned: PlannedCopy[]; skipped: string[] } {
  if (target.config.length === 0) {
    throw new RuntimeError('RUN750', `service "${target.service}" has no config mapping for environment "${target.env}"`, {
      hint: `add "config: [{ from: <app folder>, to: <folder under ${target.path}> }]" to services.${target.service} in the layout file`,
    });
  }
  // The whole mapping is checked, whether or not a changed file falls under it.
  assertInside('/gitops', target.path, `path of service "${target.service}"`);
  for (const m of target.config) {
    assertInside(repo, m.from, `config mapping "from" of service "${target.service}"`);
    assertInside('/gitops', m.to, `config mapping "to" of service "${target.service}"`);
  }
  const planned: PlannedCopy[] = [];
  const skipped: string[] = [];
  const all = [...files.map((f) => ({ f, remove: false })), ...deleted.map((f) => ({ f, remove: true }))];
  for (const { f, remove } of all) {
    assertInside(repo, f, 'configuration file');
    const file = clean(f);
    const m = mappingFor(target.config, file);
    if (!m) {
      skipped.push(file);
      continue;
    }
    const dest = destinationOf(target.path, m, file);
    assertInside('/gitops', dest, `destination of "${file}"`);
    if (!remove) {
      assertNoSymlink(repo, file, 'configuration file');
      const full = join(repo, file);
      if (!existsSync(full) || !lstatSync(full).isFile()) {
        throw new RuntimeError('RUN751', `configuration file "${file}" is not a regular file in the application checkout "${repo}"`, {
          hint: 'pass the configFiles output of detect-changes for this checkout',
        });
      }
    }
    planned.push({ source: file, dest, remove, intoExistingFolder: clean(m.from) === file && !/[\\/]$/.test(m.to) });
  }
  return { planned, skipped };
}

/** Every regular file under the mappings' `from` folders of the checkout (symbolic links refused by the plan). */
function mappedFiles(repo: string, target: DeployTarget): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const full = join(repo, rel);
    if (!existsSync(full)) return;
    const st = lstatSync(full);
    if (st.isFile() || st.isSymbolicLink()) {
      out.push(rel);
      return;
    }
    if (!st.isDirectory()) return;
    for (const name of readdirSync(full).sort()) if (name !== '.git') walk(rel === '.' ? name : posix.join(rel, name));
  };
  for (const m of target.config) {
    assertInside(repo, m.from, `config mapping "from" of service "${target.service}"`);
    walk(clean(m.from) || '.');
  }
  return out;
}

/**
 * `--all` mirrors removals: a file argots recorded copying that the source no longer gives (removed there, or
 * its mapping moved) is removed, unless it was changed in the GitOps repository since (left, reported). Files
 * under a mapped folder that argots never copied and the source does not give are left and reported.
 */
function mirrorRemovals(
  repo: string,
  target: DeployTarget,
  record: Map<string, { readonly source: string; readonly sha256: string }>,
  current: ReadonlySet<string>,
  touched: string[],
  left: { path: string; reason: 'unmanaged' | 'changed' }[],
): void {
  for (const [destPath, entry] of [...record.entries()]) {
    if (current.has(destPath)) continue;
    // The record is data in the GitOps repository: a path in it is trusted no more than any other.
    assertInside('/gitops', destPath, `recorded copy in ${recordPath(target.service, target.env)}`);
    if (destPath !== target.path && !destPath.startsWith(`${clean(target.path)}/`)) continue;
    assertNoSymlink(repo, destPath, `recorded copy "${destPath}"`);
    const full = join(repo, destPath);
    if (!existsSync(full)) {
      record.delete(destPath);
      continue;
    }
    if (!statSync(full).isFile() || sha256Of(readFileSync(full)) !== entry.sha256) {
      left.push({ path: destPath, reason: 'changed' });
      continue;
    }
    unlinkSync(full);
    touched.push(destPath);
    record.delete(destPath);
  }
  for (const m of target.config) {
    const from = clean(m.from);
    if (from !== '.' && !/[\\/]$/.test(m.to) && !existsSync(join(repo, target.path, m.to))) continue;
    const folder = clean(posix.join(target.path, m.to));
    const walk = (rel: string): void => {
      const full = join(repo, rel);
      if (!existsSync(full) || lstatSync(full).isSymbolicLink()) return;
      if (lstatSync(full).isDirectory()) {
        for (const name of readdirSync(full).sort()) walk(posix.join(rel, name));
        return;
      }
      if (!current.has(rel) && !record.has(rel) && !left.some((l) => l.path === rel)) left.push({ path: rel, reason: 'unmanaged' });
    };
    if (existsSync(join(repo, folder)) && lstatSync(join(repo, folder)).isDirectory()) walk(folder);
  }
}

/** A configuration copy planned against a GitOps checkout's layout, the application files read (see {@link prepareConfigCopy}). */
export interface ConfigCopy {
  readonly service: string;
  readonly env: string;
  readonly target: DeployTarget;
  readonly planned: readonly PlannedCopy[];
  readonly skipped: readonly string[];
  readonly contents: ReadonlyMap<string, Buffer>;
  readonly all: boolean;
  readonly sourceCommit?: string | undefined;
}

export interface ConfigCopyApplied {
  /** GitOps paths written or removed. */
  readonly touched: readonly string[];
  readonly left: readonly { readonly path: string; readonly reason: 'unmanaged' | 'changed' }[];
  /** The commit message, or null when nothing changed (not even argots' record of what it copied). */
  readonly message: string | null;
}

type ConfigCopyInputs = Pick<CopyConfigOptions, 'repo' | 'service' | 'env' | 'files' | 'deleted' | 'all' | 'sourceCommit' | 'layoutFile'>;

function checkSourceCommit(sourceCommit: string | undefined): void {
  if (sourceCommit !== undefined && !/^[0-9a-f]{7,64}$/.test(sourceCommit)) {
    throw new RuntimeError('RUN741', `source commit must be a commit SHA (7 to 64 hex digits), received "${shorten(sourceCommit)}"`, {
      hint: 'pass the application commit the configuration files come from (git rev-parse HEAD in its checkout), or leave it out',
    });
  }
}

/**
 * Plans a configuration copy into the GitOps checkout `gitopsDir` (its layout file read there) and reads the
 * application files it copies; nothing is written. Used by copy-config and by open-promotion-pull-request
 * (which carries the release's configuration on its branch).
 */
export function prepareConfigCopy(gitopsDir: string, options: ConfigCopyInputs): ConfigCopy {
  checkSourceCommit(options.sourceCommit);
  const layout = loadLayout(gitopsDir, options.layoutFile ?? DEFAULT_LAYOUT_FILE);
  const target = resolveTarget(layout, options.service, options.env);
  const files = options.all ? [...new Set([...options.files, ...mappedFiles(options.repo, target)])] : options.files;
  const { planned, skipped } = planConfigCopy(options.repo, target, files, options.deleted ?? []);
  const contents = new Map(planned.filter((p) => !p.remove).map((p) => [p.source, readFileSync(join(options.repo, p.source))]));
  return { service: options.service, env: options.env, target, planned, skipped, contents, all: options.all === true, sourceCommit: options.sourceCommit };
}

/** Writes a planned configuration copy into the GitOps checkout `repo` (the working tree; no commit). */
export function applyConfigCopy(repo: string, copy: ConfigCopy, log?: (message: string) => void): ConfigCopyApplied {
  const { target, service, env } = copy;
  const touched: string[] = [];
  const left: { path: string; reason: 'unmanaged' | 'changed' }[] = [];
  const record = readConfigRecord(repo, service, env);
  const current = new Set<string>();
  for (const p of copy.planned) {
    const destPath = p.intoExistingFolder && existsSync(join(repo, p.dest)) && lstatSync(join(repo, p.dest)).isDirectory() ? posix.join(p.dest, posix.basename(p.source)) : p.dest;
    assertNoSymlink(repo, destPath, `destination of "${p.source}"`);
    const dest = join(repo, destPath);
    if (p.remove) {
      if (existsSync(dest)) {
        if (!statSync(dest).isFile()) throw new RuntimeError('RUN752', `"${destPath}" in the GitOps repository is not a file; refusing to remove it`, {
          hint: `a configuration file deleted in the application maps onto a folder in the GitOps repository: fix the "to" of services.${target.service}.config in the layout file, or remove "${destPath}" by hand`,
        });
        unlinkSync(dest);
        touched.push(destPath);
      }
      record.delete(destPath);
      continue;
    }
    const data = copy.contents.get(p.source);
    if (data === undefined) continue;
    if (existsSync(dest) && !statSync(dest).isFile()) {
      throw new RuntimeError('RUN753', `"${destPath}" in the GitOps repository is not a file; refusing to replace it with "${p.source}"`, {
        hint: `fix the "to" of services.${target.service}.config in the layout file (end it with "/" to copy into a folder), or move "${destPath}" aside`,
      });
    }
    current.add(destPath);
    record.set(destPath, { source: p.source, sha256: sha256Of(data) });
    if (existsSync(dest) && readFileSync(dest).equals(data)) continue;
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, data);
    touched.push(destPath);
  }
  if (copy.all) mirrorRemovals(repo, target, record, current, touched, left);
  const recorded = writeConfigRecord(repo, service, env, record);
  for (const l of left) log?.(`left ${l.path}: ${l.reason === 'changed' ? 'its source is gone, but it was changed in the GitOps repository since argots copied it' : 'not in the source, and argots never copied it'}`);
  if (touched.length === 0 && !recorded) return { touched, left, message: null };
  const subject = touched.length === 0
    ? `config ${service} in ${env}: record the files argots copied`
    : `config ${service} in ${env}: ${touched.length} file${touched.length === 1 ? '' : 's'}${copy.sourceCommit ? ` (from ${copy.sourceCommit.slice(0, 12)})` : ''}`;
  const trailers = [`Service: ${service}`, `Environment: ${env}`, ...(copy.sourceCommit ? [`Source-Commit: ${copy.sourceCommit}`] : [])];
  return { touched, left, message: `${subject}\n\n${touched.map((t) => `- ${t}`).join('\n')}\n\n${trailers.join('\n')}\n` };
}

export async function copyConfig(options: CopyConfigOptions): Promise<CopyConfigResult> {
  checkSourceCommit(options.sourceCommit);
  // Only the application side is known before cloning: the mapping is in the GitOps repository's layout.
  for (const f of [...options.files, ...(options.deleted ?? [])]) assertInside(options.repo, f, 'configuration file');
  const branch = options.branch ?? 'main';
  const work = mkdtempSync(join(tmpdir(), 'argots-gitops-'));
  try {
    const dir = join(work, 'repo');
    await cloneRepository({ url: options.gitopsUrl, dir, branch, depth: 1, auth: options.auth, cwd: work });
    const copy = prepareConfigCopy(dir, options);
    let applied: ConfigCopyApplied = { touched: [], left: [], message: null };
    const r = await pushWithRetry({
      dir,
      branch,
      freshClone: true,
      auth: options.auth,
      identity: options.identity,
      ...(options.log ? { log: options.log } : {}),
      apply: async (repo) => {
        applied = applyConfigCopy(repo, copy, options.log);
        return applied.message === null ? null : { message: applied.message };
      },
    });
    return { changed: r.changed, commit: r.commit, files: r.changed ? [...applied.touched].sort() : [], skipped: copy.skipped, left: [...applied.left].sort((a, b) => (a.path < b.path ? -1 : 1)), attempts: r.attempts };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
