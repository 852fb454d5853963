import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '@argots/dsl';
import type * as TS from 'typescript';

/** What `--typecheck` found, and with which TypeScript. */
export interface TypecheckResult {
  readonly diagnostics: readonly Diagnostic[];
  /** `5.9.3 (the project's)` or `5.x (argots' own)`. */
  readonly typescript: string;
  /** The tsconfig whose compiler options were used, if any. */
  readonly tsconfig: string | undefined;
}

/**
 * The project's own TypeScript when it has one (the version its editor and `tsc` use), else the copy argots
 * carries (through ts-morph), so `--typecheck` works in a project that never installed TypeScript.
 */
async function loadTypescript(cwd: string): Promise<{ ts: typeof TS; label: string }> {
  try {
    const resolved = createRequire(join(cwd, 'package.json')).resolve('typescript');
    const ts = createRequire(join(cwd, 'package.json'))(resolved) as typeof TS;
    return { ts, label: `${ts.version} (the project's)` };
  } catch {
    const { ts } = await import('ts-morph');
    return { ts: ts as unknown as typeof TS, label: `${ts.version} (argots' own)` };
  }
}

const DEFAULT_OPTIONS: TS.CompilerOptions = {
  strict: true,
  target: 9 /* ES2022 */,
  module: 199 /* NodeNext */,
  moduleResolution: 99 /* NodeNext */,
  skipLibCheck: true,
  noEmit: true,
};

/**
 * Runs TypeScript's type checker over the pipeline files (and what they import) before they are compiled:
 * the mistakes only the types catch — `kind.eq('cod')`, an enum input given `'LOW'`, a payload field that does
 * not exist — become diagnostics at their file and line. The compiler options are the nearest tsconfig.json's
 * (its `include` is ignored: only the pipelines given and their imports are checked, which keeps it fast),
 * or strict NodeNext defaults without one. The check is incremental: its state is kept in
 * `node_modules/.cache/argots/` when the project has a node_modules folder, so a second run re-checks only
 * what changed.
 */
export async function typecheck(files: readonly string[], cwd: string): Promise<TypecheckResult> {
  const { ts, label } = await loadTypescript(cwd);
  const diagnostics: Diagnostic[] = [];
  const configPath = ts.findConfigFile(dirname(files[0] ?? join(cwd, 'x')), ts.sys.fileExists.bind(ts.sys), 'tsconfig.json');
  let options: TS.CompilerOptions = DEFAULT_OPTIONS;
  if (configPath) {
    const read = ts.readConfigFile(configPath, ts.sys.readFile.bind(ts.sys));
    const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(configPath), undefined, configPath);
    // "No inputs were found" (TS18003) does not matter: the files are given explicitly.
    for (const d of [...(read.error ? [read.error] : []), ...parsed.errors.filter((e) => e.code !== 18003)]) diagnostics.push(toDiagnostic(ts, d));
    options = { ...parsed.options, noEmit: true };
    delete options.outDir;
    delete options.declaration;
    delete options.composite;
  }
  const cacheDir = join(cwd, 'node_modules', '.cache', 'argots');
  const cache = existsSync(join(cwd, 'node_modules'))
    ? join(cacheDir, `typecheck-${createHash('sha256').update(`${configPath ?? ''}\0${[...files].sort().join('\0')}`).digest('hex').slice(0, 16)}.tsbuildinfo`)
    : undefined;
  if (cache) {
    mkdirSync(cacheDir, { recursive: true });
    options = { ...options, incremental: true, tsBuildInfoFile: cache };
  }
  const program = cache
    ? ts.createIncrementalProgram({ rootNames: [...files], options })
    : ts.createProgram({ rootNames: [...files], options });
  // Only the project's own files are checked (the pipelines and the local modules they import), not the
  // packages they import (which were checked when they were built): the checker resolves what the project
  // uses from those, nothing more. That is most of what makes it fast.
  const plain = 'getProgram' in program ? program.getProgram() : program;
  const own = plain.getSourceFiles().filter((f) => !f.isDeclarationFile && !plain.isSourceFileFromExternalLibrary(f) && !f.fileName.includes('/node_modules/'));
  const found = [
    ...program.getConfigFileParsingDiagnostics(),
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  // Writes the incremental state only (noEmit): the next run reuses what did not change.
  if (cache) program.emit();
  for (const d of found) diagnostics.push(toDiagnostic(ts, d));
  return { diagnostics, typescript: label, tsconfig: configPath };
}

function toDiagnostic(ts: typeof TS, d: TS.Diagnostic): Diagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
  const severity = d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning';
  const base = { code: `TS${d.code}`, severity, message, path: '', hint: `a TypeScript type error (tsc): fix it, or compile without --typecheck to see what argots makes of it` } as const;
  if (!d.file || d.start === undefined) return base;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return { ...base, source: { file: d.file.fileName, line: line + 1, column: character + 1 } };
}
