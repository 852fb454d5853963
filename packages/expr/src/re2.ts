/**
 * Go regular expressions (RE2 syntax, https://github.com/google/re2/wiki/Syntax) run on JavaScript's engine.
 * The pattern is translated so it matches what Go's `regexp` matches: `(?P<name>…)` groups, leading flag
 * groups `(?i)`/`(?s)`/`(?m)`, `\A` / `\z`, `\Q…\E`, POSIX classes `[[:alpha:]]`, RE2's ASCII `\s`, and
 * code-point (not UTF-16) matching. Syntax RE2 rejects (look-around, back-references, possessive or atomic
 * forms) is rejected with Go's reason; RE2 syntax this translation does not cover (flag groups after the
 * start, `(?U)`) is reported as unsupported, never matched differently.
 */

export type Re2Compiled = { readonly ok: true; readonly regex: RegExp } | { readonly ok: false; readonly error: string; readonly unsupported?: boolean };

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/-']);
const PERL_CLASS: Record<string, string> = {
  d: '0-9', D: '0-9', w: '0-9A-Za-z_', W: '0-9A-Za-z_', s: '\\t\\n\\f\\r ', S: '\\t\\n\\f\\r ',
};

function literal(c: string, inClass = false): string {
  if (c === '-') return inClass ? '\\-' : '-';
  return SYNTAX.has(c) ? `\\${c}` : c === '\n' ? '\\n' : c;
}

class Re2Error extends Error {
  constructor(message: string, readonly unsupported = false) {
    super(message);
  }
}

/** Unicode general categories (Go's unicode.Categories); any other name is a script (unicode.Scripts). */
const CATEGORIES = new Set(['C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs']);

/** `\pN`, `\p{Greek}`, `\p{^Greek}`, `\PL`: a category or script, as JavaScript writes it. */
function unicodeClass(c: 'p' | 'P', written: string, shown: string): string {
  let name = written;
  let negated = c === 'P';
  if (name.startsWith('^')) {
    negated = !negated;
    name = name.slice(1);
  }
  const letter = negated ? 'P' : 'p';
  const js = CATEGORIES.has(name) || name === 'Any' ? `\\${letter}{${name}}` : `\\${letter}{Script=${name}}`;
  try {
    new RegExp(js, 'u');
  } catch {
    throw new Re2Error(`error parsing regexp: invalid character class range: \`${shown}\``);
  }
  return js;
}

function translate(pattern: string): { source: string; flags: string } {
  let flags = 'u';
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(pattern);
  if (lead) {
    const f = lead[1] as string;
    if (f.includes('U')) throw new Re2Error('the ungreedy flag (?U) is not supported by simulate', true);
    flags += [...new Set(f)].join('');
    i = lead[0].length;
  }
  let out = '';
  let groups = 0;
  let depth = 0;
  const n = pattern.length;
  const escape = (inClass: boolean): string => {
    const c = pattern[i + 1];
    if (c === undefined) throw new Re2Error('error parsing regexp: trailing backslash at end of expression');
    i += 2;
    if (c === 'A' && !inClass) return '(?<![\\s\\S])';
    if (c === 'z' && !inClass) return '(?![\\s\\S])';
    if (c === 'Q') {
      const end = pattern.indexOf('\\E', i);
      const text = end < 0 ? pattern.slice(i) : pattern.slice(i, end);
      i = end < 0 ? n : end + 2;
      return [...text].map((t) => literal(t, inClass)).join('');
    }
    if (c in PERL_CLASS) {
      const body = PERL_CLASS[c] as string;
      const negated = c === c.toUpperCase();
      if (inClass) {
        if (negated) throw new Re2Error(`negated class \\${c} inside brackets is not supported by simulate`, true);
        return body;
      }
      return negated ? `[^${body}]` : `[${body}]`;
    }
    if (c === 'b' || c === 'B') {
      if (inClass) throw new Re2Error(`error parsing regexp: invalid escape sequence: \`\\${c}\``);
      return `\\${c}`;
    }
    if (/[1-9]/.test(c)) throw new Re2Error(`error parsing regexp: invalid escape sequence: \`\\${c}\` (RE2 has no back-references)`);
    if (c === '0') {
      const m = /^[0-7]{0,2}/.exec(pattern.slice(i)) as RegExpExecArray;
      i += m[0].length;
      return `\\u{${parseInt(`0${m[0]}`, 8).toString(16)}}`;
    }
    if (c === 'x') {
      if (pattern[i] === '{') {
        const end = pattern.indexOf('}', i);
        if (end < 0) throw new Re2Error('error parsing regexp: invalid escape sequence: `\\x{`');
        const hex = pattern.slice(i + 1, end);
        i = end + 1;
        return `\\u{${hex}}`;
      }
      const hex = pattern.slice(i, i + 2);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new Re2Error('error parsing regexp: invalid escape sequence: `\\x`');
      i += 2;
      return `\\x${hex}`;
    }
    if (c === 'p' || c === 'P') {
      const start = i - 2;
      let name: string;
      if (pattern[i] === '{') {
        const end = pattern.indexOf('}', i);
        if (end < 0) throw new Re2Error(`error parsing regexp: invalid character class range: \`${pattern.slice(start)}\``);
        name = pattern.slice(i + 1, end);
        i = end + 1;
      } else {
        name = pattern[i] ?? '';
        i += 1;
      }
      return unicodeClass(c, name, pattern.slice(start, i));
    }
    if ('afnrtv'.includes(c)) return c === 'a' ? '\\x07' : `\\${c}`;
    if (/[A-Za-z0-9]/.test(c)) throw new Re2Error(`error parsing regexp: invalid escape sequence: \`\\${c}\``);
    return literal(c, inClass);
  };
  while (i < n) {
    const c = pattern[i] as string;
    if (c === '\\') {
      out += escape(false);
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') {
        const rest = pattern.slice(i + 2);
        if (rest.startsWith('P<') || rest.startsWith('<') && !rest.startsWith('<=') && !rest.startsWith('<!')) {
          const at = rest.startsWith('P<') ? 2 : 1;
          const end = rest.indexOf('>');
          const name = rest.slice(at, end);
          if (end < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Re2Error(`error parsing regexp: invalid named capture: \`${pattern.slice(i, i + 2 + Math.max(end + 1, 2))}\``);
          out += `(?<${name}>`;
          i += 2 + end + 1;
          groups += 1;
          depth += 1;
          continue;
        }
        if (rest.startsWith(':')) {
          out += '(?:';
          depth += 1;
          i += 3;
          continue;
        }
        if (/^(?:=|!|<=|<!)/.test(rest)) throw new Re2Error(`error parsing regexp: invalid or unsupported Perl syntax: \`(?${rest.slice(0, rest.startsWith('<') ? 2 : 1)}\` (RE2 has no look-around)`);
        if (/^>/.test(rest)) throw new Re2Error('error parsing regexp: invalid or unsupported Perl syntax: `(?>` (RE2 has no atomic groups)');
        if (/^[-imsU]+[:)]/.test(rest)) throw new Re2Error(`flag groups after the start of the pattern ("(?${rest.slice(0, rest.search(/[:)]/) + 1)}") are not supported by simulate`, true);
        throw new Re2Error(`error parsing regexp: invalid or unsupported Perl syntax: \`(?${rest.slice(0, 1)}\``);
      }
      groups += 1;
      depth += 1;
      out += '(';
      i += 1;
      continue;
    }
    if (c === ')') {
      if (depth === 0) throw new Re2Error(`error parsing regexp: unexpected ): \`${pattern}\``);
      depth -= 1;
      out += ')';
      i += 1;
      continue;
    }
    if (c === '[') {
      let cls = '[';
      i += 1;
      if (pattern[i] === '^') {
        cls += '^';
        i += 1;
      }
      let first = true;
      while (i < n && (pattern[i] !== ']' || first)) {
        const d = pattern[i] as string;
        first = false;
        if (d === '[' && pattern[i + 1] === ':') {
          const end = pattern.indexOf(':]', i + 2);
          const raw = end < 0 ? '' : pattern.slice(i + 2, end);
          const negated = raw.startsWith('^');
          const name = negated ? raw.slice(1) : raw;
          const body = POSIX[name];
          if (end < 0 || body === undefined) throw new Re2Error(`error parsing regexp: invalid character class range: \`[:${raw}:]\``);
          if (negated) throw new Re2Error(`negated POSIX class [:^${name}:] is not supported by simulate`, true);
          cls += body;
          i = end + 2;
          continue;
        }
        if (d === '\\') {
          cls += escape(true);
          continue;
        }
        cls += d === '[' || d === '/' ? `\\${d}` : d;
        i += 1;
      }
      if (i >= n) throw new Re2Error(`error parsing regexp: missing closing ]: \`${pattern.slice(pattern.lastIndexOf('['))}\``);
      i += 1;
      out += `${cls}]`;
      continue;
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && /[*+?]/.test(pattern[i + 1] ?? '') && pattern[i + 1] !== '?') {
      throw new Re2Error(`error parsing regexp: invalid nested repetition operator: \`${c}${pattern[i + 1]}\``);
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (m) {
        if (Number(m[1]) > 1000 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 1000)) {
          throw new Re2Error(`error parsing regexp: invalid repeat count: \`${m[0]}\``);
        }
        out += m[0];
        i += m[0].length;
        continue;
      }
      out += '\\{';
      i += 1;
      continue;
    }
    if (c === '.' && !flags.includes('s')) {
      // RE2's . is any character but \n (JavaScript's also excludes \r, U+2028 and U+2029).
      out += '[^\\n]';
      i += 1;
      continue;
    }
    if (c === '}' || c === ']' || c === '/') {
      out += `\\${c}`;
      i += 1;
      continue;
    }
    out += c;
    i += 1;
  }
  void groups;
  if (depth > 0) throw new Re2Error(`error parsing regexp: missing closing ): \`${pattern}\``);
  return { source: out, flags };
}

const cache = new Map<string, Re2Compiled>();

/** Compiles a Go regular expression; errors read like Go's (`error parsing regexp: …`). */
export function compileRe2(pattern: string): Re2Compiled {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let result: Re2Compiled;
  try {
    const { source, flags } = translate(pattern);
    result = { ok: true, regex: new RegExp(source, flags) };
  } catch (error) {
    const unsupported = error instanceof Re2Error && error.unsupported;
    const message = error instanceof Error ? error.message : String(error);
    result = unsupported
      ? { ok: false, error: message, unsupported: true }
      : { ok: false, error: message.startsWith('error parsing regexp') ? message : `error parsing regexp: ${message}` };
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, result);
  return result;
}
