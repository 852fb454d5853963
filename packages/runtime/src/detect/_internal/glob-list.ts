/**
 * An ordered glob list with negation, read like .gitignore: the last pattern that matches a path decides
 * (`!pattern` excludes). Consecutive patterns of one sign are tested together, so classifying tens of
 * thousands of paths stays cheap: the common shapes (a file name, a name with one `*`, a folder) with string
 * tests or one expression per shape, the rest with one regular expression. Common globs (`*`, `?`, `**`,
 * `{a,b}`, `[abc]`) are translated directly into simple expressions; anything else (extglobs) goes through
 * picomatch.
 */
import picomatch from 'picomatch';

export interface GlobList {
  readonly patterns: readonly string[];
  matches(path: string): boolean;
  /** `matches` for a caller that has the file name at hand (`fileName(path)`), to test several lists. */
  matchesFile(path: string, name: string): boolean;
}

/** The text after the last `/`. */
export const fileName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

const escape = (s: string): string => s.replace(/[.+^$()|\\]/g, '\\$&');

/**
 * A regular expression source for one glob (matching dotfiles too), or undefined for picomatch. Sources are
 * compiled with the `s` flag: `.` matches a line break too, which git allows in paths and its wildmatch
 * treats as an ordinary character (`*`, `?` and `**` match it; only `/` is special).
 */
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

/** Text with no glob character and no escape: it stands for itself. */
const isLiteral = (s: string): boolean => s !== '' && !/[*?[\]{}()!+@\\]/.test(s);

const escapeLiteral = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

// How one glob is tested. Common shapes get a cheap test: a file name looked up (`**/package.json`), a name
// with one `*` compared at both ends (`**/*.md`, `**/values*.yaml`, and `LICENSE*` at the root), a folder at
// the root (`config/**`, or the plain folder `services/api`) or anywhere (`**/config/**`). Other file-name
// globs are matched against the name alone, the rest against the whole path.
type Compiled =
  | { readonly on: 'name'; readonly name: string }
  | { readonly on: 'affix'; readonly prefix: string; readonly suffix: string; readonly topLevel: boolean }
  | { readonly on: 'base'; readonly source: string }
  | { readonly on: 'root' | 'anywhere'; readonly folder: string }
  | { readonly on: 'path'; readonly source: string };

/** `values*.yaml` → `values`, `.yaml`: one `*` and otherwise literal text. */
function affix(name: string): { readonly prefix: string; readonly suffix: string } | undefined {
  const star = name.indexOf('*');
  if (star === -1 || name.includes('/')) return undefined;
  const prefix = name.slice(0, star);
  const suffix = name.slice(star + 1);
  return (prefix === '' || isLiteral(prefix)) && (suffix === '' || isLiteral(suffix)) ? { prefix, suffix } : undefined;
}

/**
 * A pattern without what does not change its meaning: a leading `./`, a leading `/` (it anchors at the
 * root, as in .gitignore; these globs are anchored there anyway) and trailing `/`. The repository itself
 * (`.`, `./`, `/`) becomes the empty string.
 */
export function normalizePattern(pattern: string): string {
  const p = pattern.replace(/^(?:\.\/|\/)+/, '').replace(/\/+$/, '');
  return p === '.' ? '' : p;
}

function compileOne(pattern: string): Compiled {
  const p = normalizePattern(pattern);
  // The repository itself: every path.
  if (p === '') return { on: 'path', source: '[\\s\\S]*' };
  if (isFolderPattern(p)) return { on: 'root', folder: p };
  if (p.startsWith('**/') && p.endsWith('/**') && isLiteral(p.slice(3, -3))) return { on: 'anywhere', folder: p.slice(3, -3) };
  if (p.endsWith('/**') && isLiteral(p.slice(0, -3))) return { on: 'root', folder: p.slice(0, -3) };
  const top = affix(p);
  if (top) return { on: 'affix', ...top, topLevel: true };
  if (p.startsWith('**/') && !p.slice(3).includes('/') && !p.slice(3).includes('**')) {
    if (isLiteral(p.slice(3))) return { on: 'name', name: p.slice(3) };
    const any = affix(p.slice(3));
    if (any) return { on: 'affix', ...any, topLevel: false };
    const base = translate(p.slice(3));
    if (base !== undefined) return { on: 'base', source: base };
  }
  return { on: 'path', source: translate(p) ?? picomatch.makeRe(p, { dot: true }).source.replace(/^\^/, '').replace(/\$$/, '') };
}

interface Expressions {
  /** File-name globs, on the file name. */
  readonly base: RegExp | undefined;
  /**
   * Folders at the root and anywhere, `(?:^(?:deploy|charts)|(?:^|/)(?:config|k8s))(?:/|$)`: no `.*` to
   * backtrack over at every `/`.
   */
  readonly folders: RegExp | undefined;
  /** The remaining globs, on the whole path. */
  readonly path: RegExp | undefined;
}

/** Consecutive patterns of one sign: a path matching any of them is decided by the sign. */
class Segment {
  readonly #names: ReadonlySet<string>;
  readonly #affixes: readonly { readonly prefix: string; readonly suffix: string; readonly topLevel: boolean }[];
  readonly #re: Expressions;

  constructor(
    readonly negate: boolean,
    globs: readonly Compiled[],
  ) {
    const names = new Set<string>();
    const affixes: { prefix: string; suffix: string; topLevel: boolean }[] = [];
    const base: string[] = [];
    const root: string[] = [];
    const anywhere: string[] = [];
    const path: string[] = [];
    for (const c of globs) {
      if (c.on === 'name') names.add(c.name);
      else if (c.on === 'affix') affixes.push(c);
      else if (c.on === 'base') base.push(`(?:${c.source})`);
      else if (c.on === 'path') path.push(`(?:${c.source})`);
      else (c.on === 'root' ? root : anywhere).push(escapeLiteral(c.folder));
    }
    // `s`: a line break in a path is matched as any other character (see translate).
    const re = (alternatives: string[], wrap: (a: string) => string): RegExp | undefined => (alternatives.length === 0 ? undefined : new RegExp(wrap(alternatives.join('|')), 's'));
    const whole = (a: string): string => `^(?:${a})$`;
    this.#names = names;
    this.#affixes = affixes;
    this.#re = {
      base: re(base, whole),
      folders: re([...(root.length > 0 ? [`^(?:${root.join('|')})`] : []), ...(anywhere.length > 0 ? [`(?:^|/)(?:${anywhere.join('|')})`] : [])], (a) => `(?:${a})(?:/|$)`),
      path: re(path, whole),
    };
  }

  /** `name` is the file name (the text after the last `/`). */
  matches(path: string, name: string): boolean {
    const re = this.#re;
    if (this.#names.has(name)) return true;
    for (const a of this.#affixes) {
      if (name.length >= a.prefix.length + a.suffix.length && name.startsWith(a.prefix) && name.endsWith(a.suffix) && (!a.topLevel || name.length === path.length)) return true;
    }
    if (re.base?.test(name)) return true;
    if (re.folders?.test(path)) return true;
    return re.path?.test(path) ?? false;
  }
}

export function compileGlobList(patterns: readonly string[]): GlobList {
  const groups: { negate: boolean; globs: Compiled[] }[] = [];
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    let last = groups[groups.length - 1];
    if (!last || last.negate !== negate) groups.push((last = { negate, globs: [] }));
    last.globs.push(compileOne(negate ? raw.slice(1) : raw));
  }
  // The last match wins: test from the end.
  const segments = groups.reverse().map((g) => new Segment(g.negate, g.globs));
  const matchesFile = (path: string, name: string): boolean => {
    for (const s of segments) if (s.matches(path, name)) return !s.negate;
    return false;
  };
  return { patterns, matchesFile, matches: (path) => matchesFile(path, fileName(path)) };
}

/**
 * A list compiled on first use: for plain folders (which always compile) that may never be matched — a
 * service given as a folder is found by folder lookup instead.
 */
export function lazyGlobList(patterns: readonly string[]): GlobList {
  let list: GlobList | undefined;
  const compiled = (): GlobList => (list ??= compileGlobList(patterns));
  return { patterns, matches: (path) => compiled().matches(path), matchesFile: (path, name) => compiled().matchesFile(path, name) };
}
