/**
 * Text handed on to a reader in slices, one slice per turn of the event loop, so that a child process's
 * output keeps being read while the earlier output is worked on: the child does not wait on a full pipe,
 * finishes writing and exits while the work goes on.
 *
 * ```ts
 * const input = new PacedInput();
 * child.stdout.on('data', (piece) => input.push(piece)); // from the start
 * input.start((text) => reader.push(text));               // once the reader is ready
 * // … the child has exited:
 * input.flush();                                          // the rest, now
 * ```
 */

/** Small enough that the event loop comes round often, large enough that it rarely has to. */
const SLICE = 16 * 1024;

export class PacedInput {
  readonly #queue: string[] = [];
  #read: ((text: string) => void) | undefined;
  #scheduled = false;
  #failure: { readonly error: unknown } | undefined;

  push(text: string): void {
    if (text === '') return;
    this.#queue.push(text);
    this.#schedule();
  }

  /** From now on, text goes to `read`. */
  start(read: (text: string) => void): void {
    this.#read = read;
    this.#schedule();
  }

  /** Hands everything still queued to the reader now; rethrows what the reader threw meanwhile. */
  flush(): void {
    if (this.#failure) throw this.#failure.error;
    const read = this.#read;
    if (!read) throw new Error('PacedInput.flush before start');
    for (let text = this.#queue.shift(); text !== undefined; text = this.#queue.shift()) read(text);
  }

  #schedule(): void {
    if (this.#scheduled || !this.#read || this.#failure || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#step());
  }

  #step(): void {
    this.#scheduled = false;
    const read = this.#read;
    const text = this.#queue.shift();
    if (!read || text === undefined || this.#failure) return;
    if (text.length > SLICE) this.#queue.unshift(text.slice(SLICE));
    try {
      read(text.length > SLICE ? text.slice(0, SLICE) : text);
    } catch (error) {
      this.#failure = { error }; // no one awaits this turn of the loop: kept for flush
      return;
    }
    this.#schedule();
  }
}
