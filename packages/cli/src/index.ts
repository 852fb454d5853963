export { run, cliVersion } from './run.js';
export { commands } from './commands/all.js';
export { processIo, useColor } from './io.js';
export type { Io, OutputStream } from './io.js';
export type { Command } from './_internal/command.js';
export type { CommandSpec, FlagSpec } from './_internal/command-spec.js';
