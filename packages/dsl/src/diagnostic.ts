/**
 * A diagnostic: one thing wrong (or worth a warning) with a pipeline, a trigger, or an Argo YAML file.
 * Every validator in argots produces these; the CLI prints them together, or as JSON with `--json`.
 */

/** Where in an authoring file a diagnostic points: the builder call, or the YAML node. 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** A stable code, `ARG` and three digits (`ARG012`); documented in the DSL README. */
  readonly code: string;
  readonly severity: Severity;
  /** Names the subject in quotes, what was expected and what was received. */
  readonly message: string;
  /** Path inside the emitted object or the pipeline: `spec.templates[2].dag.tasks[0].depends`. */
  readonly path: string;
  /** The authoring source: a builder call in TypeScript, or a YAML node. */
  readonly source?: SourceLocation;
  /** How to fix it. */
  readonly hint?: string;
}

/** Options for {@link formatDiagnostic}. */
export interface FormatOptions {
  /** ANSI colour (the CLI turns it on only on a TTY). */
  readonly color?: boolean;
  /** Paths of source files are shown relative to this directory. */
  readonly cwd?: string;
}

function relativeTo(cwd: string | undefined, file: string): string {
  if (!cwd) return file;
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return file.startsWith(base) ? file.slice(base.length) : file;
}

/**
 * Renders a diagnostic for people:
 * ```
 * ✖ ARG012 task "promote": input "to" must be an image reference, received "latest"
 *   → at pipelines/release.ts:42:7 (spec.templates[0].dag.tasks[3])
 *   hint: …
 * ```
 */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const mark = d.severity === 'error' ? paint('31', '✖') : paint('33', '⚠');
  const lines = [`${mark} ${paint('1', d.code)} ${d.message}`];
  const where = d.source ? `${relativeTo(options.cwd, d.source.file)}:${d.source.line}:${d.source.column}` : undefined;
  if (where && d.path) lines.push(`  → at ${where} (${d.path})`);
  else if (where) lines.push(`  → at ${where}`);
  else if (d.path) lines.push(`  → at ${d.path}`);
  if (d.hint) lines.push(`  ${paint('2', 'hint:')} ${d.hint}`);
  return lines.join('\n');
}

/** Errors first, then by file, line, column, code: the order they are printed in. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): string =>
    [
      d.severity === 'error' ? '0' : '1',
      d.source?.file ?? '',
      String(d.source?.line ?? 0).padStart(8, '0'),
      String(d.source?.column ?? 0).padStart(6, '0'),
      d.path,
      d.code,
    ].join('\u0000');
  return [...diagnostics].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Thrown by builders for misuse that cannot be collected (a programming error, not a pipeline mistake). */
export class DiagnosticError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'DiagnosticError';
    this.diagnostics = diagnostics;
  }
}
