import type { Diagnostic, Severity, SourceLocation } from '../../../diagnostic.js';

export type PathPart = string | number;

/** Collects diagnostics for one object, rendering paths (`spec.triggers[0].template.name`) and locations. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly subject: string,
    private readonly locate: ((path: readonly PathPart[]) => SourceLocation | undefined) | undefined,
  ) {}

  report(code: string, path: readonly PathPart[], message: string, hint: string, severity: Severity = 'error'): void {
    const source = this.locate?.(path);
    this.diagnostics.push({
      code,
      severity,
      message: `${this.subject}: ${message}`,
      path: renderPath(path),
      ...(source ? { source } : {}),
      hint,
    });
  }
}

export function renderPath(path: readonly PathPart[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const quote = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
