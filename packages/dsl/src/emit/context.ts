import type { SourceRef } from '../_internal/source.js';
import type { Diagnostic } from '../diagnostic.js';
import type { TemplateIR } from '../ir/template.js';

/** State of one resource's emission: the templates placed so far, locations, diagnostics. */
export interface EmitContext {
  /** Path of the `templates` list: `spec.templates` or `spec.workflowSpec.templates`. */
  readonly templatesPath: string;
  readonly templates: Record<string, unknown>[];
  /** Emitted template names → the IR that claimed each (to find two different templates with one name). */
  readonly byName: Map<string, { readonly ir: TemplateIR; readonly index: number; json: string | undefined }>;
  readonly locations: Map<string, SourceRef>;
  readonly diagnostics: Diagnostic[];
}

/** A fresh context. */
export function emitContext(templatesPath: string): EmitContext {
  return { templatesPath, templates: [], byName: new Map(), locations: new Map(), diagnostics: [] };
}

/** Records a builder-level diagnostic (codes ARG200–ARG299) pointing at the builder call. */
export function report(
  ctx: EmitContext,
  code: string,
  message: string,
  path: string,
  source: SourceRef,
  hint?: string,
): void {
  const location = source.resolve();
  ctx.diagnostics.push(
    Object.freeze({ code, severity: 'error' as const, message, path, ...(location ? { source: location } : {}), ...(hint ? { hint } : {}) }),
  );
}
