import { resolve } from 'node:path';
import type { Io } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { openCompileCache } from '../_internal/cache/compile-cache.js';
import { compileSourceFiles, findSourceFiles } from '../_internal/compile-sources.js';
import type { CompiledSources } from '../_internal/compile-sources.js';
import type { CachedFile } from '../_internal/cache/compile-cache.js';
import { applyOutput, compareOutput } from '../_internal/output-dir.js';
import type { Drift } from '../_internal/output-dir.js';
import { displayPath, hasErrors, plural, printDiagnostics, printJson } from '../_internal/report.js';
import { UserError } from '../_internal/user-error.js';
import { fileSystemError } from '../_internal/write-error.js';

async function run(args: ParsedArgs, io: Io): Promise<number> {
  const out = stringFlag(args, 'out');
  const toStdout = args.flags['stdout'] === true;
  const prune = args.flags['prune'] === true;
  if (toStdout && out !== undefined) throw new UserError('argots compile: --stdout and --out cannot be used together', 'use --stdout to print the YAML, or --out DIR to write it');
  if (toStdout && prune) throw new UserError('argots compile: --prune needs --out DIR (--stdout writes nothing, so it removes nothing)', 'drop --prune, or write with --out DIR');
  if (out === undefined && !toStdout) throw new UserError('argots compile: --out DIR (or --stdout) is required', "say where the YAML goes, e.g. 'argots compile pipelines --out manifests'");
  const cacheDir = stringFlag(args, 'cache');
  const cache = cacheDir === undefined ? undefined : openCompileCache(resolve(io.cwd, cacheDir), io.cwd);
  if (args.flags['watch'] === true) {
    if (out === undefined) throw new UserError('argots compile: --watch needs --out DIR', "say where the YAML goes, e.g. 'argots compile pipelines --out manifests --watch'");
    if (args.json) throw new UserError('argots compile: --watch prints as it goes and cannot be used with --json', 'drop --json');
    const { watchCompile } = await import('../_internal/watch/watch-compile.js');
    return watchCompile({ paths: args.positionals, outDir: resolve(io.cwd, out), prune, io });
  }
  const sourceFiles = findSourceFiles(args.positionals, io.cwd);
  if (out !== undefined && cache) {
    // The cache knows what these exact sources compile to, and DIR holds just that: nothing to do.
    const known = cache.upToDate(sourceFiles, resolve(io.cwd, out));
    if (known) return reportUnchanged(args, io, displayPath(io.cwd, resolve(io.cwd, out)), sourceFiles.length, known);
  }
  const compiled = await compileSourceFiles(sourceFiles, io.cwd, cache ? { cache } : {});
  if (out === undefined) return printToStdout(args, io, compiled);
  const outDir = resolve(io.cwd, out);
  const where = displayPath(io.cwd, outDir);
  if (hasErrors(compiled.diagnostics)) {
    if (args.json) await printJson(io, 'compile', 1, compiled.diagnostics, { outDir: where, files: [] });
    else {
      await printDiagnostics(io, compiled.diagnostics);
      io.stderr.write(`nothing was written to ${where}/\n`);
    }
    return 1;
  }
  let drift: Drift;
  try {
    drift = compareOutput(outDir, compiled.files);
  } catch (error) {
    fileSystemError(error, where, 'read');
  }
  if (compiled.files.length === 0 && drift.stale.length > 0) {
    throw new UserError(
      `none of the ${plural(compiled.sourceFiles.length, 'source file')} exports a pipeline or an Argo resource, but ${where}/ holds ${plural(drift.stale.length, 'compiled file')}: refusing to compile nothing over them (nothing was written or removed)`,
      "check that the pipelines are default-exported (export default pipeline(...)) and that you passed the right paths; to empty the directory on purpose, delete it yourself",
    );
  }
  const applied: Drift = prune ? drift : { ...drift, stale: [] };
  try {
    applyOutput(outDir, applied);
  } catch (error) {
    fileSystemError(error, where, 'write to');
  }
  const kept = prune ? [] : drift.stale;
  const status = new Map<string, string>([
    ...drift.missing.map((f) => [f.path, 'created'] as const),
    ...drift.changed.map((f) => [f.path, 'updated'] as const),
  ]);
  if (args.json) {
    await printJson(io, 'compile', 0, compiled.diagnostics, {
      outDir: where,
      files: compiled.files.map((f) => ({ path: f.path, kind: f.kind, name: f.name, status: status.get(f.path) ?? 'unchanged' })),
      removed: applied.stale.map((f) => f.path),
      kept: kept.map((f) => f.path),
    });
    return 0;
  }
  await printDiagnostics(io, compiled.diagnostics);
  if (compiled.files.length === 0) {
    io.stderr.write(`⚠ none of the ${plural(compiled.sourceFiles.length, 'source file')} exports a pipeline or an Argo resource (pipeline(), workflowTemplate(), eventSource(), …)\n`);
  }
  const counts = [`${drift.missing.length} created`, `${drift.changed.length} updated`, `${drift.unchanged} unchanged`, `${applied.stale.length} removed`];
  if (kept.length > 0) counts.push(`${kept.length} not produced, kept`);
  io.stdout.write(`compiled ${plural(compiled.sourceFiles.length, 'source file')} into ${plural(compiled.files.length, 'YAML file')} under ${where}/ (${counts.join(', ')})\n`);
  for (const f of drift.missing) io.stdout.write(`  + ${where}/${f.path}\n`);
  for (const f of drift.changed) io.stdout.write(`  ~ ${where}/${f.path}\n`);
  for (const f of applied.stale) io.stdout.write(`  - ${where}/${f.path}\n`);
  if (kept.length > 0) {
    io.stderr.write(
      `⚠ ${plural(kept.length, 'compiled file')} in ${where}/ ${kept.length === 1 ? 'was' : 'were'} not produced by these sources and ${kept.length === 1 ? 'was' : 'were'} kept:\n${kept.map((f) => `  ? ${where}/${f.path}`).join('\n')}\n  hint: if these pipelines were removed or renamed, run again with --prune to delete their files\n`,
    );
  }
  return 0;
}

/** What compile prints when the cache shows that DIR already holds what the sources compile to. */
async function reportUnchanged(args: ParsedArgs, io: Io, where: string, sources: number, files: readonly CachedFile[]): Promise<number> {
  if (args.json) {
    await printJson(io, 'compile', 0, [], { outDir: where, files: files.map((f) => ({ path: f.path, kind: f.kind, name: f.name, status: 'unchanged' })), removed: [], kept: [] });
  } else {
    io.stdout.write(`compiled ${plural(sources, 'source file')} into ${plural(files.length, 'YAML file')} under ${where}/ (0 created, 0 updated, ${files.length} unchanged, 0 removed; from the cache)\n`);
  }
  return 0;
}

/** `--stdout`: every file as one multi-document YAML stream, in path order; nothing is written. */
async function printToStdout(args: ParsedArgs, io: Io, compiled: CompiledSources): Promise<number> {
  const failed = hasErrors(compiled.diagnostics);
  if (args.json) {
    await printJson(io, 'compile', failed ? 1 : 0, compiled.diagnostics, {
      files: failed ? [] : compiled.files.map((f) => ({ path: f.path, kind: f.kind, name: f.name, content: f.content })),
    });
    return failed ? 1 : 0;
  }
  await printDiagnostics(io, compiled.diagnostics);
  if (failed) return 1;
  const sorted = [...compiled.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  io.stdout.write(sorted.map((f) => f.content).join('---\n'));
  return 0;
}

/** `argots compile <paths...> --out DIR` */
export const compileCommand: Command = {
  spec: {
    name: 'compile',
    summary: 'compile TypeScript pipelines into Argo YAML',
    usage: 'argots compile <paths...> (--out DIR [--prune] [--watch] | --stdout) [--cache DIR] [--json]',
    description: [
      'Loads the pipeline modules (*.ts, *.mts) found in the given files and directories — TypeScript directly,',
      'no build step; *.test.ts, *.d.ts and node_modules are skipped — and compiles every pipeline they export',
      'into one YAML file per Argo resource under DIR (<kind>/<name>.yaml). Diagnostics are printed together;',
      'if any is an error, nothing is written. Otherwise each file is written atomically and unchanged files are',
      'left alone. Files in DIR that carry the argots generated header but are not produced by these sources are',
      'kept and listed; --prune removes them (as kubectl apply --prune). Compiling nothing over a DIR that holds',
      'compiled files is an error. --stdout prints the YAML (one multi-document stream) instead of writing it.',
      '--watch keeps running: each save recompiles the modules it touched (and their importers) and rewrites',
      'the files that changed; a broken edit prints its diagnostics and keeps the last good output. Ctrl-C stops.',
      '--cache DIR reuses what earlier runs compiled (keyed by the hash of every input, checked before use).',
    ].join('\n'),
    flags: {
      out: { type: 'string', short: 'o', valueName: 'DIR', description: 'the directory the YAML is written to (created if missing)' },
      prune: { type: 'boolean', description: 'remove compiled files in DIR that these sources no longer produce' },
      stdout: { type: 'boolean', description: 'print the YAML on stdout instead of writing a directory' },
      watch: { type: 'boolean', short: 'w', description: 'keep running and recompile what each edit touches (needs --out)' },
      cache: { type: 'string', valueName: 'DIR', description: 'reuse what earlier runs compiled, kept in DIR (see "Cache" in the README); safe to share' },
    },
    minPositionals: 1,
    positionalsName: 'path (a pipeline file or a directory)',
    examples: ['argots compile pipelines --out manifests', 'argots compile pipelines --out manifests --prune', 'argots compile pipelines --out manifests --watch', 'argots compile pipelines --out manifests --cache .argots-cache', 'argots compile pipelines/dev.ts --stdout', 'argots compile examples pipelines -o manifests --json'],
    exitCodes: { ...standardExitCodes, '1': 'user error: the pipelines have errors (nothing was written), or the command line was wrong' },
  },
  run,
};
