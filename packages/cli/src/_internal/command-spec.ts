import { parseArgs } from 'node:util';
import { UserError } from './user-error.js';

/** One `--flag` of a command: parsed with node:util `parseArgs`, and listed in `--help`. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly description: string;
  /** Shown in help after the flag: `--out DIR`. */
  readonly valueName?: string;
  /** The accepted values; anything else is a user error naming them. */
  readonly choices?: readonly string[];
  readonly default?: string;
  /** The flag may be given several times (values in order). */
  readonly multiple?: boolean;
  /** A one-letter alias: `-p`. */
  readonly short?: string;
}

/** What a command accepts, from which its `--help` text and its argv parsing are both derived. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** `argots compile <paths...> --out DIR` */
  readonly usage: string;
  readonly description: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** How many positionals are required; more are accepted up to `maxPositionals`. */
  readonly minPositionals: number;
  readonly maxPositionals?: number;
  readonly positionalsName: string;
  readonly examples: readonly string[];
  readonly exitCodes: Readonly<Record<string, string>>;
}

/** Flags every command accepts. */
export const commonFlags: Readonly<Record<string, FlagSpec>> = {
  json: { type: 'boolean', description: 'print one JSON document on stdout instead of text (see "JSON output" in the README)' },
  help: { type: 'boolean', description: 'show this help' },
};

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
  readonly json: boolean;
  readonly help: boolean;
}

/** Parses a command's argv; a mistake is a {@link UserError} pointing at `--help`. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const all = { ...spec.flags, ...commonFlags };
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, flag] of Object.entries(all)) {
    options[name] = name === 'help' ? { type: flag.type, short: 'h' } : { type: flag.type, ...(flag.short ? { short: flag.short } : {}), ...(flag.multiple ? { multiple: true } : {}) };
  }
  const hint = `run 'argots ${spec.name} --help' for its usage`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new UserError(`argots ${spec.name}: ${lowerFirst(message)}`, hint);
  }
  const values = parsed.values as Record<string, string | boolean | readonly string[] | undefined>;
  const help = values['help'] === true;
  if (!help) {
    for (const [name, flag] of Object.entries(spec.flags)) {
      const value = values[name];
      if (value === undefined && flag.default !== undefined) values[name] = flag.default;
      const v = values[name];
      if (typeof v === 'string' && flag.choices && !flag.choices.includes(v)) {
        throw new UserError(`argots ${spec.name}: --${name} expected one of ${flag.choices.map((c) => `"${c}"`).join(', ')}, received "${v}"`, hint);
      }
    }
    if (parsed.positionals.length < spec.minPositionals) {
      throw new UserError(`argots ${spec.name}: expected at least ${spec.minPositionals} ${spec.positionalsName}, received ${parsed.positionals.length}`, hint);
    }
    if (spec.maxPositionals !== undefined && parsed.positionals.length > spec.maxPositionals) {
      throw new UserError(
        `argots ${spec.name}: expected at most ${spec.maxPositionals} ${spec.positionalsName}, received ${parsed.positionals.length} (${parsed.positionals.map((p) => `"${p}"`).join(', ')})`,
        hint,
      );
    }
  }
  return { flags: values, positionals: parsed.positionals, json: values['json'] === true, help };
}

/** A flag the spec declares as a string and the parser has therefore given as one (or left out). */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A flag the spec declares with `multiple`: every value given, in order. */
export function listFlag(args: ParsedArgs, name: string): readonly string[] {
  const v = args.flags[name];
  return Array.isArray(v) ? (v as readonly string[]) : typeof v === 'string' ? [v] : [];
}

/** The `--help` text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const flagLines = Object.entries({ ...spec.flags, ...commonFlags }).map(([name, flag]) => {
    const left = `  ${name === 'help' ? '-h, ' : flag.short ? `-${flag.short}, ` : ''}--${name}${flag.valueName ? ` ${flag.valueName}` : ''}`;
    const extra = [flag.choices ? `one of: ${flag.choices.join(', ')}` : '', flag.default ? `default: ${flag.default}` : ''].filter(Boolean).join('; ');
    return `${left.padEnd(34)} ${flag.description}${extra ? ` (${extra})` : ''}`;
  });
  const codes = Object.entries(spec.exitCodes).map(([code, meaning]) => `  ${code}  ${meaning}`);
  return [
    `Usage: ${spec.usage}`,
    '',
    spec.description,
    '',
    'Options:',
    ...flagLines,
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
    'Exit codes:',
    ...codes,
    '',
  ].join('\n');
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}
