import { resolve } from 'node:path';
import type { Io } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { compileSources } from '../_internal/compile-sources.js';
import { applyOutput, compareOutput } from '../_internal/output-dir.js';
import { keptHint, refuseEmptyCompile, staleLines } from '../_internal/prune-policy.js';
import { displayPath, hasErrors, plural, printDiagnostics, printJson } from '../_internal/report.js';
import { UserError } from '../_internal/user-error.js';
import { writeFailure } from '../_internal/io-failure.js';

async function run(args: ParsedArgs, io: Io): Promise<number> {
  const out = stringFlag(args, 'out');
  if (out === undefined) throw new UserError('argots compile: --out DIR is required', "say where the YAML goes, e.g. 'argots compile pipelines --out manifests'");
  const outDir = resolve(io.cwd, out);
  const compiled = await compileSources(args.positionals, io.cwd);
  if (hasErrors(compiled.diagnostics)) {
    if (args.json) await printJson(io, 'compile', 1, compiled.diagnostics, { outDir: displayPath(io.cwd, outDir), files: [] });
    else {
      await printDiagnostics(io, compiled.diagnostics);
      io.stderr.write(`nothing was written to ${displayPath(io.cwd, outDir)}/\n`);
    }
    return 1;
  }
  const drift = compareOutput(outDir, compiled.files);
  const prune = args.flags['prune'] === true;
  refuseEmptyCompile(displayPath(io.cwd, outDir), compiled.sourceFiles.length, compiled.files.length, drift);
  try {
    applyOutput(outDir, drift, { prune });
  } catch (error) {
    writeFailure(displayPath(io.cwd, outDir), error, (path) => displayPath(io.cwd, path));
  }
  const status = new Map<string, string>([
    ...drift.missing.map((f) => [f.path, 'created'] as const),
    ...drift.changed.map((f) => [f.path, 'updated'] as const),
  ]);
  if (args.json) {
    await printJson(io, 'compile', 0, compiled.diagnostics, {
      outDir: displayPath(io.cwd, outDir),
      files: compiled.files.map((f) => ({ path: f.path, kind: f.kind, name: f.name, status: status.get(f.path) ?? 'unchanged' })),
      removed: prune ? drift.stale.map((f) => f.path) : [],
      kept: prune ? [] : drift.stale.map((f) => f.path),
    });
    return 0;
  }
  await printDiagnostics(io, compiled.diagnostics);
  if (compiled.files.length === 0) {
    io.stderr.write(`⚠ none of the ${plural(compiled.sourceFiles.length, 'source file')} exports a pipeline or an Argo resource (pipeline(), workflowTemplate(), eventSource(), …)\n`);
  }
  const where = displayPath(io.cwd, outDir);
  const counts = [`${drift.missing.length} created`, `${drift.changed.length} updated`, `${drift.unchanged} unchanged`, prune ? `${drift.stale.length} removed` : `${drift.stale.length} kept`];
  io.stdout.write(`compiled ${plural(compiled.sourceFiles.length, 'source file')} into ${plural(compiled.files.length, 'YAML file')} under ${where}/ (${counts.join(', ')})\n`);
  for (const f of drift.missing) io.stdout.write(`  + ${where}/${f.path}\n`);
  for (const f of drift.changed) io.stdout.write(`  ~ ${where}/${f.path}\n`);
  for (const line of staleLines(where, drift, prune)) io.stdout.write(`${line}\n`);
  if (!prune && drift.stale.length > 0) io.stderr.write(keptHint(drift.stale.length));
  return 0;
}

/** `argots compile <paths...> --out DIR` */
export const compileCommand: Command = {
  spec: {
    name: 'compile',
    summary: 'compile TypeScript pipelines into Argo YAML',
    usage: 'argots compile <paths...> --out DIR [--prune] [--json]',
    description: [
      'Loads the pipeline modules (*.ts, *.mts) found in the given files and directories — TypeScript directly,',
      'no build step; *.test.ts, *.d.ts and node_modules are skipped — and compiles every pipeline they export',
      'into one YAML file per Argo resource under DIR (<kind>/<name>.yaml). Diagnostics are printed together;',
      'if any is an error, nothing is written. Otherwise each file is written atomically, unchanged files are',
      'left alone. Files in DIR that carry the argots generated header but were not produced this time (their',
      'pipeline was removed, renamed, or simply not among the paths given) are kept and listed; --prune removes',
      'them (as `kubectl apply --prune`): give it only with every pipeline. Compiling nothing while DIR holds',
      'compiled files is an error, and nothing is touched.',
    ].join('\n'),
    flags: {
      out: { type: 'string', valueName: 'DIR', description: 'the directory the YAML is written to (required; created if missing)' },
      prune: { type: 'boolean', description: 'remove generated files in DIR that this compile did not produce (give every pipeline)' },
    },
    minPositionals: 1,
    positionalsName: 'path (a pipeline file or a directory)',
    examples: ['argots compile pipelines --out manifests', 'argots compile examples pipelines --out manifests --prune', 'argots compile examples pipelines --out manifests --json'],
    exitCodes: { ...standardExitCodes, '1': 'user error: the pipelines have errors (nothing was written), nothing was compiled while DIR holds compiled files, or the command line was wrong' },
  },
  run,
};
