/**
 * A failure the user can act on: bad input, a repository in an unexpected state, a registry that refused.
 * The CLI prints it as one clear message (never a stack trace) and exits 1. Anything else is a bug: exit 2.
 */
export class RuntimeError extends Error {
  /** A stable code, `RUN` and three digits. */
  readonly code: string;
  /** How to fix it. */
  readonly hint: string | undefined;
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuntimeError';
    this.code = code;
    this.hint = options.hint;
  }
}
