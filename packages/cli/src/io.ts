/** A stream the CLI writes to: the terminal, a pipe, or a buffer in tests. */
export interface OutputStream {
  write(text: string): void;
  /** True when a person is looking at it: colour is used only then (and never with NO_COLOR). */
  readonly isTTY?: boolean;
}

/** Everything the CLI touches outside the file system: `run(argv, io)` is then callable in-process. */
export interface Io {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Relative paths on the command line are resolved from here. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** All of standard input, for `-` arguments (`lint -`, `simulate --event -`); absent where there is none. */
  readonly stdin?: () => Promise<string>;
}

/** The real process's streams, directory and environment. */
export function processIo(): Io {
  // `argots graph … | head` closes the pipe early: that is the reader's choice, not an error to crash on.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  return {
    stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    cwd: process.cwd(),
    env: process.env,
    stdin: async () => (await import('./_internal/read-stdin.js')).readAll(process.stdin),
  };
}

/**
 * Colour on a TTY; never when NO_COLOR is set to a non-empty value (https://no-color.org); FORCE_COLOR
 * (https://force-color.org) set to anything but '', '0' or 'false' turns it on off a TTY (CI logs), and
 * FORCE_COLOR=0 turns it off.
 */
export function useColor(io: Io, stream: OutputStream): boolean {
  const noColor = io.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = io.env['FORCE_COLOR'];
  if (force === '0' || force === 'false') return false;
  if (force !== undefined && force !== '') return true;
  return stream.isTTY === true;
}
