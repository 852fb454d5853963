import type { Diagnostic, Severity, SourceLocation } from '../../diagnostic.js';
import type { ValidationCode } from '../codes.js';
import { renderPath, type JsonPath } from './json.js';

export type Locate = (objectIndex: number, path: readonly (string | number)[]) => SourceLocation | undefined;

export interface Finding {
  readonly code: ValidationCode;
  readonly path: JsonPath;
  readonly message: string;
  readonly hint: string;
  readonly severity?: Severity;
  /** A check Argo itself does not make: an error when compiling, a warning in lint (Argo would accept the file). */
  readonly beyondArgo?: boolean;
}

/** Collects diagnostics for one object, attaching its rendered path and (when known) its source location. */
export class Reporter {
  readonly #out: Diagnostic[];
  readonly #objectIndex: number;
  readonly #locate: Locate | undefined;
  readonly #lint: boolean;

  constructor(out: Diagnostic[], objectIndex: number, locate: Locate | undefined, lint: boolean) {
    this.#out = out;
    this.#objectIndex = objectIndex;
    this.#locate = locate;
    this.#lint = lint;
  }

  report(finding: Finding): void {
    const source = this.#locate?.(this.#objectIndex, finding.path);
    this.#out.push({
      code: finding.code,
      severity: finding.beyondArgo && this.#lint ? 'warning' : finding.severity ?? 'error',
      message: finding.message,
      path: renderPath(finding.path),
      ...(source ? { source } : {}),
      // Marked in the diagnostic itself: `argots lint` (Argo's lint mode) makes these warnings.
      hint: finding.beyondArgo ? `${finding.hint} (stricter than Argo, which accepts this: \`argots lint\` reports it as a warning)` : finding.hint,
    });
  }
}
