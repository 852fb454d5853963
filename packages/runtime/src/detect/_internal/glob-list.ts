/**
 * An ordered glob list with negation, read like .gitignore: the last pattern that matches a path decides
 * (`!pattern` excludes). Consecutive patterns of one sign are compiled into one regular expression, so
 * classifying tens of thousands of paths stays cheap.
 */
import picomatch from 'picomatch';

export interface GlobList {
  readonly patterns: readonly string[];
  matches(path: string): boolean;
}

/** `services/api` (no glob characters) means the folder and everything under it. */
function expand(pattern: string): string[] {
  const p = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (/[*?[\]{}()!+@]/.test(p)) return [p];
  return [p, `${p}/**`];
}

export function compileGlobList(patterns: readonly string[]): GlobList {
  const segments: { negate: boolean; re: RegExp }[] = [];
  let current: { negate: boolean; sources: string[] } | undefined;
  const flush = (): void => {
    if (current) segments.push({ negate: current.negate, re: new RegExp(current.sources.map((s) => `(?:${s})`).join('|')) });
  };
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const body = negate ? raw.slice(1) : raw;
    const sources = expand(body).map((g) => picomatch.makeRe(g, { dot: true }).source);
    if (!current || current.negate !== negate) {
      flush();
      current = { negate, sources: [] };
    }
    current.sources.push(...sources);
  }
  flush();
  const reversed = segments.reverse();
  return {
    patterns,
    matches(path: string): boolean {
      for (const s of reversed) if (s.re.test(path)) return !s.negate;
      return false;
    },
  };
}
