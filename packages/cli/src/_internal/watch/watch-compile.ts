import { existsSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic, EmittedFile, Synthesizable, SynthInput } from '@argots/dsl';
import type { Io } from '../../io.js';
import { findFiles, pipelineFiles } from '../find-files.js';
import { isGeneratedByArgots } from '../generated-header.js';
import { applyOutput, compareOutput } from '../output-dir.js';
import type { Drift, WantedFile } from '../output-dir.js';
import { displayPath, hasErrors, plural, printDiagnostics } from '../report.js';
import { referencedNames } from './referenced-names.js';

type JsonObject = Readonly<Record<string, unknown>>;

export interface WatchOptions {
  readonly paths: readonly string[];
  readonly outDir: string;
  readonly prune: boolean;
  readonly io: Io;
}

/** What the watcher knows of one pipeline file after its last good compile. */
interface ModuleState {
  /** Every file the module is made of (itself, local imports, packages' entry files). */
  readonly deps: readonly string[];
  /** What its exports emitted, with the output path of each. */
  readonly objects: readonly { readonly object: JsonObject; readonly path: string; readonly name: string }[];
  /** The names its objects refer to other resources by. */
  readonly refers: ReadonlySet<string>;
}

/** How long to wait after a file-system event for the rest of a save (editors write in several steps). */
const settleMs = 8;

/**
 * `argots compile --watch`: compiles everything once, then, for each save, re-bundles and re-evaluates only
 * the pipeline modules made of the changed files (an edited helper recompiles every module importing it),
 * re-validates their objects against the others' (templateRefs and Sensors resolve across modules; the
 * modules referring to a changed one by name are re-validated too), and rewrites only the files whose content
 * changed. A broken edit prints its diagnostics and leaves the last good output in place. Resolves to 0 on
 * SIGINT or SIGTERM, once the watchers are closed.
 */
export async function watchCompile(options: WatchOptions): Promise<number> {
  const { io, outDir } = options;
  const cwd = io.cwd;
  const where = displayPath(cwd, outDir);
  const dsl = await import('@argots/dsl');
  const { loadPipelines } = await import('../load-pipelines.js');
  // A watch session reports every problem at its line: locations are always recorded.
  dsl.captureSourceLocations(true);
  const modules = new Map<string, ModuleState>();
  /** Files whose last compile failed: retried with every change, so that fixing a dependency clears them. */
  const failing = new Set<string>();
  const owner = (path: string): string[] => [...modules].filter(([, m]) => m.objects.some((o) => o.path === path)).map(([f]) => f);
  const isDep = (file: string): boolean => [...modules.values()].some((m) => m.deps.includes(file));

  async function cycle(changed: ReadonlySet<string> | 'all'): Promise<void> {
    const started = performance.now();
    let sourceFiles: string[];
    if (changed !== 'all' && [...changed].every((f) => modules.has(f) ? existsSync(f) : isDep(f))) {
      // Only known files were edited (the usual save): the set of pipeline files is unchanged.
      sourceFiles = [...modules.keys(), ...failing].filter((f, i, all) => all.indexOf(f) === i);
    } else {
      try {
        sourceFiles = findFiles(options.paths, cwd, pipelineFiles);
      } catch (error) {
        io.stderr.write(`✖ ${error instanceof Error ? error.message : String(error)}\n`);
        return;
      }
    }
    const present = new Set(sourceFiles);
    const removed = [...modules.keys()].filter((f) => !present.has(f));
    const affected = new Set<string>(failing);
    for (const f of sourceFiles) {
      const m = modules.get(f);
      if (changed === 'all' || !m || m.deps.some((d) => changed.has(d))) affected.add(f);
    }
    for (const f of [...affected]) if (!present.has(f)) affected.delete(f);
    // Modules that refer by name (templateRef, workflowTemplateRef, eventSourceName) to what the changed ones
    // emit are validated again with them.
    const names = new Set<string>();
    for (const f of [...affected, ...removed]) for (const o of modules.get(f)?.objects ?? []) names.add(o.name);
    if (names.size > 0) {
      for (const [f, m] of modules) {
        if (!affected.has(f) && present.has(f) && [...names].some((n) => m.refers.has(n))) affected.add(f);
      }
    }
    if (affected.size === 0 && removed.length === 0) return;
    const toLoad = [...affected].sort();
    let loaded = await loadPipelines(toLoad, cwd, { sourceMaps: true });
    if (toLoad.length > 1 && hasErrors(loaded.diagnostics)) {
      // One file that does not parse fails the whole bundle: load each on its own, so that the others are
      // still compiled and their problems reported with it.
      const alone = await Promise.all(toLoad.map((f) => loadPipelines([f], cwd, { sourceMaps: true })));
      loaded = {
        modules: alone.flatMap((l) => l.modules),
        diagnostics: alone.flatMap((l) => l.diagnostics),
        packages: loaded.packages,
        dependencies: new Map(alone.flatMap((l) => [...l.dependencies])),
      };
    }
    const loadedFiles = new Set(loaded.modules.map((m) => m.file));
    const diagnostics: Diagnostic[] = [...loaded.diagnostics];
    const emitted = new Map<string, { object: JsonObject; path: string; name: string }[]>();
    const inputs: SynthInput[] = [];
    for (const m of loaded.modules) {
      const exportNames = Object.keys(m.exports).sort();
      const list: { object: JsonObject; path: string; name: string }[] = [];
      emitted.set(m.file, list);
      if (!exportNames.some((n) => dsl.isSynthesizable(m.exports[n]))) continue;
      const file = relative(cwd, m.file).split(sep).join('/');
      for (const exportName of exportNames) {
        const value = m.exports[exportName];
        inputs.push({ value: dsl.isSynthesizable(value) ? recording(value, dsl.SYNTH, list, dsl.kindToKebab) : value, exportName, file });
      }
    }
    const context: JsonObject[] = [];
    // The others' objects: the modules not loaded again, and the last good objects of those that failed to load.
    for (const [f, m] of modules) if (!loadedFiles.has(f) && present.has(f)) for (const o of m.objects) context.push(o.object);
    const result = dsl.synth(inputs, { context });
    diagnostics.push(...result.diagnostics);
    const elapsed = (): string => `${Math.round(performance.now() - started)} ms`;
    if (hasErrors(diagnostics)) {
      for (const f of toLoad) failing.add(f);
      // Keep what the broken modules were made of, so that saving any of those files tries again.
      for (const [f, d] of loaded.dependencies) {
        const m = modules.get(f);
        if (m) modules.set(f, { ...m, deps: [...new Set([...m.deps, ...d])] });
      }
      await printDiagnostics(io, diagnostics);
      io.stderr.write(`✖ ${elapsed()}: nothing was written; ${where}/ keeps the last good output\n`);
      return;
    }
    failing.clear();
    const before = new Set<string>();
    for (const f of [...affected, ...removed]) for (const o of modules.get(f)?.objects ?? []) before.add(o.path);
    for (const f of removed) modules.delete(f);
    for (const m of loaded.modules) {
      const objects = emitted.get(m.file) ?? [];
      modules.set(m.file, { deps: loaded.dependencies.get(m.file) ?? [m.file], objects, refers: new Set(objects.flatMap((o) => referencedNames(o.object))) });
    }
    const produced = new Map(result.files.map((f: EmittedFile) => [f.path, f.content] as const));
    const wanted: WantedFile[] = [...produced].map(([path, content]) => ({ path, content }));
    let drift: Drift;
    if (changed === 'all') drift = compareOutput(outDir, wanted);
    else {
      const missing: WantedFile[] = [];
      const changedFiles: { path: string; content: string; current: string }[] = [];
      let unchanged = 0;
      for (const f of wanted) {
        const full = resolve(outDir, f.path);
        const current = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
        if (current === undefined) missing.push(f);
        else if (current !== f.content) changedFiles.push({ ...f, current });
        else unchanged += 1;
      }
      // Files the changed modules produced before and no module produces now.
      const stale = [...before]
        .filter((p) => !produced.has(p) && owner(p).length === 0)
        .map((p) => resolve(outDir, p))
        .filter((full) => existsSync(full))
        .map((full) => ({ path: relative(outDir, full).split(sep).join('/'), current: readFileSync(full, 'utf8') }))
        .filter((f) => isGeneratedByArgots(f.current));
      drift = { missing, changed: changedFiles, stale, unchanged };
    }
    const applied: Drift = options.prune ? drift : { ...drift, stale: [] };
    try {
      applyOutput(outDir, applied);
    } catch (error) {
      io.stderr.write(`✖ could not write to ${where}/: ${error instanceof Error ? error.message : String(error)}\n`);
      return;
    }
    await printDiagnostics(io, diagnostics);
    const counts = [`${drift.missing.length} created`, `${drift.changed.length} updated`, `${drift.unchanged} unchanged`, `${applied.stale.length} removed`];
    const kept = options.prune ? [] : drift.stale;
    if (kept.length > 0) counts.push(`${kept.length} not produced, kept`);
    io.stdout.write(`✓ ${elapsed()}: compiled ${plural(loaded.modules.length, 'module')} (${counts.join(', ')})\n`);
    for (const f of drift.missing) io.stdout.write(`  + ${where}/${f.path}\n`);
    for (const f of drift.changed) io.stdout.write(`  ~ ${where}/${f.path}\n`);
    for (const f of applied.stale) io.stdout.write(`  - ${where}/${f.path}\n`);
    for (const f of kept) io.stdout.write(`  ? ${where}/${f.path} (no longer produced; kept: --prune removes it)\n`);
  }

  // One cycle at a time; changes that arrive meanwhile are gathered into the next.
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      const batch = pending;
      pending = new Set();
      running = running.then(() => cycle(batch)).catch((error: unknown) => {
        io.stderr.write(`✖ internal error while recompiling (this is a bug in argots): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      });
    }, settleMs);
  };

  await cycle('all');
  const watchers = new Map<string, FSWatcher>();
  const roots = options.paths.map((p) => resolve(cwd, p));
  const isSource = (file: string): boolean =>
    pipelineFiles.include(file.slice(file.lastIndexOf(sep) + 1)) && roots.some((r) => file === r || file.startsWith(r + sep)) && !file.startsWith(outDir + sep);
  const onEvent = (dir: string) => (_event: string, name: string | Buffer | null): void => {
    if (name === null) return;
    const file = resolve(dir, name.toString());
    if (!isSource(file) && !isDep(file)) return;
    pending.add(file);
    schedule();
  };
  // One non-recursive watch per folder: Node 20's recursive watch on Linux misses a file replaced by a rename
  // (how most editors save), a folder watch sees every name that changes in it.
  const watchDir = (dir: string): void => {
    if (watchers.has(dir) || dir.split(sep).includes('node_modules')) return;
    try {
      watchers.set(dir, watch(dir, onEvent(dir)));
    } catch (error) {
      io.stderr.write(`⚠ cannot watch ${displayPath(cwd, dir)}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  const watchAll = (): void => {
    for (const r of roots) {
      if (existsSync(r) && statSync(r).isDirectory()) for (const d of foldersUnder(r, outDir)) watchDir(d);
      else watchDir(dirname(r));
    }
    // Helpers outside the given paths: their folders.
    for (const m of modules.values()) for (const d of m.deps) if (!roots.some((r) => d.startsWith(r + sep))) watchDir(dirname(d));
  };
  watchAll();
  io.stderr.write(`watching ${plural(modules.size, 'pipeline file')} for changes (Ctrl-C to stop)\n`);
  // New folders, and helpers imported after an edit, are watched too.
  const rewatch = setInterval(watchAll, 1000);
  rewatch.unref();

  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  clearInterval(rewatch);
  if (timer) clearTimeout(timer);
  for (const w of watchers.values()) w.close();
  await running;
  (await import('esbuild')).stop();
  io.stderr.write('stopped watching\n');
  return 0;
}

/** `dir` and the folders under it that may hold pipelines (as `findFiles` walks them), but not `outDir`. */
function foldersUnder(dir: string, outDir: string): string[] {
  const out = [dir];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = join(dir, entry.name);
    if (full !== outDir) out.push(...foldersUnder(full, outDir));
  }
  return out;
}

/** `value`, noting each object it emits (and the output path synth gives it) in `into`. */
function recording(value: Synthesizable, brand: symbol, into: { object: JsonObject; path: string; name: string }[], kindToKebab: (kind: string) => string): Synthesizable {
  const synthesize = (value as unknown as Record<symbol, () => readonly { object: JsonObject }[]>)[brand]!;
  return {
    [brand]: () => {
      const resources = synthesize.call(value);
      for (const r of resources) {
        const metadata = (r.object['metadata'] ?? {}) as Record<string, unknown>;
        const name = String(metadata['name'] ?? metadata['generateName'] ?? '');
        into.push({ object: r.object, path: `${kindToKebab(String(r.object['kind'] ?? ''))}/${name}.yaml`, name });
      }
      return resources;
    },
  } as unknown as Synthesizable;
}
