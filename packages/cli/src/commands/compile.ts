import { resolve } from 'node:path';
import type { Io } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { compileSources } from '../_internal/compile-sources.js';
import type { CompiledSources } from '../_internal/compile-sources.js';
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
  const compiled = await compileSources(args.positionals, io.cwd, { typecheck: args.flags['typecheck'] === true });
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
    usage: 'argots compile <paths...> (--out DIR [--prune] | --stdout) [--typecheck] [--json]',
    description: [
      'Loads the pipeline modules (*.ts, *.mts) found in the given files and directories — TypeScript directly,',
      'no build step; *.test.ts, *.d.ts and node_modules are skipped — and compiles every pipeline they export',
      'into one YAML file per Argo resource under DIR (<kind>/<name>.yaml). Diagnostics are printed together;',
      'if any is an error, nothing is written. Otherwise each file is written atomically and unchanged files are',
      'left alone. Files in DIR that carry the argots generated header but are not produced by these sources are',
      'kept and listed; --prune removes them (as kubectl apply --prune). Compiling nothing over a DIR that holds',
      'compiled files is an error. --stdout prints the YAML (one multi-document stream) instead of writing it.',
      '--typecheck first runs TypeScript\'s type checker over the pipelines and what they import (the nearest',
      'tsconfig.json\'s compiler options; incremental): a type error is reported at its file and line, and stops',
      'the compile.',
    ].join('\n'),
    flags: {
      out: { type: 'string', short: 'o', valueName: 'DIR', description: 'the directory the YAML is written to (created if missing)' },
      prune: { type: 'boolean', description: 'remove compiled files in DIR that these sources no longer produce' },
      stdout: { type: 'boolean', description: 'print the YAML on stdout instead of writing a directory' },
      typecheck: { type: 'boolean', description: 'type-check the pipelines with TypeScript first; type errors stop the compile' },
    },
    minPositionals: 1,
    positionalsName: 'path (a pipeline file or a directory)',
    examples: ['argots compile pipelines --out manifests', 'argots compile pipelines --out manifests --prune', 'argots compile pipelines/dev.ts --stdout', 'argots compile pipelines --out manifests --typecheck', 'argots compile examples pipelines -o manifests --json'],
    exitCodes: { ...standardExitCodes, '1': 'user error: the pipelines have errors (nothing was written), or the command line was wrong' },
  },
  run,
};
