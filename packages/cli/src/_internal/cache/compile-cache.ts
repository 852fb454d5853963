import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmittedFile, Synthesizable, SynthesizedResource } from '@argots/dsl';
import { isGeneratedByArgots } from '../generated-header.js';
import { nodeConditions } from '../node-conditions.js';
import { cacheKey, openCache, sha256 } from './content-cache.js';
import type { ContentCache } from './content-cache.js';

type JsonObject = Readonly<Record<string, unknown>>;
/** What one module emitted: for each export, the objects its SYNTH returned. */
type ModuleObjects = Readonly<Record<string, readonly JsonObject[]>>;

/** A module entry: the files the module is made of (with their hashes) and what it emitted. */
interface ModuleEntry {
  readonly deps: readonly (readonly [string, string])[];
  readonly exports: ModuleObjects;
}

/** A run entry: every file the sources are made of, and the hash of each YAML file they compile to. */
interface RunEntry {
  readonly deps: readonly (readonly [string, string])[];
  readonly files: readonly (readonly [path: string, hash: string, kind: string, name: string])[];
  /** The sources passed TypeScript's type check when this entry was recorded. */
  readonly typechecked?: boolean;
}

/** A YAML file a run entry says the sources compile to. */
export interface CachedFile {
  readonly path: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * `--cache DIR` for `compile` and `check`. Two kinds of entries, each keyed by the hash of its inputs (the
 * argots version, the hash of the @argots/dsl it runs with, the export conditions, and the source files' paths
 * and contents) and holding the hash of every other file it depends on (imported helpers, packages' entry
 * files), checked before the entry is used:
 * - a run entry: the hashes of the YAML files the sources compile to, so that `check` over unchanged
 *   sources reads the output folder and compares hashes, loading neither esbuild nor the DSL;
 * - a module entry per pipeline file: the objects each export emitted, so that a compile after an edit loads
 *   and evaluates only the modules whose files changed (everything is still validated and written together).
 * Only compiles with no diagnostic at all are recorded.
 */
export interface CompileCache {
  /** The modules among `sourceFiles` with a valid entry: for each, what its exports emitted. */
  cachedModules(sourceFiles: readonly string[]): Map<string, ModuleObjects>;
  /** A module's cached exports as values `synth` accepts. */
  synthesizable(exports: ModuleObjects, brand: symbol): Record<string, unknown>;
  /** `value`, reporting the objects it emits to `onEmit` when synth asks for them. */
  recording(value: Synthesizable, brand: symbol, onEmit: (objects: readonly JsonObject[]) => void): Synthesizable;
  /** Records the fresh modules' objects and the run (after a compile of `sourceFiles` with no diagnostic). */
  recordModules(emitted: ReadonlyMap<string, ReadonlyMap<string, readonly JsonObject[]>>, dependencies: ReadonlyMap<string, readonly string[]>, files: readonly EmittedFile[], typechecked: boolean): void;
  /**
   * The files, when a run entry for exactly these sources says they compile to what `outDir` holds (every
   * file's hash matches, and no other generated file is there). Undefined means "don't know": compile them.
   * With `typechecked`, only an entry recorded after a passing type check of these same sources counts.
   */
  upToDate(sourceFiles: readonly string[], outDir: string, options?: { readonly typechecked?: boolean }): readonly CachedFile[] | undefined;
}

const format = '1';

function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function listYaml(dir: string, base: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) listYaml(full, base, out);
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push(relative(base, full).split(sep).join('/'));
  }
}

export function openCompileCache(dir: string, cwd: string): CompileCache {
  const store: ContentCache = openCache(dir);
  const hashes = new Map<string, string | null>();
  /** A file's hash (memoised: a package's entry file is shared by every module), null when unreadable. */
  const hashOf = (file: string): string | null => {
    let h = hashes.get(file);
    if (h === undefined) {
      try {
        h = sha256(readFileSync(file));
      } catch {
        h = null;
      }
      hashes.set(file, h);
    }
    return h;
  };
  const rel = (file: string): string => relative(cwd, file).split(sep).join('/');
  const abs = (file: string): string => resolve(cwd, file);
  let fingerprintParts: string[] | undefined;
  const fingerprint = (): string[] => {
    if (!fingerprintParts) {
      const dsl = fileURLToPath(import.meta.resolve('@argots/dsl'));
      fingerprintParts = [`argots-cache-format ${format}`, cliVersion(), hashOf(dsl) ?? 'no-dsl', nodeConditions(process.execArgv, process.env['NODE_OPTIONS']).join(',')];
    }
    return fingerprintParts;
  };
  const moduleKey = (file: string): string => cacheKey(['module', ...fingerprint(), rel(file), hashOf(file) ?? '']);
  const runKey = (sourceFiles: readonly string[]): string => cacheKey(['run', ...fingerprint(), ...sourceFiles.flatMap((f) => [rel(f), hashOf(f) ?? ''])]);
  const depsHold = (deps: unknown): deps is readonly (readonly [string, string])[] =>
    Array.isArray(deps) && deps.every((d) => Array.isArray(d) && typeof d[0] === 'string' && d[1] === hashOf(abs(d[0])));
  /** The deps each cached module was recorded with (for the run entry). */
  const moduleDeps = new Map<string, readonly string[]>();

  return {
    cachedModules(sourceFiles) {
      const out = new Map<string, ModuleObjects>();
      for (const file of sourceFiles) {
        const entry = store.read(moduleKey(file)) as Partial<ModuleEntry> | undefined;
        if (!entry || !depsHold(entry.deps) || typeof entry.exports !== 'object' || entry.exports === null) continue;
        moduleDeps.set(file, entry.deps.map(([d]) => abs(d)));
        out.set(file, entry.exports);
      }
      return out;
    },
    synthesizable(exports, brand) {
      const out: Record<string, unknown> = {};
      for (const [name, objects] of Object.entries(exports)) {
        out[name] = { [brand]: (): readonly SynthesizedResource[] => objects.map((object) => ({ object, source: undefined })) };
      }
      return out;
    },
    recording(value, brand, onEmit) {
      const synthesize = (value as unknown as Record<symbol, () => readonly SynthesizedResource[]>)[brand]!;
      return {
        [brand]: () => {
          const resources = synthesize.call(value);
          onEmit(resources.map((r) => r.object));
          return resources;
        },
      } as unknown as Synthesizable;
    },
    recordModules(emitted, dependencies, files, typechecked) {
      const sourceFiles = [...new Set([...emitted.keys(), ...moduleDeps.keys()])].sort();
      for (const [file, exports] of emitted) {
        const deps = dependencies.get(file) ?? [file];
        moduleDeps.set(file, deps);
        const entry: ModuleEntry = { deps: deps.map((d) => [rel(d), hashOf(d) ?? ''] as const), exports: Object.fromEntries(exports) };
        store.write(moduleKey(file), entry);
      }
      const allDeps = new Set<string>();
      for (const f of sourceFiles) for (const d of moduleDeps.get(f) ?? [f]) allDeps.add(d);
      const run: RunEntry = {
        deps: [...allDeps].sort().map((d) => [rel(d), hashOf(d) ?? ''] as const),
        files: files.map((f) => [f.path, sha256(f.content), f.kind, f.name] as const),
        ...(typechecked ? { typechecked: true } : {}),
      };
      store.write(runKey(sourceFiles), run);
    },
    upToDate(sourceFiles, outDir, options) {
      const entry = store.read(runKey(sourceFiles)) as Partial<RunEntry> | undefined;
      if (!entry || !depsHold(entry.deps) || !Array.isArray(entry.files) || !existsSync(outDir)) return undefined;
      // `check` type-checks by default: a run recorded without a passing type check cannot stand in for one.
      if (options?.typechecked === true && entry.typechecked !== true) return undefined;
      const wanted = new Map(entry.files.map(([p, h]) => [p, h] as const));
      const present: string[] = [];
      listYaml(outDir, outDir, present);
      let found = 0;
      for (const p of present) {
        const content = readFileSync(join(outDir, p));
        const want = wanted.get(p);
        if (want === undefined) {
          // Another generated file (stale): `check` reports it, `compile` keeps or prunes it. Not for the cache.
          if (isGeneratedByArgots(content.toString('utf8'))) return undefined;
        } else if (sha256(content) !== want) return undefined;
        else found += 1;
      }
      return found === wanted.size ? entry.files.map(([path, , kind, name]) => ({ path, kind, name })) : undefined;
    },
  };
}
