import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { openCompileCache } from '../_internal/cache/compile-cache.js';
import { compileSourceFiles, findSourceFiles } from '../_internal/compile-sources.js';
import { compareOutput } from '../_internal/output-dir.js';
import type { Drift } from '../_internal/output-dir.js';
import { displayPath, hasErrors, plural, printDiagnostics, printJson } from '../_internal/report.js';
import { unifiedDiff } from '../_internal/unified-diff.js';
import { UserError } from '../_internal/user-error.js';
import { fileSystemError } from '../_internal/write-error.js';

/** The drift as one unified diff, from what DIR holds (a/) to what a compile would write (b/). */
export function driftDiff(where: string, drift: Drift): string {
  const parts: string[] = [];
  const dir = where.replace(/^\/+/, '');
  for (const f of drift.missing) parts.push(unifiedDiff(`${dir}/${f.path}`, `${dir}/${f.path}`, undefined, f.content));
  for (const f of drift.changed) parts.push(unifiedDiff(`${dir}/${f.path}`, `${dir}/${f.path}`, f.current, f.content));
  for (const f of drift.stale) parts.push(unifiedDiff(`${dir}/${f.path}`, `${dir}/${f.path}`, f.current, undefined));
  return parts.join('');
}

async function run(args: ParsedArgs, io: Io): Promise<number> {
  const out = stringFlag(args, 'out');
  if (out === undefined) throw new UserError('argots check: --out DIR is required', "name the directory holding the committed YAML, e.g. 'argots check pipelines --out manifests'");
  const outDir = resolve(io.cwd, out);
  const where = displayPath(io.cwd, outDir);
  const cacheDir = stringFlag(args, 'cache');
  const cache = cacheDir === undefined ? undefined : openCompileCache(resolve(io.cwd, cacheDir), io.cwd);
  const sourceFiles = findSourceFiles(args.positionals, io.cwd);
  // The cache knows what these exact sources compile to: compare hashes, load nothing.
  const typecheck = args.flags['no-typecheck'] !== true;
  const known = cache?.upToDate(sourceFiles, outDir, { typechecked: typecheck });
  if (known) {
    if (args.json) await printJson(io, 'check', 0, [], { outDir: where, upToDate: true, drift: { missing: [], changed: [], stale: [] }, diff: '' });
    else io.stdout.write(`${where}/ is up to date with ${plural(sourceFiles.length, 'source file')} (${plural(known.length, 'YAML file')})\n`);
    return 0;
  }
  const compiled = await compileSourceFiles(sourceFiles, io.cwd, { ...(cache ? { cache } : {}), typecheck });
  if (hasErrors(compiled.diagnostics)) {
    if (args.json) await printJson(io, 'check', 1, compiled.diagnostics, { outDir: where, upToDate: false, drift: null, diff: '' });
    else await printDiagnostics(io, compiled.diagnostics);
    return 1;
  }
  if (!existsSync(outDir)) {
    throw new UserError(`${where}/ does not exist: there is no compiled YAML to check against`, `compile it first ('${`argots compile ${args.positionals.join(' ')} --out ${out}`}') and commit the result, or pass the directory that holds it`);
  }
  let drift: Drift;
  try {
    drift = compareOutput(outDir, compiled.files);
  } catch (error) {
    fileSystemError(error, where, 'read');
  }
  const upToDate = drift.missing.length + drift.changed.length + drift.stale.length === 0;
  const diff = driftDiff(where, drift);
  const command = `argots compile ${args.positionals.join(' ')} --out ${out}`;
  if (args.json) {
    await printJson(io, 'check', upToDate ? 0 : 1, compiled.diagnostics, {
      outDir: where,
      upToDate,
      drift: { missing: drift.missing.map((f) => f.path), changed: drift.changed.map((f) => f.path), stale: drift.stale.map((f) => f.path) },
      diff,
    });
    return upToDate ? 0 : 1;
  }
  await printDiagnostics(io, compiled.diagnostics);
  if (upToDate) {
    io.stdout.write(`${where}/ is up to date with ${plural(compiled.sourceFiles.length, 'source file')} (${plural(compiled.files.length, 'YAML file')})\n`);
    return 0;
  }
  io.stdout.write(diff);
  const lines = [
    ...drift.missing.map((f) => `  missing  ${where}/${f.path}`),
    ...drift.changed.map((f) => `  changed  ${where}/${f.path}`),
    ...drift.stale.map((f) => `  stale    ${where}/${f.path}`),
  ];
  io.stderr.write(
    `✖ ${where}/ does not match its sources: ${plural(drift.missing.length, 'file')} missing, ${drift.changed.length} changed, ${drift.stale.length} stale\n${lines.join('\n')}\n  hint: run '${command}' and commit the result; never edit compiled files by hand\n`,
  );
  return 1;
}

/** `argots check <paths...> --out DIR` */
export const checkCommand: Command = {
  spec: {
    name: 'check',
    summary: 'fail if the committed YAML differs from a fresh compile (for CI)',
    usage: 'argots check <paths...> --out DIR [--cache DIR] [--no-typecheck] [--json]',
    description: [
      'Compiles the pipelines in memory exactly as `argots compile` would and compares the result with DIR:',
      'files missing from DIR, files whose content differs (a hand edit, or sources changed without a recompile),',
      'and stale files (carrying the argots generated header, but produced by no pipeline). The drift is printed',
      'as a unified diff on stdout, from what DIR holds (a/) to what compile would write (b/). Nothing is written.',
      'The pipelines are type-checked with TypeScript first (as `compile --typecheck`): a type error fails the',
      'check at its file and line. --no-typecheck skips that (when CI runs tsc separately).',
    ].join('\n'),
    flags: {
      out: { type: 'string', short: 'o', valueName: 'DIR', description: 'the directory holding the committed YAML (required)' },
      cache: { type: 'string', valueName: 'DIR', description: 'reuse what earlier runs compiled, kept in DIR (see "Cache" in the README); safe to share' },
      'no-typecheck': { type: 'boolean', description: 'skip the TypeScript type check (on by default)' },
    },
    minPositionals: 1,
    positionalsName: 'path (a pipeline file or a directory)',
    examples: ['argots check pipelines --out manifests', 'argots check pipelines --out manifests --cache .argots-cache', 'argots check examples pipelines --out manifests --json'],
    exitCodes: { ...standardExitCodes, '1': 'DIR differs from the sources (the diff was printed), the pipelines have errors, or the command line was wrong' },
  },
  run,
};
