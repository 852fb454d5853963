import type { Command } from './command.js';

/**
 * Every subcommand by name, in the order `argots --help` lists them, with its one-line summary and how to load
 * it. The CLI imports only the command it runs (`argots lint` never loads compile, check, esbuild or the
 * runner); `argots --help` loads none. Each summary is the command's `spec.summary` (a test holds them equal).
 */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const commandIndex: readonly CommandEntry[] = [
  { name: 'compile', summary: 'compile TypeScript pipelines into Argo YAML', load: async () => (await import('../commands/compile.js')).compileCommand },
  { name: 'check', summary: 'fail if the committed YAML differs from a fresh compile (for CI)', load: async () => (await import('../commands/check.js')).checkCommand },
  { name: 'lint', summary: "check hand-written Argo YAML with the compiler's schema and semantic rules", load: async () => (await import('../commands/lint.js')).lintCommand },
  { name: 'graph', summary: 'print a DAG (and steps) as Mermaid or Graphviz source', load: async () => (await import('../commands/graph.js')).graphCommand },
  { name: 'simulate', summary: 'evaluate Sensors against a webhook delivery, offline', load: async () => (await import('../commands/simulate.js')).simulateCommand },
  { name: 'run', summary: "run a workflow on this machine with Argo's semantics", load: async () => (await import('../commands/run.js')).runCommand },
  { name: 'import', summary: 'turn hand-written Argo YAML into TypeScript modules built with @argots/dsl', load: async () => (await import('../commands/import.js')).importCommand },
];
