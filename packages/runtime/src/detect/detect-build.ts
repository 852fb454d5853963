/**
 * `detect-build` as a library function: how a service builds — docker buildx bake (when bake files, or a
 * compose file with a building service, exist in its folder) or its Dockerfiles (`Dockerfile`,
 * `*.Dockerfile`, `Containerfile`).
 *
 * ```ts
 * const r = await detectBuild({ repo: '/workspace/src', context: 'services/api' });
 * if (r.kind === 'bake') r.targets.map((t) => t.name);
 * ```
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { RuntimeError } from '../runtime-error.js';
import { assertInside } from '../manifests/safe-path.js';
import { readBakeDefinition } from './bake-definition.js';
import { assertRepositoryPathGiven, missingFolderProblem } from './_internal/repository-folder.js';
import type { BakeTarget } from './bake-definition.js';

export interface DetectBuildOptions {
  readonly repo: string;
  /** The service's folder, relative to the repository root (default: the root). */
  readonly context?: string | undefined;
  /** Bake group (default `default`). */
  readonly group?: string | undefined;
  /** Variables overriding bake variable defaults (bake reads them from the environment). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface DetectBuildResult {
  readonly kind: 'dockerfile' | 'bake' | 'none';
  /** Relative to the repository root. */
  readonly dockerfiles: readonly string[];
  /** Relative to the repository root, in bake merge order. */
  readonly bakeFiles: readonly string[];
  readonly targets: readonly BakeTarget[];
}

const SKIP = new Set(['.git', 'node_modules', 'vendor', '.venv', 'dist', 'target']);
const isDockerfile = (name: string): boolean => name === 'Dockerfile' || name === 'Containerfile' || name.endsWith('.Dockerfile');

function findDockerfiles(root: string, rel: string, depth: number, out: string[]): void {
  if (depth > 8) return;
  for (const name of readdirSync(join(root, rel)).sort()) {
    if (SKIP.has(name)) continue;
    const child = rel === '' ? name : posix.join(rel, name);
    const st = statSync(join(root, child), { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) findDockerfiles(root, child, depth + 1, out);
    else if (st.isFile() && isDockerfile(name)) out.push(child);
  }
}

export async function detectBuild(options: DetectBuildOptions): Promise<DetectBuildResult> {
  assertRepositoryPathGiven(options.repo);
  const context = (options.context ?? '.').replace(/\/+$/, '') || '.';
  const dir = context === '.' ? options.repo : assertInside(options.repo, context, 'build context');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const missing = missingFolderProblem(options.repo);
    if (missing) throw missing;
    throw new RuntimeError('RUN825', `build context "${context}" is not a folder in the repository "${options.repo}"`, { hint: 'pass the service folder relative to the repository root' });
  }
  const prefix = context === '.' ? '' : context;
  const dockerfiles: string[] = [];
  findDockerfiles(options.repo, prefix, 0, dockerfiles);
  const bake = await readBakeDefinition(dir, options.env ?? {});
  if (bake) {
    const targets = bake.targetsOf(options.group ?? 'default');
    return { kind: 'bake', dockerfiles, bakeFiles: bake.files.map((f) => (prefix ? posix.join(prefix, f) : f)), targets };
  }
  if (options.group !== undefined && options.group !== 'default') {
    throw new RuntimeError('RUN826', `bake group "${options.group}" was asked for, but "${context}" has no bake file (${'docker-bake.hcl'}, compose.yaml, ...)`, {
      hint: 'leave the group out to build the Dockerfiles',
    });
  }
  return { kind: dockerfiles.length > 0 ? 'dockerfile' : 'none', dockerfiles, bakeFiles: [], targets: [] };
}
