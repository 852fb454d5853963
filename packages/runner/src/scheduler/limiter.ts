/** A counting semaphore with a FIFO queue: `parallelism`, mutexes and semaphores. */
export class Limiter {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Resolves when a slot is free; the returned function gives it back (once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.held >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(wake);
      });
    } else this.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.held -= 1;
    };
  }

  get busy(): boolean {
    return this.held >= this.limit;
  }
}

export const UNLIMITED: Pick<Limiter, 'acquire'> = { acquire: async () => () => undefined };
