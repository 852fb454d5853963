import { mkdir, writeFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commands, DEFAULT_OUTPUT_DIR, flagName, outputPath, parseArgv, RUNTIME_BINARY } from '@argots/contract';
import type { CommandDefinition, CommandName } from '@argots/contract';
import type { CommandContext, CommandHandler } from './command-handler.js';
import { RuntimeError } from './runtime-error.js';
import { redact } from './redact.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly interactive: boolean;
}

function usage(): string {
  const names = Object.values(commands)
    .map((c) => `  ${c.name.padEnd(30)} ${c.summary}`)
    .join('\n');
  return `Usage: ${RUNTIME_BINARY} <command> [--flag value ...] [--output-dir DIR]\n\nCommands:\n${names}\n\nRun '${RUNTIME_BINARY} <command> --help' for a command's inputs and outputs.\n`;
}

function commandHelp(c: CommandDefinition): string {
  const inputs = Object.entries(c.inputs)
    .map(([k, s]) => `  --${flagName(k).padEnd(24)} ${s.required ? '(required) ' : ''}${s.description}${s.example ? ` e.g. ${s.example}` : ''}`)
    .join('\n');
  const outputs = Object.entries(c.outputs)
    .map(([k, s]) => `  ${k.padEnd(26)} ${s.description}`)
    .join('\n');
  return `Usage: ${RUNTIME_BINARY} ${c.name} [flags]\n\n${c.summary}\n\nInputs:\n${inputs}\n  --output-dir DIR           where output parameter files are written (default ${DEFAULT_OUTPUT_DIR}, or $ARGOTS_OUTPUT_DIR)\n\nOutputs (one file each, and in the JSON result on stdout):\n${outputs}\n`;
}

function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}

async function loadHandler(name: CommandName): Promise<CommandHandler> {
  const mod = (await import(`./commands/${name}.js`)) as { default: CommandHandler };
  return mod.default;
}

async function writeOutputs(dir: string, outputs: Readonly<Record<string, string>>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, value] of Object.entries(outputs)) {
    const file = outputPath(name, dir);
    await mkdir(dirname(file), { recursive: true });
    // Write then rename: Argo never reads a half-written output.
    await writeFile(`${file}.tmp`, value);
    await rename(`${file}.tmp`, file);
  }
}

/**
 * Runs `argots-runtime <command> ...`. Exit codes: 0 done, 1 the user's input or environment is wrong
 * (a clear message), 2 a bug in argots (with how to report it).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name === undefined ? 1 : 0;
  }
  if (!isCommandName(name)) {
    io.stderr(`✖ unknown command "${name}"; expected one of: ${Object.keys(commands).join(', ')}\n`);
    return 1;
  }
  const command = commands[name];
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command));
    return 0;
  }
  const parsed = parseArgv(command, rest);
  if (!parsed.ok) {
    for (const p of parsed.problems) {
      io.stderr(`✖ ${RUNTIME_BINARY} ${name}: ${p.subject} expected ${p.expected}, received ${redact(p.received)}\n`);
    }
    io.stderr(`  hint: run '${RUNTIME_BINARY} ${name} --help' for its inputs\n`);
    return 1;
  }
  const context: CommandContext = {
    cwd: io.cwd,
    env: io.env,
    interactive: io.interactive,
    log: (message) => io.stderr(`${redact(message)}\n`),
  };
  try {
    const handler = await loadHandler(name);
    const result = await handler.run(parsed.inputs as never, context);
    const outputDir = parsed.outputDir ?? io.env['ARGOTS_OUTPUT_DIR'] ?? DEFAULT_OUTPUT_DIR;
    await writeOutputs(outputDir, result.outputs as Readonly<Record<string, string>>);
    io.stdout(`${redact(JSON.stringify({ command: name, ok: true, outputs: result.outputs, ...(result.details ?? {}) }))}\n`);
    return 0;
  } catch (error) {
    if (error instanceof RuntimeError) {
      io.stderr(`✖ ${error.code} ${redact(error.message)}\n`);
      if (error.hint) io.stderr(`  hint: ${redact(error.hint)}\n`);
      io.stdout(`${JSON.stringify({ command: name, ok: false, code: error.code, message: redact(error.message) })}\n`);
      return 1;
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`✖ internal error in ${RUNTIME_BINARY} ${name}: ${redact(detail)}\n  This is a bug in argots. Please report it with the command you ran and this message.\n`);
    return 2;
  }
}
