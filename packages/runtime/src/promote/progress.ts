/**
 * Promotion progress: on a terminal, one live line redrawn a few times a second (layers, bytes, rate); in a
 * pod (no TTY), a plain log line every few seconds, and one at the end.
 */

export interface PromotionProgress {
  /** A blob of `size` bytes will be looked at. */
  blobPlanned(size: number): void;
  /** `n` more bytes have moved. */
  bytes(n: number): void;
  /** A blob is done: copied, mounted, already present in the target, or foreign (left alone). */
  blobDone(how: 'copied' | 'mounted' | 'present' | 'foreign', size: number): void;
  /** Stops the display and prints the last line. */
  finish(): void;
}

export interface ProgressOptions {
  readonly interactive: boolean;
  /** Where lines go: stderr on a TTY, the step log otherwise. */
  readonly write: (text: string) => void;
  /** Interval between plain log lines (default 5000 ms) or redraws (200 ms). */
  readonly intervalMs?: number;
  readonly label?: string;
}

function human(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

export function createProgress(options: ProgressOptions): PromotionProgress {
  const started = Date.now();
  let planned = 0;
  let plannedBytes = 0;
  let done = 0;
  let moved = 0;
  const how = { copied: 0, mounted: 0, present: 0, foreign: 0 };
  const line = (): string => {
    const secs = Math.max(0.001, (Date.now() - started) / 1000);
    return `${options.label ? `${options.label}: ` : ''}layers ${done}/${planned} (copied ${how.copied}, mounted ${how.mounted}, present ${how.present}${how.foreign ? `, foreign ${how.foreign}` : ''}), ${human(moved)} of ${human(plannedBytes)} moved, ${human(moved / secs)}/s`;
  };
  const interval = options.intervalMs ?? (options.interactive ? 200 : 5000);
  const timer = setInterval(() => {
    if (options.interactive) options.write(`\r\x1b[2K${line()}`);
    else options.write(`${line()}\n`);
  }, interval);
  timer.unref();
  let finished = false;
  return {
    blobPlanned(size) {
      planned++;
      plannedBytes += size;
    },
    bytes(n) {
      moved += n;
    },
    blobDone(kind) {
      done++;
      how[kind]++;
    },
    finish() {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      if (planned === 0) return;
      options.write(options.interactive ? `\r\x1b[2K${line()}\n` : `${line()}\n`);
    },
  };
}

/** Progress that shows nothing (library use without a display). */
export const silentProgress: PromotionProgress = Object.freeze({
  blobPlanned() {},
  bytes() {},
  blobDone() {},
  finish() {},
});
