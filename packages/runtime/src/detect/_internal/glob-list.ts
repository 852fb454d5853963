/**
 * An ordered glob list with negation, read like .gitignore: the last pattern that matches a path decides
 * (`!pattern` excludes). Consecutive patterns of one sign are compiled into one regular expression, so
 * classifying tens of thousands of paths stays cheap. Common globs (`*`, `?`, `**`, `{a,b}`, `[abc]`) are
 * translated directly into simple expressions; anything else (extglobs) goes through picomatch.
 */
import picomatch from 'picomatch';

export interface GlobList {
  readonly patterns: readonly string[];
  matches(path: string): boolean;
}

const escape = (s: string): string => s.replace(/[.+^$()|\\]/g, '\\$&');

/** A regular expression source for one glob (matching dotfiles too), or undefined for picomatch. */
function translate(glob: string): string | undefined {
  if (/[!+@]\(|\\/.test(glob)) return undefined;
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob.charAt(i);
    if (glob.startsWith('**/', i) && (i === 0 || glob.charAt(i - 1) === '/')) {
      out += '(?:.*/)?';
      i += 3;
    } else if (glob.startsWith('/**', i) && i + 3 === glob.length) {
      out += '(?:/.*)?';
      i += 3;
    } else if (glob.startsWith('**', i)) {
      out += '.*';
      i += 2;
    } else if (c === '*') {
      out += '[^/]*';
      i += 1;
    } else if (c === '?') {
      out += '[^/]';
      i += 1;
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) return undefined;
      const body = glob.slice(i + 1, end).replace(/^!/, '^');
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end + 1;
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1 || glob.slice(i + 1, end).includes('{')) return undefined;
      const alts = glob.slice(i + 1, end).split(',').map((a) => translate(a));
      if (alts.some((a) => a === undefined)) return undefined;
      out += `(?:${alts.join('|')})`;
      i = end + 1;
    } else if (c === '}' || c === ']') {
      return undefined;
    } else {
      out += escape(c);
      i += 1;
    }
  }
  return out;
}

/** `services/api` (no glob characters) means the folder and everything under it. */
export function isFolderPattern(pattern: string): boolean {
  return !/[*?[\]{}()!+@]/.test(pattern);
}

// How one glob is tested: against the file name alone (a "**/" + name glob), or against the whole path.
function compileOne(pattern: string): { readonly on: 'base' | 'path'; readonly source: string } {
  const p = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
  if (isFolderPattern(p)) return { on: 'path', source: `${escape(p)}(?:/.*)?` };
  if (p.startsWith('**/') && !p.slice(3).includes('/') && !p.slice(3).includes('**')) {
    const base = translate(p.slice(3));
    if (base !== undefined) return { on: 'base', source: base };
  }
  return { on: 'path', source: translate(p) ?? picomatch.makeRe(p, { dot: true }).source.replace(/^\^/, '').replace(/\$$/, '') };
}

interface Segment {
  readonly negate: boolean;
  readonly base: RegExp | undefined;
  readonly path: RegExp | undefined;
}

export function compileGlobList(patterns: readonly string[]): GlobList {
  const segments: Segment[] = [];
  let current: { negate: boolean; base: string[]; path: string[] } | undefined;
  const re = (sources: string[]): RegExp | undefined => (sources.length === 0 ? undefined : new RegExp(`^(?:${sources.join('|')})$`));
  const flush = (): void => {
    if (current) segments.push({ negate: current.negate, base: re(current.base), path: re(current.path) });
  };
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const body = negate ? raw.slice(1) : raw;
    if (!current || current.negate !== negate) {
      flush();
      current = { negate, base: [], path: [] };
    }
    const c = compileOne(body);
    current[c.on].push(`(?:${c.source})`);
  }
  flush();
  const reversed = segments.reverse();
  return {
    patterns,
    matches(path: string): boolean {
      const name = path.slice(path.lastIndexOf('/') + 1);
      for (const s of reversed) if (s.base?.test(name) || s.path?.test(path)) return !s.negate;
      return false;
    },
  };
}
