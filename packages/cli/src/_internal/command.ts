import type { Io } from '../io.js';
import type { CommandSpec, ParsedArgs } from './command-spec.js';

/** A subcommand: its spec (usage, flags, help) and what it does. Resolves to the exit code. */
export interface Command {
  readonly spec: CommandSpec;
  readonly run: (args: ParsedArgs, io: Io) => Promise<number>;
}

export const standardExitCodes = {
  '0': 'success',
  '1': 'user error: diagnostics were printed (or the command line was wrong)',
  '2': 'internal error: a bug in argots (the message says how to report it)',
} as const;
