import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic, EmittedFile, SynthInput } from '@argots/dsl';
import type { CompileCache } from './cache/compile-cache.js';
import { findFiles, pipelineFiles } from './find-files.js';
import { UserError } from './user-error.js';

/** The outcome of compiling pipeline sources in memory: what would be written, and what is wrong. */
export interface CompiledSources {
  readonly sourceFiles: readonly string[];
  readonly files: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
  /** With `typecheck`: which TypeScript checked the sources, and how long it took. */
  readonly typecheck?: { readonly typescript: string; readonly tsconfig: string | undefined; readonly ms: number };
}

export interface CompileOptions {
  /** `--cache DIR`: modules whose files did not change are not loaded again; their objects come from it. */
  readonly cache?: CompileCache;
  /** Run TypeScript's type checker over the sources first; type errors stop the compile (nothing is emitted). */
  readonly typecheck?: boolean;
  /** The sources passed a type check in this run (recorded with the cache's run entry). */
  readonly typechecked?: boolean;
}

/** Finds the pipeline files under `paths`; a path that holds none is a user error. */
export function findSourceFiles(paths: readonly string[], cwd: string): string[] {
  const sourceFiles = findFiles(paths, cwd, pipelineFiles);
  if (sourceFiles.length === 0) {
    throw new UserError(`found no ${pipelineFiles.description} in ${paths.map((p) => `"${p}"`).join(', ')}`, 'pass the directories or files that hold your pipelines');
  }
  return sourceFiles;
}

/** Finds the pipeline files under `paths`, loads them, and passes every export of every module to `synth`. */
export async function compileSources(paths: readonly string[], cwd: string, options: CompileOptions = {}): Promise<CompiledSources> {
  return compileSourceFiles(findSourceFiles(paths, cwd), cwd, options);
}

/** {@link compileSources} of files already found. */
export async function compileSourceFiles(sourceFiles: readonly string[], cwd: string, options: CompileOptions = {}): Promise<CompiledSources> {
  if (options.typecheck) {
    const started = performance.now();
    const { typecheck } = await import('./typecheck.js');
    const checked = await typecheck(sourceFiles.filter((f) => /\.[cm]?tsx?$/.test(f)), cwd);
    const info = { typescript: checked.typescript, tsconfig: checked.tsconfig, ms: Math.round(performance.now() - started) };
    if (checked.diagnostics.some((d) => d.severity === 'error')) return { sourceFiles, files: [], diagnostics: checked.diagnostics, typecheck: info };
    const compiled = await compileSourceFiles(sourceFiles, cwd, { ...options, typecheck: false, typechecked: checked.diagnostics.length === 0 });
    return { ...compiled, diagnostics: [...checked.diagnostics, ...compiled.diagnostics], typecheck: info };
  }
  // The usual run has nothing to report, so it needs no locations: no source maps (they cost esbuild and
  // Node time) and no builder call sites (a stack capture per builder call). When there is anything to
  // report, everything is compiled again with both, so that each diagnostic points at the TypeScript line it
  // is about: the error path pays, the usual one does not. Cached objects carry no locations either: the
  // second pass never reads the cache.
  const fast = await compileOnce(sourceFiles, cwd, false, options.cache, options.typechecked === true);
  if (fast.diagnostics.length === 0) return fast;
  return compileOnce(sourceFiles, cwd, true, undefined, false);
}

async function compileOnce(sourceFiles: readonly string[], cwd: string, locations: boolean, cache: CompileCache | undefined, typechecked: boolean): Promise<CompiledSources> {
  const dsl = import('@argots/dsl');
  const cached = cache ? cache.cachedModules(sourceFiles) : new Map();
  const toLoad = sourceFiles.filter((f) => !cached.has(f));
  // esbuild and the DSL are loaded here, on first use: `argots --help` does not pay for them. The DSL loads
  // while esbuild bundles the pipelines (in its own process).
  const loader = toLoad.length > 0 ? await import('./load-pipelines.js') : undefined;
  let restore: boolean | undefined;
  try {
    const loaded = loader
      ? await loader.loadPipelines(toLoad, cwd, {
          sourceMaps: locations,
          beforeEvaluate: async () => {
            const before = (await dsl).captureSourceLocations(locations);
            restore ??= before;
          },
        })
      : { modules: [], diagnostics: [], packages: new Map<string, ReadonlySet<string>>(), dependencies: new Map<string, readonly string[]>() };
    const { isSynthesizable, synth, SYNTH } = await dsl;
    const inputs: SynthInput[] = [];
    // What each freshly loaded module emitted, by export, kept for the cache (recorded once all is well).
    const emitted = new Map<string, Map<string, readonly Readonly<Record<string, unknown>>[]>>();
    const modules = [
      ...loaded.modules.map((m) => ({ file: m.file, exports: m.exports, fresh: true })),
      ...[...cached].map(([file, exports]) => ({ file, exports: cache!.synthesizable(exports, SYNTH), fresh: false })),
    ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    for (const m of modules) {
      const names = Object.keys(m.exports).sort();
      // A module that exports no pipeline or resource is a helper (shared templates, constants): skipped. One
      // that does has all its exports checked, so a stray export (a builder not called) is reported.
      if (m.fresh && cache) emitted.set(m.file, new Map());
      if (!names.some((n) => isSynthesizable(m.exports[n]))) continue;
      // Relative, with forward slashes: the generated header names the source the same way on every machine.
      const file = relative(cwd, m.file).split(sep).join('/');
      for (const exportName of names) {
        const value = m.exports[exportName];
        const record = emitted.get(m.file);
        inputs.push({ value: record && isSynthesizable(value) ? cache!.recording(value, SYNTH, (objects) => record.set(exportName, objects)) : value, exportName, file });
      }
    }
    const result = synth(inputs);
    const diagnostics = [...loaded.diagnostics, ...(loader ? twoCopies(loaded.packages, loader.loaderCodes.twoCopies) : []), ...result.diagnostics];
    if (cache && diagnostics.length === 0) cache.recordModules(emitted, loaded.dependencies, result.files, typechecked);
    return { sourceFiles, files: result.files, diagnostics };
  } finally {
    if (restore !== undefined) (await dsl).captureSourceLocations(restore);
  }
}

/**
 * Pipelines that import another copy of @argots/dsl than this CLI's own would not be recognised as
 * pipelines (and compile to nothing): say so instead.
 */
function twoCopies(packages: ReadonlyMap<string, ReadonlySet<string>>, code: string): Diagnostic[] {
  const own = import.meta.resolve('@argots/dsl');
  const theirs = [...(packages.get('@argots/dsl') ?? [])].filter((url) => url !== own);
  return theirs.map((url) => ({
    code,
    severity: 'error',
    message: `the pipelines import @argots/dsl from "${fileURLToPath(url)}", but this argots runs with "${fileURLToPath(own)}"`,
    path: '',
    hint: "run the argots installed next to the pipelines (npx argots …, or a package.json script), so that both use one @argots/dsl",
  }));
}
