import { findSourceMap } from 'node:module';
import type { SourceLocation } from '../diagnostic.js';

/**
 * The caller's source location, captured cheaply: at the builder call only the first frame outside
 * @argots/dsl is kept (file and generated line/column, read from V8's structured call sites without
 * formatting a stack); mapping it through the file's source map (TypeScript loaded by tsx) happens only
 * when a diagnostic or a file needs it.
 */
export interface SourceRef {
  resolve(): SourceLocation | undefined;
}

// This file is src/_internal/source.ts when run from source, and part of dist/index.js (one bundle) when built.
const ownPath = new URL(import.meta.url).pathname;
const dslRoot = ownPath.slice(0, Math.max(ownPath.lastIndexOf('/src/'), ownPath.lastIndexOf('/dist/')) + 1);
const ownDirs = [`${dslRoot}src/`, `${dslRoot}dist/`];
const ownUrls = ownDirs.map((d) => `file://${d}`);
const frame = /\(?((?:file:\/\/)?\/[^():]*?|[A-Za-z]:\\[^():]*?):(\d+):(\d+)\)?\s*$/;

const ownCache = new Map<string, boolean>();

function isOwn(file: string): boolean {
  let own = ownCache.get(file);
  if (own === undefined) {
    own = ownDirs.some((d) => file.startsWith(d)) || ownUrls.some((d) => file.startsWith(d)) || file.includes('/node_modules/');
    if (ownCache.size < 10_000) ownCache.set(file, own);
  }
  return own;
}

function toPath(file: string): string | undefined {
  if (!file.startsWith('file://')) return file;
  try {
    return decodeURIComponent(new URL(file).pathname);
  } catch {
    return undefined;
  }
}

/** Parses a formatted V8 stack into the first frame outside @argots/dsl (and outside node internals). */
export function firstUserFrame(stack: string): SourceLocation | undefined {
  const lines = stack.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const m = frame.exec(lines[i] ?? '');
    if (!m) continue;
    const raw = m[1] ?? '';
    if (isOwn(raw)) continue;
    const file = toPath(raw);
    if (!file) continue;
    return Object.freeze({ file, line: Number(m[2]), column: Number(m[3]) });
  }
  return undefined;
}

class CapturedSource implements SourceRef {
  readonly #file: string;
  // The V8 call site itself: asking it for a line and column costs a line-table lookup in the (possibly
  // large, bundled) script, so that happens only when a location is resolved, not at every builder call.
  #site: CallSiteLike | undefined;
  #location: SourceLocation | undefined | null = null;
  constructor(file: string, site: CallSiteLike) {
    this.#file = file;
    this.#site = site;
  }
  resolve(): SourceLocation | undefined {
    if (this.#location === null) {
      const site = this.#site;
      this.#location = mapLocation(this.#file, site?.getLineNumber() ?? 0, site?.getColumnNumber() ?? 0);
      this.#site = undefined; // resolved once; let the call site (and what it references) go
    }
    return this.#location;
  }
}

/** Maps a generated position back through the module's source map, when Node keeps one. */
function mapLocation(rawFile: string, line: number, column: number): SourceLocation | undefined {
  const file = toPath(rawFile);
  if (!file) return undefined;
  let map: ReturnType<typeof findSourceMap> | undefined;
  try {
    map = findSourceMap(rawFile) ?? findSourceMap(file);
  } catch {
    map = undefined;
  }
  if (map) {
    const entry = map.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number; originalSource?: string };
    if (entry && typeof entry.originalLine === 'number' && typeof entry.originalColumn === 'number') {
      const source = entry.originalSource ? toPath(entry.originalSource) ?? file : file;
      return Object.freeze({ file: source, line: entry.originalLine + 1, column: entry.originalColumn + 1 });
    }
  }
  return Object.freeze({ file, line, column });
}

/** A location that is already known (a YAML node, a test). */
export function knownSource(location: SourceLocation | undefined): SourceRef {
  return { resolve: () => location };
}

/** No known location (filled in from where the thing is used). */
export const UNKNOWN_SOURCE: SourceRef = Object.freeze({ resolve: () => undefined });
const UNKNOWN = UNKNOWN_SOURCE;

interface CallSiteLike {
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
}

function userSite(_error: Error, sites: readonly CallSiteLike[]): SourceRef {
  for (const site of sites) {
    const file = site.getFileName();
    if (!file || file.startsWith('node:') || isOwn(file)) continue;
    return new CapturedSource(file, site);
  }
  return UNKNOWN;
}

let capturing = true;

/**
 * Turns the recording of builder call sites on or off for this process (on by default) and returns the
 * previous setting. Each builder call records the file and line it was called from, for diagnostics; that
 * costs a stack capture per call. A tool that compiles without needing locations when nothing is wrong, and
 * compiles again with them when something is, turns it off for the first pass (as `argots compile` does).
 *
 * @example
 * const before = captureSourceLocations(false);
 * try { ...load and synth... } finally { captureSourceLocations(before); }
 */
export function captureSourceLocations(enabled: boolean): boolean {
  const before = capturing;
  capturing = enabled;
  return before;
}

/** Captures the location of the user code that called into the DSL. */
export function captureSource(): SourceRef {
  if (!capturing) return UNKNOWN;
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  // captureSource ← builder ← (scope method | runtimeSteps closure) ← author: four frames are enough.
  Error.stackTraceLimit = 5;
  Error.prepareStackTrace = userSite as unknown as typeof Error.prepareStackTrace;
  try {
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, captureSource);
    return (holder.stack as SourceRef | undefined) ?? UNKNOWN;
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
