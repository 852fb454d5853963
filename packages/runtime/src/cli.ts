import { readFileSync } from 'node:fs';
import { access, constants, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commands, DEFAULT_OUTPUT_DIR, flagName, outputPath, parseArgv, RUNTIME_BINARY } from '@argots/contract';
import type { CommandDefinition, CommandName } from '@argots/contract';
import type { CommandContext, CommandHandler } from './command-handler.js';
import { RuntimeError } from './runtime-error.js';
import { redact, redactDeep, shorten } from './redact.js';
import { withSecretManagerEnv } from './gcp/secret-manager-env.js';

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
  return `Usage: ${RUNTIME_BINARY} <command> [--flag value ...] [--output-dir DIR]\n\nCommands:\n${names}\n\nRun '${RUNTIME_BINARY} <command> --help' for a command's inputs and outputs, '${RUNTIME_BINARY} --version' for the version.\n`;
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

/** The version in @argots/runtime's package.json, found upward from this module (src/, dist/ or the bundle in dist/bin/). */
export function runtimeVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@argots/runtime') return pkg.version ?? 'unknown';
    } catch {
      // not there: look one folder up
    }
  }
  return 'unknown';
}

function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(commands, name);
}

async function loadHandler(name: CommandName): Promise<CommandHandler> {
  const mod = (await import(`./commands/${name}.js`)) as { default: CommandHandler };
  return mod.default;
}

/** An output directory that cannot be written to: found before the command runs, so nothing is pushed. */
async function checkOutputDir(dir: string): Promise<void> {
  const refuse = (what: string): never => {
    throw new RuntimeError('RUN010', `output directory "${dir}" ${what}`, {
      hint: 'pass --output-dir (or ARGOTS_OUTPUT_DIR) naming a folder this step can write, as the template\'s outputs expect',
    });
  };
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) refuse('is not a folder');
  if (!existing) {
    try {
      await mkdir(dir, { recursive: true });
    } catch (e) {
      refuse(`cannot be created: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  await access(dir, constants.W_OK).catch(() => refuse('is not writable'));
}

/**
 * Writes every output as a file, all or nothing: each is written beside its place first, then all are
 * renamed into place (Argo never reads a half-written one); on any failure the files this run wrote are
 * removed again.
 */
async function writeOutputs(dir: string, outputs: Readonly<Record<string, string>>): Promise<void> {
  const files = Object.entries(outputs).map(([name, value]) => ({ name, value, file: outputPath(name, dir), tmp: `${outputPath(name, dir)}.argots-${process.pid}.tmp` }));
  const placed: string[] = [];
  try {
    for (const f of files) {
      const existing = await stat(f.file).catch(() => undefined);
      if (existing?.isDirectory()) throw new RuntimeError('RUN011', `output "${f.name}" cannot be written: "${f.file}" is a folder`, { hint: 'remove that folder, or pass another --output-dir' });
    }
    for (const f of files) {
      await mkdir(dirname(f.file), { recursive: true });
      await writeFile(f.tmp, f.value);
    }
    for (const f of files) {
      await rename(f.tmp, f.file);
      placed.push(f.file);
    }
  } catch (error) {
    await Promise.all([...files.map((f) => rm(f.tmp, { force: true })), ...placed.map((p) => rm(p, { force: true }))]);
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError('RUN011', `outputs could not be written to "${dir}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'check that the output directory is writable and has room',
    });
  }
}

/** Whether `--help`/`-h` stands where a flag would, not as the value of the flag before it. */
function asksForHelp(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--help' || a === '-h') return true;
    if (a.startsWith('--') && !a.includes('=')) i++; // its value follows
  }
  return false;
}

/** The JSON line of a run that failed (secrets in the message hidden). */
function failureLine(command: string | null, code: string, message: string): string {
  return `${JSON.stringify({ command, ok: false, code, message: redact(message) })}\n`;
}

/**
 * Runs `argots-runtime <command> ...`. Exit codes: 0 done, 1 the user's input or environment is wrong
 * (a clear message), 2 a bug in argots (with how to report it).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${runtimeVersion()}\n`);
    return 0;
  }
  if (name === undefined) {
    io.stderr(usage());
    io.stdout(failureLine(null, 'RUN002', 'no command given'));
    return 1;
  }
  if (!isCommandName(name)) {
    const message = `unknown command "${shorten(name)}"; expected one of: ${Object.keys(commands).join(', ')}`;
    io.stderr(`✖ ${message}\n  hint: run '${RUNTIME_BINARY} --help' for the commands\n`);
    io.stdout(failureLine(null, 'RUN002', message));
    return 1;
  }
  const command = commands[name];
  // One JSON line on stdout whatever happens: `{ ok: true, outputs, … }` or `{ ok: false, code, message }`.
  const failed = (code: string, message: string): void => io.stdout(failureLine(name, code, message));
  if (asksForHelp(rest)) {
    io.stdout(commandHelp(command));
    return 0;
  }
  const parsed = parseArgv(command, rest);
  if (!parsed.ok) {
    const lines = parsed.problems.map((p) => `${p.subject} expected ${p.expected}, received ${shorten(p.received)}`);
    for (const line of lines) io.stderr(`✖ ${RUNTIME_BINARY} ${name}: ${line}\n`);
    io.stderr(`  hint: run '${RUNTIME_BINARY} ${name} --help' for its inputs\n`);
    failed('RUN001', lines.join('; '));
    return 1;
  }
  const log = (message: string): void => io.stderr(`${redact(message)}\n`);
  try {
    const outputDir = parsed.outputDir ?? io.env['ARGOTS_OUTPUT_DIR'] ?? DEFAULT_OUTPUT_DIR;
    await checkOutputDir(outputDir);
    // `<NAME>_FROM_SECRET_MANAGER` variables become `<NAME>` (read as the pod's identity) before the command runs.
    const env = await withSecretManagerEnv(io.env, log);
    const context: CommandContext = { cwd: io.cwd, env, interactive: io.interactive, log };
    const handler = await loadHandler(name);
    const result = await handler.run(parsed.inputs as never, context);
    // The files and the JSON line say the same, with secrets (never meant to be there) hidden in both.
    const outputs = redactDeep(result.outputs as Readonly<Record<string, string>>);
    await writeOutputs(outputDir, outputs);
    io.stdout(`${JSON.stringify({ command: name, ok: true, outputs, ...redactDeep(result.details ?? {}) })}\n`);
    return 0;
  } catch (error) {
    if (error instanceof RuntimeError) {
      io.stderr(`✖ ${error.code} ${redact(error.message)}\n`);
      if (error.hint) io.stderr(`  hint: ${redact(error.hint)}\n`);
      failed(error.code, error.message);
      return 1;
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(`✖ internal error in ${RUNTIME_BINARY} ${name}: ${redact(detail)}\n  This is a bug in argots. Please report it with the command you ran and this message.\n`);
    failed('internal', detail);
    return 2;
  }
}
