import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Message, Metafile, OnResolveResult, Plugin } from 'esbuild';
import type { Diagnostic } from '@argots/dsl';
import { nodeConditions } from './node-conditions.js';
import { stackLocation } from './stack-location.js';

/** One evaluated pipeline module: its file (absolute) and everything it exports. */
export interface LoadedModule {
  readonly file: string;
  readonly exports: Readonly<Record<string, unknown>>;
}

export interface LoadResult {
  readonly modules: readonly LoadedModule[];
  readonly diagnostics: readonly Diagnostic[];
  /** Every package the pipelines import (`@argots/dsl`), with the file URLs it resolved to. */
  readonly packages: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * For each pipeline file (absolute), every file its module is made of (absolute, sorted): itself, the local
   * modules it imports (transitively), and the entry file of each package it imports. An edit to any of them
   * changes what the module exports (`compile --watch` and `--cache` key on them).
   */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

/** Codes of the diagnostics the loader reports (the DSL's own codes are documented in its README). */
export const loaderCodes = {
  /** esbuild could not parse or resolve the TypeScript. */
  syntax: 'ARG901',
  /** The module threw while it was evaluated. */
  threw: 'ARG902',
  /** The pipelines import another copy of @argots/dsl than the one this argots runs with. */
  twoCopies: 'ARG903',
} as const;

/**
 * Bare imports (`@argots/dsl`, `yaml`) stay imports, but of the absolute file the pipeline's own project
 * resolves them to: Node then loads each package once, shared by the CLI and every pipeline.
 */
function externalPackages(packages: Map<string, Set<string>>): Plugin {
  return {
    name: 'argots-external-packages',
    setup(b) {
      // One resolution per directory and specifier, shared by the (concurrent) imports that ask for it.
      const cache = new Map<string, Promise<OnResolveResult>>();
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.pluginData === 'argots-resolving') return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const key = `${args.resolveDir}\u0000${args.kind}\u0000${args.path}`;
        let pending = cache.get(key);
        if (!pending) {
          pending = b
            .resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'argots-resolving' })
            .then((r) => {
              if (r.errors.length > 0) return { errors: r.errors };
              // A tsconfig `paths` alias resolves to the project's own source: bundle it like a relative import.
              if (isProjectSource(r.path) && !isInstalledPackage(args.path, args.resolveDir)) return { path: r.path };
              const url = pathToFileURL(r.path).href;
              const seen = packages.get(args.path) ?? new Set<string>();
              packages.set(args.path, seen.add(url));
              return { path: url, external: true };
            });
          cache.set(key, pending);
        }
        return pending;
      });
    },
  };
}

/** A resolved file that is the project's own source (not an installed package): bundled, never external. */
function isProjectSource(path: string): boolean {
  return !path.split(/[\\/]/).includes('node_modules') && /\.(?:[cm]?ts|tsx)$/.test(path);
}

/** Whether `specifier` names a package installed in a node_modules folder above `dir` (not an alias). */
function isInstalledPackage(specifier: string, dir: string): boolean {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules', name))) return true;
    if (dirname(d) === d) return false;
  }
}

/** esbuild's note, or ours where its note names esbuild options that argots does not have. */
function loaderHint(m: Message): string {
  const note = m.notes[0]?.text;
  const missing = /^Could not resolve "([^"]+)"/.exec(m.text);
  if (missing && (note === undefined || /as external|--external|"external"/.test(note))) {
    return `install "${missing[1]}" in the pipelines' project (npm install ${missing[1]}), or check the spelling; relative imports and tsconfig "paths" aliases are followed`;
  }
  return note ?? 'fix the file so that it parses and its imports resolve from its own project';
}

function messageToDiagnostic(m: Message, cwd: string): Diagnostic {
  const loc = m.location;
  const file = loc ? resolve(cwd, loc.file) : undefined;
  return {
    code: loaderCodes.syntax,
    severity: 'error',
    message: `TypeScript could not be loaded: ${m.text}`,
    path: '',
    ...(loc && file ? { source: { file, line: loc.line, column: loc.column + 1 } } : {}),
    hint: loaderHint(m),
  };
}

/** A bundle esbuild wrote to its `outfile`, and the local files in it. */
interface Bundle {
  readonly file: string;
  readonly sources: ReadonlySet<string>;
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
}

/** Each entry's files, from esbuild's metafile: a walk of the import graph from the entry. */
function entryDependencies(files: readonly string[], metafile: Metafile, cwd: string): Map<string, readonly string[]> {
  const imports = new Map<string, { local: string[]; external: string[] }>();
  for (const [key, input] of Object.entries(metafile.inputs)) {
    if (key.startsWith('<')) continue;
    const local: string[] = [];
    const external: string[] = [];
    for (const i of input.imports) {
      if (i.external) {
        if (i.path.startsWith('file:')) external.push(fileURLToPath(i.path));
      } else if (!i.path.startsWith('<')) local.push(resolve(cwd, i.path));
    }
    imports.set(resolve(cwd, key), { local, external });
  }
  const out = new Map<string, readonly string[]>();
  for (const file of files) {
    const seen = new Set<string>();
    const todo = [file];
    while (todo.length > 0) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      const i = imports.get(f);
      if (!i) continue;
      for (const e of i.external) seen.add(e);
      todo.push(...i.local);
    }
    out.set(file, [...seen].sort());
  }
  return out;
}

async function bundle(files: readonly string[], cwd: string, outfile: string, packages: Map<string, Set<string>>, sourceMaps: boolean): Promise<Bundle | readonly Diagnostic[]> {
  const entry = files.map((f, i) => `export * as m${i} from ${JSON.stringify(f)};`).join('\n');
  let result;
  try {
    result = await build({
      stdin: { contents: entry, resolveDir: cwd, sourcefile: 'argots-entry.js', loader: 'js' },
      absWorkingDir: cwd,
      bundle: true,
      // esbuild writes the file itself: 5 MB for a thousand pipelines need not travel through this process.
      write: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile,
      // A source map costs esbuild time and a larger module for Node to compile: only made when asked for.
      ...(sourceMaps ? { sourcemap: 'inline' as const, sourcesContent: false } : {}),
      metafile: true,
      logLevel: 'silent',
      conditions: nodeConditions(process.execArgv, process.env['NODE_OPTIONS']),
      plugins: [externalPackages(packages)],
    });
  } catch (error) {
    const failure = error as { errors?: Message[] };
    if (Array.isArray(failure.errors)) return failure.errors.map((m) => messageToDiagnostic(m, cwd));
    throw error;
  }
  const metafile: Metafile = result.metafile;
  const sources = new Set(Object.keys(metafile.inputs).filter((k) => !k.startsWith('<')).map((k) => resolve(cwd, k)));
  return { file: outfile, sources, dependencies: entryDependencies(files, metafile, cwd) };
}

function threwDiagnostic(error: unknown, file: string, sources: ReadonlySet<string>, cwd: string): Diagnostic[] {
  const own = (error as { diagnostics?: unknown }).diagnostics;
  const stack = error instanceof Error ? error.stack : undefined;
  const where = stackLocation(stack, sources) ?? { file, line: 1, column: 1 };
  if (Array.isArray(own) && own.length > 0) {
    return (own as Diagnostic[]).map((d) => (d.source ? d : { ...d, source: where }));
  }
  const what = error instanceof Error ? `${error.name}: ${error.message}` : `the value ${JSON.stringify(error) ?? String(error)}`;
  return [
    {
      code: loaderCodes.threw,
      severity: 'error',
      message: `pipeline module "${relative(cwd, file)}" threw while it was loaded: ${what}`,
      path: '',
      source: where,
      hint: 'a pipeline module must evaluate without throwing; fix the statement at that line',
    },
  ];
}

export interface LoadOptions {
  /**
   * Map stack traces and captured builder locations back to the TypeScript files (default true). Without
   * source maps, locations point into the temporary bundle: callers that only need the objects when nothing
   * is wrong (compile's first pass) load without them and reload with them when there is something to report.
   * A module that throws is always reported with source maps.
   */
  readonly sourceMaps?: boolean;
  /** Runs once the modules are bundled, before any of them is evaluated (each time they are). */
  readonly beforeEvaluate?: () => Promise<void> | void;
}

/**
 * Loads TypeScript pipeline modules with no build step: esbuild bundles them (relative imports inlined,
 * packages kept as imports) into one temporary ES module, which Node then evaluates, so a thousand files
 * cost one module load. A module that throws is reported with its file and line; the others are still
 * loaded (each on its own) so that every problem is reported at once.
 */
export async function loadPipelines(files: readonly string[], cwd: string, options: LoadOptions = {}): Promise<LoadResult> {
  const packages = new Map<string, Set<string>>();
  if (files.length === 0) return { modules: [], diagnostics: [], packages, dependencies: new Map() };
  const sourceMaps = options.sourceMaps ?? true;
  if (sourceMaps) process.setSourceMapsEnabled(true);
  const dir = mkdtempSync(join(tmpdir(), 'argots-load-'));
  try {
    const together = await evaluate(files, cwd, join(dir, 'pipelines.mjs'), packages, sourceMaps, options.beforeEvaluate);
    if (!('error' in together)) return { ...together, packages };
    // One module threw and took the others down with it: load each alone to tell which, and report all.
    process.setSourceMapsEnabled(true);
    const modules: LoadedModule[] = [];
    const diagnostics: Diagnostic[] = [];
    const dependencies = new Map<string, readonly string[]>();
    for (const [i, file] of files.entries()) {
      const alone = await evaluate([file], cwd, join(dir, `pipeline-${i}.mjs`), packages, true, options.beforeEvaluate);
      if ('error' in alone) diagnostics.push(...threwDiagnostic(alone.error, file, alone.sources, cwd));
      else {
        modules.push(...alone.modules);
        diagnostics.push(...alone.diagnostics);
      }
      for (const [f, d] of alone.dependencies) dependencies.set(f, d);
    }
    return { modules, diagnostics, packages, dependencies };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function evaluate(
  files: readonly string[],
  cwd: string,
  outfile: string,
  packages: Map<string, Set<string>>,
  sourceMaps: boolean,
  beforeEvaluate: LoadOptions['beforeEvaluate'],
): Promise<Omit<LoadResult, 'packages'> | { readonly error: unknown; readonly sources: ReadonlySet<string>; readonly dependencies: ReadonlyMap<string, readonly string[]> }> {
  const bundled = await bundle(files, cwd, outfile, packages, sourceMaps);
  if (!('file' in bundled)) return { modules: [], diagnostics: bundled as readonly Diagnostic[], dependencies: new Map() };
  await beforeEvaluate?.();
  let namespace: Record<string, Record<string, unknown>>;
  try {
    namespace = (await import(pathToFileURL(bundled.file).href)) as Record<string, Record<string, unknown>>;
  } catch (error) {
    return { error, sources: bundled.sources, dependencies: bundled.dependencies };
  }
  const modules = files.map((file, i) => ({ file, exports: { ...(namespace[`m${i}`] ?? {}) } }));
  return { modules, diagnostics: [], dependencies: bundled.dependencies };
}
