import { type CommandDefinition, type InputSpec, flagName, inputKey } from './define-command.js';

/**
 * What one argv element holds for an input: either a literal string, or an opaque placeholder the DSL
 * substitutes (an Argo `{{...}}` reference). Either way it is exactly one argv element: never shell source.
 */
export type ArgvValue = string;

/**
 * Renders a command's argv (without the binary): `[name, --flag, value, ...]`, in the definition's input
 * order, leaving out inputs that are not given. Values must already be strings (see {@link encodeInput}).
 */
export function toArgv(command: CommandDefinition, values: Readonly<Record<string, ArgvValue | undefined>>): string[] {
  const argv: string[] = [command.name];
  for (const key of Object.keys(command.inputs)) {
    const value = values[key];
    if (value === undefined) continue;
    argv.push(`--${flagName(key)}`, value);
  }
  for (const key of Object.keys(values)) {
    if (!(key in command.inputs)) throw new TypeError(`command "${command.name}" has no input "${key}"`);
  }
  return argv;
}

/** Encodes a typed input value as its one argv string. */
export function encodeInput(spec: InputSpec, value: unknown): string {
  switch (spec.kind) {
    case 'string':
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'integer':
      return String(value);
    case 'string-list':
    case 'json':
      return JSON.stringify(value);
  }
}

export interface ArgvProblem {
  /** The flag or input the problem is about (`--before`), or `argv`. */
  readonly subject: string;
  readonly expected: string;
  readonly received: string;
}

export type ParseResult =
  | { readonly ok: true; readonly inputs: Readonly<Record<string, unknown>>; readonly outputDir: string | undefined }
  | { readonly ok: false; readonly problems: readonly ArgvProblem[] };

/** The value as received, quoted and whole: whoever prints it hides secrets first, then shortens it. */
function describe(value: string): string {
  return JSON.stringify(value);
}

function decode(key: string, spec: InputSpec, raw: string, problems: ArgvProblem[]): unknown {
  const subject = `--${flagName(key)}`;
  switch (spec.kind) {
    case 'string': {
      if (spec.enum && !spec.enum.includes(raw)) {
        problems.push({ subject, expected: `one of ${spec.enum.map((e) => `"${e}"`).join(', ')}`, received: describe(raw) });
      } else if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(raw)) {
        problems.push({
          subject,
          expected: spec.example ? `a value like "${spec.example}"` : `a value matching /${spec.pattern}/`,
          received: describe(raw),
        });
      }
      return raw;
    }
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      problems.push({ subject, expected: '"true" or "false"', received: describe(raw) });
      return undefined;
    case 'integer': {
      if (!/^-?\d+$/.test(raw)) {
        problems.push({ subject, expected: 'an integer', received: describe(raw) });
        return undefined;
      }
      return Number(raw);
    }
    case 'string-list': {
      // An empty argument is the empty list: an Argo output that produced nothing.
      if (raw.trim() === '') return [];
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
      } catch {
        // fall through to the problem below
      }
      problems.push({ subject, expected: 'a JSON array of strings, like ["a.yaml","b.yaml"]', received: describe(raw) });
      return undefined;
    }
    case 'json':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        problems.push({ subject, expected: 'a JSON value', received: describe(raw) });
        return undefined;
      }
  }
}

/**
 * Parses the argv a compiled step passes (after the command name). Accepts `--flag value` and
 * `--flag=value`, a boolean flag alone (`--referrers` = `--referrers true`), and the runtime's own
 * `--output-dir DIR`. Collects every problem instead of stopping at
 * the first.
 */
export function parseArgv(command: CommandDefinition, argv: readonly string[]): ParseResult {
  const problems: ArgvProblem[] = [];
  const inputs: Record<string, unknown> = {};
  let outputDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      problems.push({ subject: 'argv', expected: 'a --flag', received: describe(arg) });
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    let raw: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    // A boolean flag standing alone (`--referrers`, last or before another flag) means true, as on any CLI.
    const alone = command.inputs[inputKey(flag)];
    if (raw === undefined && alone?.kind === 'boolean' && (argv[i + 1] === undefined || argv[i + 1]?.startsWith('--'))) raw = 'true';
    else if (raw === undefined) {
      raw = argv[i + 1];
      i++;
    }
    if (raw === undefined) {
      problems.push({ subject: `--${flag}`, expected: 'a value after it', received: 'nothing' });
      break;
    }
    if (flag === 'output-dir') {
      outputDir = raw;
      continue;
    }
    const key = inputKey(flag);
    const spec = command.inputs[key];
    if (!spec || flagName(key) !== flag) {
      const known = Object.keys(command.inputs).map((k) => `--${flagName(k)}`);
      problems.push({ subject: `--${flag}`, expected: `one of ${known.join(', ')}, --output-dir`, received: `--${flag}` });
      continue;
    }
    if (key in inputs) {
      problems.push({ subject: `--${flag}`, expected: 'to be given once', received: 'it twice' });
      continue;
    }
    inputs[key] = decode(key, spec, raw, problems);
  }
  for (const [key, spec] of Object.entries(command.inputs)) {
    if (spec.required && !(key in inputs)) {
      problems.push({ subject: `--${flagName(key)}`, expected: `a value (${spec.description})`, received: 'nothing' });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, inputs, outputDir };
}
