/**
 * The layout file of a GitOps repository (default `argots.yaml` at its root): which folder holds each
 * service's deployment in each environment, which image names the manifests use, Helm value paths, and
 * where configuration files are copied.
 *
 * ```yaml
 * defaults:
 *   path: apps/{service}/overlays/{env}     # used for services × environments not listed explicitly
 *   helm: { repository: image.repository, tag: image.tag, digest: image.digest }
 * environments: [dev, staging, prod]
 * services:
 *   shop-api:
 *     images: [shop/api]                    # names the manifests use (default: the new image's repository)
 *     config:                               # app-repo folder → folder relative to the environment's path
 *       - { from: services/api/config, to: config }
 *     environments:
 *       dev: apps/shop-api/overlays/dev     # short form: the path
 *       prod:
 *         path: apps/shop-api/prod/values-prod.yaml
 *         helm: { tag: api.image.tag, digest: '' }
 *         render: false                     # not rendered after editing (see the README: use sparingly)
 * ```
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../runtime-error.js';
import { DEFAULT_HELM_PATHS } from './helm-value-paths.js';
import type { HelmValuePaths } from './helm-value-paths.js';
import { YamlSource } from './_internal/yaml-source.js';
import { assertInside } from './safe-path.js';

export const DEFAULT_LAYOUT_FILE = 'argots.yaml';

export interface ConfigMapping {
  /** Folder (or file) in the application repository. */
  readonly from: string;
  /** Folder (or file) relative to the environment's path in the GitOps repository. */
  readonly to: string;
}

export interface DeployTarget {
  readonly service: string;
  readonly env: string;
  /** Folder or file, relative to the GitOps repository root. */
  readonly path: string;
  readonly images: readonly string[];
  readonly helm: HelmValuePaths;
  readonly config: readonly ConfigMapping[];
  /**
   * Whether update-manifests renders the deployment after editing it and requires every workload of the
   * service to run the new image (default true). False only for deployments that cannot be rendered where
   * the runtime runs (a chart registry it cannot reach, an ApplicationSet's generated templates).
   */
  readonly render: boolean;
}

export interface Layout {
  readonly file: string;
  readonly environments: readonly string[];
  readonly services: Readonly<Record<string, RawService>>;
  readonly defaults: { readonly path?: string; readonly helm: HelmValuePaths };
}

interface RawEnv {
  readonly path?: string;
  readonly helm?: Partial<HelmValuePaths>;
  readonly images?: readonly string[];
  readonly config?: readonly ConfigMapping[];
  readonly render?: boolean;
}

interface RawService {
  readonly images?: readonly string[];
  readonly helm?: Partial<HelmValuePaths>;
  readonly config?: readonly ConfigMapping[];
  readonly render?: boolean;
  readonly environments?: Readonly<Record<string, string | RawEnv>>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function problem(file: string, path: string, expected: string, received: unknown): RuntimeError {
  return new RuntimeError('RUN720', `layout "${file}": ${path} must be ${expected}, received ${JSON.stringify(received) ?? 'nothing'}`, {
    hint: `see the layout format in the @argots/runtime README ("${DEFAULT_LAYOUT_FILE}")`,
  });
}

function strings(file: string, path: string, v: unknown): readonly string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  throw problem(file, path, 'a list of strings', v);
}

function helmPaths(file: string, path: string, v: unknown): Partial<HelmValuePaths> | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) throw problem(file, path, 'a map with repository, tag and digest value paths', v);
  const out: Record<string, string> = {};
  for (const k of ['registry', 'repository', 'tag', 'digest', 'ref'] as const) {
    const x = v[k];
    if (x === undefined) continue;
    if (typeof x !== 'string') throw problem(file, `${path}.${k}`, 'a dotted value path (or "" for none)', x);
    out[k] = x;
  }
  return out;
}

function renderFlag(file: string, path: string, v: unknown): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  throw problem(file, path, 'true or false', v);
}

function configs(file: string, path: string, v: unknown): readonly ConfigMapping[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw problem(file, path, 'a list of { from, to }', v);
  return v.map((m, i) => {
    if (!isObj(m) || typeof m['from'] !== 'string' || typeof m['to'] !== 'string') throw problem(file, `${path}[${i}]`, 'a { from, to } mapping', m);
    return { from: m['from'], to: m['to'] };
  });
}

/** Parses a layout file's text (validating its shape; errors name the path in the file). */
export function parseLayout(text: string, file = DEFAULT_LAYOUT_FILE): Layout {
  const [doc] = new YamlSource(file, text).values();
  const root = doc ?? {};
  if (!isObj(root)) throw problem(file, 'the file', 'a map', root);
  const defaults = root['defaults'] ?? {};
  if (!isObj(defaults)) throw problem(file, 'defaults', 'a map', defaults);
  if (defaults['path'] !== undefined && typeof defaults['path'] !== 'string') throw problem(file, 'defaults.path', 'a path template', defaults['path']);
  const services = root['services'] ?? {};
  if (!isObj(services)) throw problem(file, 'services', 'a map of service name to settings', services);
  const checked: Record<string, RawService> = {};
  for (const [name, raw] of Object.entries(services)) {
    const s = raw ?? {};
    if (!isObj(s)) throw problem(file, `services.${name}`, 'a map', s);
    const envs = s['environments'] ?? {};
    if (!isObj(envs)) throw problem(file, `services.${name}.environments`, 'a map of environment to path or settings', envs);
    const checkedEnvs: Record<string, string | RawEnv> = {};
    for (const [env, e] of Object.entries(envs)) {
      const at = `services.${name}.environments.${env}`;
      if (typeof e === 'string') {
        checkedEnvs[env] = e;
        continue;
      }
      if (!isObj(e)) throw problem(file, at, 'a path or a map with "path"', e);
      if (e['path'] !== undefined && typeof e['path'] !== 'string') throw problem(file, `${at}.path`, 'a path', e['path']);
      const images = strings(file, `${at}.images`, e['images']);
      const helm = helmPaths(file, `${at}.helm`, e['helm']);
      const config = configs(file, `${at}.config`, e['config']);
      const render = renderFlag(file, `${at}.render`, e['render']);
      checkedEnvs[env] = {
        ...(render !== undefined ? { render } : {}),
        ...(typeof e['path'] === 'string' ? { path: e['path'] } : {}),
        ...(images ? { images } : {}),
        ...(helm ? { helm } : {}),
        ...(config ? { config } : {}),
      };
    }
    const images = strings(file, `services.${name}.images`, s['images']);
    const helm = helmPaths(file, `services.${name}.helm`, s['helm']);
    const config = configs(file, `services.${name}.config`, s['config']);
    const render = renderFlag(file, `services.${name}.render`, s['render']);
    checked[name] = { ...(render !== undefined ? { render } : {}), ...(images ? { images } : {}), ...(helm ? { helm } : {}), ...(config ? { config } : {}), environments: checkedEnvs };
  }
  const environments = strings(file, 'environments', root['environments']) ?? [];
  return {
    file,
    environments,
    services: checked,
    defaults: {
      ...(typeof defaults['path'] === 'string' ? { path: defaults['path'] } : {}),
      helm: { ...DEFAULT_HELM_PATHS, ...helmPaths(file, 'defaults.helm', defaults['helm']) },
    },
  };
}

/** Reads the layout file of a GitOps checkout. */
export function loadLayout(gitopsDir: string, file = DEFAULT_LAYOUT_FILE): Layout {
  const path = assertInside(gitopsDir, file, 'layout file');
  if (!existsSync(path)) {
    throw new RuntimeError('RUN721', `layout file "${file}" not found in the GitOps repository "${gitopsDir}"`, {
      hint: `add ${file} at the repository root mapping services and environments to folders (see the @argots/runtime README)`,
    });
  }
  let text: string;
  try {
    if (!statSync(path).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    throw new RuntimeError('RUN721', `layout file "${file}" in the GitOps repository "${gitopsDir}" ${why}`, {
      hint: `pass --layout naming the layout file itself (default ${DEFAULT_LAYOUT_FILE}), not its folder`,
    });
  }
  return parseLayout(text, file);
}

/** Where a service is deployed in an environment. Unknown service or environment: a clear error. */
export function resolveTarget(layout: Layout, service: string, env: string): DeployTarget {
  const s = layout.services[service];
  if (!s) {
    const known = Object.keys(layout.services);
    throw new RuntimeError('RUN722', `service "${service}" is not in the layout "${layout.file}"; expected one of: ${known.map((k) => `"${k}"`).join(', ') || '(none)'}`, {
      hint: `add it under "services:" in ${layout.file}`,
    });
  }
  const raw = s.environments?.[env];
  const envs = [...new Set([...Object.keys(s.environments ?? {}), ...(layout.defaults.path ? layout.environments : [])])];
  let path: string | undefined;
  let settings: RawEnv = {};
  if (typeof raw === 'string') path = raw;
  else if (raw) {
    settings = raw;
    path = raw.path;
  }
  if (path === undefined && layout.defaults.path && (raw || layout.environments.includes(env))) {
    path = layout.defaults.path.replaceAll('{service}', service).replaceAll('{env}', env);
  }
  if (path === undefined) {
    throw new RuntimeError('RUN723', `environment "${env}" of service "${service}" is not in the layout "${layout.file}"; expected one of: ${envs.map((k) => `"${k}"`).join(', ') || '(none)'}`, {
      hint: `add "${env}: <folder>" under services.${service}.environments in ${layout.file}`,
    });
  }
  return {
    service,
    env,
    path,
    images: settings.images ?? s.images ?? [],
    helm: { ...layout.defaults.helm, ...s.helm, ...settings.helm },
    config: settings.config ?? s.config ?? [],
    render: settings.render ?? s.render ?? true,
  };
}
