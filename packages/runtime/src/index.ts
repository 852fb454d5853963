export { main } from './cli.js';
export type { CliIo } from './cli.js';
export { defineHandler } from './command-handler.js';
export type { CommandContext, CommandHandler, CommandResult } from './command-handler.js';
export { RuntimeError } from './runtime-error.js';
export { redact, registerSecret } from './redact.js';
