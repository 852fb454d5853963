import type { Io } from '@argots/cli';

/** An `Io` that records what the CLI prints: `run(argv, io)` in-process, as a test sees it. */
export interface MemoryIo extends Io {
  readonly out: () => string;
  readonly err: () => string;
}

export function memoryIo(cwd: string, options: { readonly tty?: boolean; readonly env?: Readonly<Record<string, string>>; readonly stdin?: string } = {}): MemoryIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t) => void (out += t), isTTY: options.tty === true },
    stderr: { write: (t) => void (err += t), isTTY: options.tty === true },
    cwd,
    env: options.env ?? {},
    ...(options.stdin === undefined ? {} : { stdin: async () => options.stdin ?? '' }),
    out: () => out,
    err: () => err,
  };
}
