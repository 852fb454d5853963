/**
 * A `.env` file as Compose (compose-go's `dotenv`) reads it, for the interpolation of Compose files that
 * bake reads (buildx loads `.env` from the folder it runs in; variables already in the environment win):
 *
 * ```
 * # comment
 * REGISTRY=reg.acme.io        # an inline comment after a blank
 * export TAG="1.4.2"          # double quotes: \n \t \\ \" and ${VAR} are read
 * LITERAL='${not} expanded'   # single quotes: as written
 * PLAIN=${REGISTRY}/api       # unquoted: ${VAR} and $VAR are read
 * ```
 */

type Env = Readonly<Record<string, string | undefined>>;

/** A line that is not `KEY=value` (1-based line number). */
export class DotEnvError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

const KEY = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/;

/** `${VAR}` / `$VAR` read from what is known so far (the file's earlier keys, then `env`). */
function expand(value: string, known: (name: string) => string | undefined): string {
  return value.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m: string, braced?: string, bare?: string) =>
    m === '\\$' ? '$' : (known(braced ?? bare ?? '') ?? ''),
  );
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', $: '\\$' };

/** The variables a `.env` text defines; `env` (the step's environment) is what `${VAR}` may read besides them. */
export function parseDotEnv(text: string, env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  const known = (name: string): string | undefined => env[name] ?? out[name];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = KEY.exec(trimmed);
    if (!m) throw new DotEnvError(i + 1, `expected KEY=value, received ${JSON.stringify(trimmed.slice(0, 60))}`);
    const key = m[1] ?? '';
    let rest = trimmed.slice(m[0].length);
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      // A quoted value may run over several lines, up to its closing quote.
      let body = rest.slice(1);
      let close = closingQuote(body, quote);
      while (close === -1 && i + 1 < lines.length) {
        body += `\n${lines[++i] ?? ''}`;
        close = closingQuote(body, quote);
      }
      if (close === -1) throw new DotEnvError(i + 1, `the value of ${key} has no closing ${quote}`);
      const raw = body.slice(0, close);
      out[key] = quote === "'" ? raw : expand(raw.replace(/\\(.)/g, (e: string, c: string) => ESCAPES[c] ?? e), known);
      continue;
    }
    const comment = rest.search(/[ \t]#/);
    if (comment !== -1) rest = rest.slice(0, comment);
    out[key] = expand(rest.trim(), known);
  }
  return out;
}

/** The index of the quote closing a value (a double quote may be escaped), or -1. */
function closingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}
