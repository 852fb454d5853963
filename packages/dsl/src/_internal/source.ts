import type { SourceLocation } from '../diagnostic.js';

/**
 * The caller's source location, captured cheaply: V8 records the frames when the Error is created and only
 * formats them (with source maps) when `.stack` is read, so a location costs a string parse only when a
 * diagnostic or a file actually needs it.
 */
export interface SourceRef {
  resolve(): SourceLocation | undefined;
}

const dslRoot = new URL('../../', import.meta.url).pathname;
const ownDirs = [`${dslRoot}src/`, `${dslRoot}dist/`];
const frame = /\(?((?:file:\/\/)?\/[^():]*?|[A-Za-z]:\\[^():]*?):(\d+):(\d+)\)?\s*$/;

function isOwnFile(file: string): boolean {
  return ownDirs.some((d) => file.startsWith(d));
}

/** Parses a V8 stack into the first frame outside @argots/dsl (and outside node internals). */
export function firstUserFrame(stack: string): SourceLocation | undefined {
  const lines = stack.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const m = frame.exec(lines[i] ?? '');
    if (!m) continue;
    let file = m[1] ?? '';
    if (file.startsWith('file://')) {
      try {
        file = decodeURIComponent(new URL(file).pathname);
      } catch {
        continue;
      }
    }
    if (isOwnFile(file) || file.includes('/node_modules/')) continue;
    return Object.freeze({ file, line: Number(m[2]), column: Number(m[3]) });
  }
  return undefined;
}

class CapturedSource implements SourceRef {
  #error: Error | undefined;
  #location: SourceLocation | undefined;
  constructor(error: Error) {
    this.#error = error;
  }
  resolve(): SourceLocation | undefined {
    if (this.#error) {
      this.#location = firstUserFrame(this.#error.stack ?? '');
      this.#error = undefined;
    }
    return this.#location;
  }
}

/** A location that is already known (a YAML node, a test). */
export function knownSource(location: SourceLocation | undefined): SourceRef {
  return { resolve: () => location };
}

/** Captures the location of the user code that called into the DSL. */
export function captureSource(): SourceRef {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 6;
  const error = new Error();
  Error.stackTraceLimit = limit;
  return new CapturedSource(error);
}
