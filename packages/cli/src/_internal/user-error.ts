/**
 * A mistake in how argots was called (a missing flag, a path that does not exist). Printed as
 * `✖ message` / `  hint: …` with exit code 1; never with a stack trace.
 */
export class UserError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UserError';
    this.hint = hint;
  }
}

/** Ends a command with an exit code after it has printed what it had to say. */
export class ExitCode extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.name = 'ExitCode';
    this.code = code;
  }
}
