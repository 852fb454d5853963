/**
 * Branch and tag globs compiled to anchored RE2 regexes for Argo string filters (which are unanchored
 * regexes: `main` matches `maintenance`, so every emitted pattern is `^…$`). `*` is any run of characters
 * other than `/`, `**` any run including `/`, `?` one character other than `/`; everything else is literal.
 */

/** Characters git refs cannot contain (git check-ref-format), plus whitespace. */
const FORBIDDEN = /[\s~^:\\[\]\x00-\x1f\x7f]|\.\.|@\{|\/\/|^\/|\/$|\.lock$|^\.|\/\./;

/** Escapes a literal for RE2. */
export function escapeRe2(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Why `glob` cannot be a ref glob, or undefined when it can. */
export function globProblem(glob: string): string | undefined {
  if (glob === '') return 'it is empty';
  const m = FORBIDDEN.exec(glob);
  if (m) return `it contains ${JSON.stringify(m[0])}, which git refs cannot contain`;
  return undefined;
}

/** Compiles a glob to an anchored regex body (`^…$`) with `prefix` (e.g. `refs/heads/`) in front. */
export function globToRegex(glob: string, prefix = ''): string {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i += 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += escapeRe2(c);
  }
  return `^${escapeRe2(prefix)}${out}$`;
}

/** Does `glob` match `name`? (the same semantics, for tests and simulate-free checks) */
export function globMatches(glob: string, name: string): boolean {
  return new RegExp(globToRegex(glob)).test(name);
}
