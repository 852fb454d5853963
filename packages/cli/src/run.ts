import { readFileSync } from 'node:fs';
import type { Io } from './io.js';
import { commandHelp, parseCommandArgs } from './_internal/command-spec.js';
import { didYouMean } from './_internal/did-you-mean.js';
import { printJson } from './_internal/report.js';
import { ExitCode, UserError } from './_internal/user-error.js';
import { commandIndex } from './_internal/command-index.js';

/** The CLI's own version, from its package.json. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

function topLevelHelp(): string {
  return [
    'Usage: argots <command> [options]',
    '',
    'Typed CI/CD pipelines in TypeScript, compiled to Argo Workflows and Argo Events YAML.',
    '',
    'Commands:',
    ...commandIndex.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    "Run 'argots help <command>' (or 'argots <command> --help') for a command's options. 'argots --version' prints the version.",
    'Exit codes: 0 success, 1 user error (diagnostics printed), 2 internal error (a bug in argots).',
    '',
  ].join('\n');
}

async function internalError(io: Io, command: string, json: boolean, error: unknown): Promise<number> {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  const message = 'internal error: this is a bug in argots, not in your pipelines';
  const how = `please report it to the argots maintainers (the issue tracker of the argots repository) with the command you ran, the output of 'argots --version' (${cliVersion()}), Node ${process.version}, and the details below`;
  if (json) await printJson(io, command, 2, [], { error: { message, bug: true, report: how, detail } });
  else io.stderr.write(`✖ ${message}\n  ${how}\n\n${detail}\n`);
  return 2;
}

/**
 * Runs the `argots` CLI in-process and resolves to its exit code: 0 success, 1 user error (diagnostics or a
 * wrong command line, printed), 2 internal error (a bug, printed with how to report it). Never throws and
 * never calls `process.exit`; everything goes through `io`.
 *
 * @example
 * const code = await run(['compile', 'pipelines', '--out', 'manifests'], processIo());
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  const json = rest.includes('--json');
  if (name === 'help' && rest[0] !== undefined) return run([rest[0], '--help'], io);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(topLevelHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(`${cliVersion()}\n`);
    return 0;
  }
  const entry = commandIndex.find((c) => c.name === name);
  try {
    if (!entry) {
      const near = didYouMean(name, commandIndex.map((c) => c.name));
      throw new UserError(
        `unknown command "${name}"${near === undefined ? '' : ` (did you mean "${near}"?)`}, expected one of ${commandIndex.map((c) => c.name).join(', ')}`,
        "run 'argots --help' for the list of commands",
      );
    }
    // Only the command that runs is loaded (and what it imports).
    const command = await entry.load();
    const args = parseCommandArgs(command.spec, rest);
    if (args.help) {
      io.stdout.write(commandHelp(command.spec));
      return 0;
    }
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof ExitCode) return error.code;
    if (error instanceof UserError) {
      if (json) await printJson(io, name, 1, [], { error: { message: error.message, ...(error.hint ? { hint: error.hint } : {}) } });
      else io.stderr.write(`✖ ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ''}`);
      return 1;
    }
    return await internalError(io, name, json, error);
  }
}
