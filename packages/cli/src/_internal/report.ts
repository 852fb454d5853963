import { relative } from 'node:path';
import type { Diagnostic } from '@argots/dsl';
import { useColor } from '../io.js';
import type { Io } from '../io.js';

/** The version of the `--json` document's shape; bumped only when a field changes meaning or goes away. */
export const jsonVersion = 1;

/** A diagnostic as it appears in `--json` output: source files relative to the working directory. */
export function diagnosticJson(d: Diagnostic, cwd: string): Diagnostic {
  if (!d.source) return d;
  const file = d.source.file.startsWith('/') ? relative(cwd, d.source.file) || d.source.file : d.source.file;
  return { ...d, source: { file, line: d.source.line, column: d.source.column } };
}

/** Prints diagnostics for people on stderr, errors first, with a one-line count at the end. */
export async function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[]): Promise<void> {
  if (diagnostics.length === 0) return;
  const { formatDiagnostic, sortDiagnostics } = await import('@argots/dsl');
  const color = useColor(io, io.stderr);
  const sorted = sortDiagnostics(diagnostics);
  io.stderr.write(`${sorted.map((d) => formatDiagnostic(d, { color, cwd: io.cwd })).join('\n\n')}\n\n`);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  const parts = [errors > 0 ? plural(errors, 'error') : '', warnings > 0 ? plural(warnings, 'warning') : ''].filter(Boolean);
  io.stderr.write(`${parts.join(', ')}\n`);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Prints the `--json` document of a command: one JSON object and a newline, on stdout. */
export async function printJson(io: Io, command: string, exitCode: number, diagnostics: readonly Diagnostic[], fields: Readonly<Record<string, unknown>>): Promise<void> {
  // Loaded on use: `argots --help` and command-line mistakes never pay for loading the DSL.
  const sorted = diagnostics.length > 0 ? (await import('@argots/dsl')).sortDiagnostics(diagnostics) : [];
  const doc = {
    argots: jsonVersion,
    command,
    ok: exitCode === 0,
    exitCode,
    diagnostics: sorted.map((d) => diagnosticJson(d, io.cwd)),
    ...fields,
  };
  io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

/** A path for messages: relative to the working directory when inside it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel;
}
