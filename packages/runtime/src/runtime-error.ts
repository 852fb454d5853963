/**
 * A failure the user can act on: bad input, a repository in an unexpected state, a registry that refused.
 * The CLI prints it as one clear message (never a stack trace) and exits 1. Anything else is a bug: exit 2.
 */
export class RuntimeError extends Error {
  /** A stable code, `RUN` and three digits. */
  readonly code: string;
  /** What the user should do about it. */
  readonly hint: string;
  /**
   * `hint` is required: every error the user sees says how to fix it (`✖ RUN… message` / `  hint: …`).
   *
   * ```ts
   * throw new RuntimeError('RUN741', `source commit must be a commit SHA, received "${sha}"`, { hint: 'pass the commit the image was built from' });
   * ```
   */
  constructor(code: string, message: string, options: { readonly hint: string; readonly cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RuntimeError';
    this.code = code;
    this.hint = options.hint;
  }
}
