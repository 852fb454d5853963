/** Bad input found before anything runs: what is wrong, where, and how to fix it. */
export class RunInputError extends Error {
  override readonly name = 'RunInputError';
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
