/**
 * Which files are code and which are configuration, and which service each belongs to. Read from a file
 * committed in the application repository (default `.argots/changes.yaml`); every list is an ordered glob
 * list where `!pattern` excludes and the last match wins.
 *
 * ```yaml
 * services:                      # monorepo: services by path
 *   api: services/api            # a folder (everything under it), or globs
 *   web: [services/web/**, "!services/web/docs/**"]
 * config: [deploy/**, "!deploy/scripts/**"]   # added to the defaults
 * code: [tools/gen.yaml]                      # always code (checked first)
 * ignore: [notes/**]                          # neither (docs, licences)
 * defaults: true                              # false: start from empty lists
 * ```
 *
 * Precedence: `code` (lockfiles, build files) → `ignore` → `config` → anything else is code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RuntimeError } from '../runtime-error.js';
import { assertInside } from '../manifests/safe-path.js';
import { compileGlobList, fileName, isFolderPattern, lazyGlobList, normalizePattern } from './_internal/glob-list.js';
import type { GlobList } from './_internal/glob-list.js';

export const DEFAULT_RULES_FILE = '.argots/changes.yaml';

/** Lockfiles and build definitions: they change what is built, so they are code even when they look like config. */
export const DEFAULT_CODE = [
  '**/package-lock.json', '**/pnpm-lock.yaml', '**/yarn.lock', '**/npm-shrinkwrap.json', '**/bun.lockb',
  '**/go.mod', '**/go.sum', '**/Cargo.lock', '**/Cargo.toml', '**/poetry.lock', '**/Pipfile.lock', '**/uv.lock',
  '**/requirements*.txt', '**/Gemfile.lock', '**/composer.lock', '**/packages.lock.json', '**/gradle.lockfile',
  '**/package.json', '**/pom.xml', '**/build.gradle', '**/build.gradle.kts', '**/settings.gradle*', '**/Makefile',
  '**/Dockerfile', '**/*.Dockerfile', '**/Dockerfile.*', '**/Containerfile', '**/.dockerignore',
  '**/docker-bake.hcl', '**/docker-bake.json', '**/docker-bake.override.hcl', '**/docker-bake.override.json',
  '**/compose.yaml', '**/compose.yml', '**/docker-compose.yml', '**/docker-compose.yaml', '**/tsconfig*.json',
  '.argots/**',
] as const;

/** Kubernetes manifests, config maps, Helm values, Kustomize files, env files, config folders. */
export const DEFAULT_CONFIG = [
  '**/kustomization.yaml', '**/kustomization.yml', '**/Kustomization', '**/values*.yaml', '**/values*.yml',
  '**/*.env', '**/.env', '**/.env.*', 'config/**', '**/config/**', '**/configmap*.yaml', '**/configmap*.yml',
  '**/*-configmap.yaml', '**/*.configmap.yaml', 'k8s/**', '**/k8s/**', 'kubernetes/**', 'deploy/**', '**/deploy/**',
  'manifests/**', '**/manifests/**', 'helm/**', '**/helm/**', 'charts/**',
] as const;

/** Documentation: changes neither code nor configuration. */
export const DEFAULT_IGNORE = ['**/*.md', 'docs/**', '**/docs/**', 'LICENSE*', '**/LICENSE*', '.github/**', '**/.gitignore'] as const;

export type FileClass = 'code' | 'config' | 'ignored';

export interface ChangeRules {
  readonly source: string;
  readonly services: readonly { readonly name: string; readonly globs: GlobList }[];
  classify(path: string): FileClass;
  /**
   * The services a path belongs to, in the order declared (a path can belong to several when their globs
   * overlap). The answer may be shared with other paths': copy it to change it.
   */
  servicesOf(path: string): readonly string[];
}

type Obj = Record<string, unknown>;

const SLASH = 47; // `/`

// Compiled lists are immutable; the default lists are compiled once per process.
const compiled = new Map<string, GlobList>();
function compileCached(patterns: readonly string[]): GlobList {
  const key = patterns.join('\0');
  let list = compiled.get(key);
  if (!list) {
    list = compileGlobList(patterns);
    if (compiled.size > 64) compiled.clear();
    compiled.set(key, list);
  }
  return list;
}

function list(file: string, key: string, v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return list(file, key, [v]);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    const empty = v.findIndex((x) => x.trim() === '' || x.trim() === '!');
    if (empty !== -1) {
      throw new RuntimeError('RUN800', `change rules "${file}": ${key}[${empty}] is an empty glob, received ${JSON.stringify(v[empty])}`, {
        hint: 'remove it, or write "." for the whole repository',
      });
    }
    return v;
  }
  throw new RuntimeError('RUN800', `change rules "${file}": ${key} must be a glob or a list of globs, received ${JSON.stringify(v)}`, {
    hint: 'write globs such as "deploy/**" or "!deploy/scripts/**"',
  });
}

export function parseChangeRules(text: string | undefined, file = DEFAULT_RULES_FILE): ChangeRules {
  let raw: unknown = {};
  if (text !== undefined) {
    try {
      raw = parse(text) ?? {};
    } catch (e) {
      throw new RuntimeError('RUN801', `change rules "${file}" are not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`, { hint: 'fix the file, or delete it to use the defaults' });
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new RuntimeError('RUN800', `change rules "${file}" must be a map, received ${JSON.stringify(raw)}`, {
      hint: 'write a map with any of "services", "config", "code", "ignore" and "defaults" (see the @argots/runtime README)',
    });
  }
  const o = raw as Obj;
  const useDefaults = o['defaults'] !== false;
  const code = compileCached([...(useDefaults ? DEFAULT_CODE : []), ...list(file, 'code', o['code'])]);
  const config = compileCached([...(useDefaults ? DEFAULT_CONFIG : []), ...list(file, 'config', o['config'])]);
  const ignore = compileCached([...(useDefaults ? DEFAULT_IGNORE : []), ...list(file, 'ignore', o['ignore'])]);
  const svc = o['services'] ?? {};
  if (typeof svc !== 'object' || svc === null || Array.isArray(svc)) {
    throw new RuntimeError('RUN800', `change rules "${file}": services must be a map of service name to globs, received ${JSON.stringify(svc)}`, {
      hint: 'write one service a line, its name then its folder or globs, for example "api: services/api"',
    });
  }
  const entries = Object.entries(svc as Obj).map(([name, globs]) => {
    const patterns = list(file, `services.${name}`, globs);
    return { name, patterns, folders: patterns.every(isFolderPattern) };
  });
  // Services given as plain folders (the usual monorepo) are found by folder lookup, not by matching globs,
  // so their lists are only compiled if someone asks.
  const services = entries.map((e) => ({ name: e.name, globs: e.folders ? lazyGlobList(e.patterns) : compileGlobList(e.patterns) }));
  const byFolder = new Map<string, string[]>();
  // Services given as the repository itself (`.`, `./`): every path is theirs.
  const everywhere: string[] = [];
  const globbed: { readonly name: string; readonly globs: GlobList }[] = [];
  entries.forEach((e, order) => {
    if (e.folders) {
      for (const p of e.patterns) {
        const folder = normalizePattern(p);
        if (folder === '') everywhere.push(e.name);
        else byFolder.set(folder, [...(byFolder.get(folder) ?? []), e.name]);
      }
    } else {
      const s = services[order];
      if (s) globbed.push(s);
    }
  });
  const orderOf = new Map(entries.map((e, i) => [e.name, i]));
  const inOrder = (names: readonly string[]): string[] => [...new Set(names)].sort((a, b) => (orderOf.get(a) ?? 0) - (orderOf.get(b) ?? 0));
  // A path lies in a folder that is the path itself or its part before one of its `/`. Only parts with as
  // many `/` as some folder has can be one, so only those are looked up.
  const slashesIn = (s: string): number => s.split('/').length - 1;
  const depths = new Set([...byFolder.keys()].map(slashesIn));
  const deepest = Math.max(-1, ...depths);
  let lastFolders: { readonly key: string; readonly cut: boolean; readonly found: readonly string[] } = { key: '', cut: false, found: [] };
  return {
    source: text === undefined ? '(defaults)' : file,
    services,
    classify(path) {
      const name = fileName(path);
      return code.matchesFile(path, name) ? 'code' : ignore.matchesFile(path, name) ? 'ignored' : config.matchesFile(path, name) ? 'config' : 'code';
    },
    servicesOf(path) {
      // The folder services of a path depend only on its part before its `/` number `deepest` (all of it when
      // it has fewer): diffs list paths in order, so the next path usually has the same part, and the last
      // answer is kept for it.
      let found: readonly string[];
      const last = lastFolders;
      if (last.cut && path.length > last.key.length && path.charCodeAt(last.key.length) === SLASH && path.startsWith(last.key)) {
        found = last.found;
      } else {
        const names: string[] = everywhere.slice();
        let slashes = 0; // how many `/` lie before `i`
        let i = path.indexOf('/');
        for (; i !== -1 && slashes <= deepest; i = path.indexOf('/', i + 1), slashes++) {
          if (depths.has(slashes)) {
            const at = byFolder.get(path.slice(0, i));
            if (at) names.push(...at);
            if (slashes === deepest) break;
          }
        }
        const cut = i !== -1 && slashes === deepest;
        if (!cut && depths.has(slashes)) names.push(...(byFolder.get(path) ?? []));
        found = Object.freeze(names.length <= 1 ? names : inOrder(names));
        lastFolders = { key: cut ? path.slice(0, i) : path, cut, found };
      }
      if (globbed.length === 0) return found;
      const all = found.slice();
      for (const g of globbed) if (g.globs.matches(path)) all.push(g.name);
      return all.length === found.length || all.length <= 1 ? all : inOrder(all);
    },
  };
}

/** Reads the rules from the checkout (defaults when the file does not exist). */
export function loadChangeRules(repo: string, file = DEFAULT_RULES_FILE): ChangeRules {
  const path = assertInside(repo, file, 'change rules file');
  return parseChangeRules(existsSync(path) ? readRules(repo, file, path) : undefined, file);
}

/** The text of a rules file that exists; a folder or a file that cannot be read is a clear error. */
function readRules(repo: string, file: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'EISDIR') {
      throw new RuntimeError('RUN802', `change rules file "${file}" is a folder, expected a YAML file (in the repository "${repo}")`, {
        hint: `pass the path of the rules file itself, for example ${DEFAULT_RULES_FILE}; leave it out to use that file or the defaults`,
      });
    }
    throw new RuntimeError('RUN802', `change rules file "${file}" could not be read (${code}), expected a readable YAML file (in the repository "${repo}")`, {
      hint: 'make it a plain file readable by the user the step runs as, or remove it to use the defaults',
      cause: e,
    });
  }
}
