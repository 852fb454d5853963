/**
 * Compose's variable interpolation (compose-spec "Interpolation", compose-go `template`), applied to every
 * string value of one Compose file before it is merged with the others: `$VAR`, `${VAR}`, `${VAR:-default}`
 * (unset or empty), `${VAR-default}` (unset), `${VAR:?err}` / `${VAR?err}` (an error), `${VAR:+alt}` /
 * `${VAR+alt}`, `$$` for a literal `$`; defaults, alternatives and messages are interpolated too (nesting).
 * An unset variable without a default becomes the empty string. A `$` not followed by a name, `$` or `{` is
 * kept as written. Mapping keys are not interpolated, as in compose-go.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** A problem at `path` (`services.api.image`) of the file; `variable` is set for a required variable without a value. */
export class ComposeInterpolationError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    readonly variable?: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const BRACED = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])([\s\S]*))?$/;

/** The index of the `}` closing the `{` just before `from`, counting nested braces; -1 when there is none. */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function substitute(s: string, env: Env, path: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = s.charAt(i + 1);
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next !== '{') {
      const name = NAME.exec(s.slice(i + 1))?.[0];
      out += name ? (env[name] ?? '') : '$';
      i += 1 + (name?.length ?? 0);
      continue;
    }
    const end = closingBrace(s, i + 2);
    const m = end < 0 ? null : BRACED.exec(s.slice(i + 2, end));
    if (!m) {
      const written = end < 0 ? s.slice(i) : s.slice(i, end + 1);
      throw new ComposeInterpolationError(path, `invalid interpolation format ${JSON.stringify(written)}; write $$ for a literal $`);
    }
    const [, name = '', op, rest = ''] = m;
    const value = env[name];
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    const inner = (): string => substitute(rest, env, path);
    if (op === undefined) out += value ?? '';
    else if (op === ':-') out += nonEmpty ? value : inner();
    else if (op === '-') out += set ? value : inner();
    else if (op === ':+') out += nonEmpty ? inner() : '';
    else if (op === '+') out += set ? inner() : '';
    else if ((op === ':?' && !nonEmpty) || (op === '?' && !set)) {
      const reason = inner();
      throw new ComposeInterpolationError(path, `required variable ${name} is missing a value${reason ? `: ${reason}` : ''}`, name);
    } else out += value ?? '';
    i = end + 1;
  }
  return out;
}

/** `value` (a parsed Compose file or part of it) with every string interpolated from `env`. */
export function interpolateCompose(value: unknown, env: Env, path = ''): unknown {
  if (typeof value === 'string') return substitute(value, env, path || '(top level)');
  if (Array.isArray(value)) return value.map((v, i) => interpolateCompose(v, env, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateCompose(v, env, path ? `${path}.${k}` : k)]));
  }
  return value;
}
