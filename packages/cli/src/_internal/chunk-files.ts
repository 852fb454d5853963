import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Below this many files everything is one bundle: there is too little to overlap. */
export const MIN_FILES_TO_CHUNK = 200;

/** Where the cuts go, as fractions of the file list: a small first chunk, so that evaluation starts early. */
const CUTS = [0.125, 0.375, 0.625] as const;

/**
 * Splits the pipeline files, in order, into consecutive chunks that can be bundled and evaluated one after
 * another (esbuild bundling the next chunk in its own process while Node evaluates this one) with the same
 * effect as one bundle of everything: the modules run in the same order, and two files that import the same
 * local module — directly or through other local modules — are never in different chunks, so that module
 * is still one instance (a helper may keep state across pipelines).
 *
 * Imports are found by a scan of the source text, not by a TypeScript parser; what the scan misses, the
 * loader catches from esbuild's list of inputs (and loads everything as one bundle instead).
 */
export function chunkFiles(files: readonly string[]): string[][] {
  if (files.length < MIN_FILES_TO_CHUNK) return [[...files]];
  // Each local module is used from its first to its last user: no cut may fall inside that span.
  const firstUser = new Map<string, number>();
  const lastUser = new Map<string, number>();
  files.forEach((file, i) => {
    for (const m of [moduleKey(file), ...localModules(file)]) {
      if (!firstUser.has(m)) firstUser.set(m, i);
      lastUser.set(m, i);
    }
  });
  const reachFrom = files.map(() => -1);
  for (const [m, first] of firstUser) reachFrom[first] = Math.max(reachFrom[first] ?? -1, lastUser.get(m) ?? first);
  const allowed = new Set<number>();
  let reach = -1;
  for (let c = 1; c < files.length; c++) {
    reach = Math.max(reach, reachFrom[c - 1] ?? -1);
    if (reach < c) allowed.add(c);
  }
  const cuts: number[] = [];
  for (const fraction of CUTS) {
    const want = Math.round(files.length * fraction);
    let c = want;
    while (c < files.length && !allowed.has(c)) c++;
    if (c < files.length && (cuts.length === 0 || c > cuts[cuts.length - 1]!)) cuts.push(c);
  }
  const chunks: string[][] = [];
  let start = 0;
  for (const c of [...cuts, files.length]) {
    chunks.push(files.slice(start, c));
    start = c;
  }
  return chunks;
}

// `import … from '…'`, `export … from '…'`, `import '…'`, `import('…')`, `require('…')` of a local path.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"\n]*|\/[^'"\n]*)\1/g;
const EXTENSIONS = ['', '.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/** A module's path without its extension: `./lib/steps.js` in TypeScript names `lib/steps.ts`. */
function moduleKey(path: string): string {
  return path.replace(/\.(?:[cm]?[jt]sx?)$/, '').replace(/\/index$/, '');
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The local modules a file imports, followed through local modules that import others. */
function localModules(file: string): string[] {
  const found = new Set<string>();
  const queue = [file];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const m of read(next).matchAll(IMPORT)) {
      const target = resolve(dirname(next), m[2]!);
      const key = moduleKey(target);
      if (found.has(key)) continue;
      found.add(key);
      const base = target.replace(/\.(?:[cm]?js)$/, '');
      const path = EXTENSIONS.map((e) => `${base}${e}`).find((p) => /\.[cm]?[jt]sx?$/.test(p) && existsSync(p));
      if (path) queue.push(path);
    }
  }
  return [...found];
}
