import type { CommandDefinition, InputsOf, OutputsOf } from '@argots/contract';

/** What a command receives besides its inputs. */
export interface CommandContext {
  /** Working directory of the step. */
  readonly cwd: string;
  /** Environment of the step (credentials come from here, never from argv). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A progress line on stderr (redacted). stdout is reserved for the one JSON result. */
  readonly log: (message: string) => void;
  /** True when stderr is a terminal (live progress displays only then). */
  readonly interactive: boolean;
}

/** What a command returns: its outputs (each written to an Argo output parameter file) and any detail. */
export interface CommandResult<C extends CommandDefinition> {
  readonly outputs: OutputsOf<C>;
  /** Extra detail for the printed JSON result (for example the files changed, or timings). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface CommandHandler<C extends CommandDefinition = CommandDefinition> {
  readonly command: C;
  readonly run: (inputs: InputsOf<C>, context: CommandContext) => Promise<CommandResult<C>>;
}

/** Binds an implementation to its contract definition, so inputs and outputs are typed by it. */
export function defineHandler<C extends CommandDefinition>(
  command: C,
  run: (inputs: InputsOf<C>, context: CommandContext) => Promise<CommandResult<C>>,
): CommandHandler<C> {
  return Object.freeze({ command, run });
}
