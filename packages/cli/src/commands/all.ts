import type { Command } from '../_internal/command.js';
import { checkCommand } from './check.js';
import { compileCommand } from './compile.js';
import { graphCommand } from './graph.js';
import { importCommand } from './import.js';
import { lintCommand } from './lint.js';
import { runCommand } from './run.js';
import { simulateCommand } from './simulate.js';

/** Every subcommand, loaded, in the order `argots --help` lists them (the CLI itself loads only the one it runs). */
export const commands: readonly Command[] = [compileCommand, checkCommand, lintCommand, graphCommand, simulateCommand, runCommand, importCommand];
