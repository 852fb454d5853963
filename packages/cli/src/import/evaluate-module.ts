/**
 * Runs a generated module in this process (esbuild strips the types; `@argots/dsl` is this process's own) and
 * returns what it emits, so the importer proves each module against its original before writing it.
 */
import { transformSync } from 'esbuild';
import * as dsl from '@argots/dsl';

export interface Evaluated {
  readonly objects: readonly Record<string, unknown>[];
  /** Builder diagnostics with severity error (compile would refuse the module). */
  readonly errors: readonly string[];
}

/** Evaluates module source whose imports are `@argots/dsl` only; throws what the module throws. */
export function evaluateModule(source: string): Evaluated {
  const js = transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20' }).code;
  const module: { exports: Record<string, unknown> } = { exports: {} };
  const require = (id: string): unknown => {
    if (id === '@argots/dsl') return dsl;
    throw new Error(`a generated module imports ${id}`);
  };
  new Function('require', 'module', 'exports', js)(require, module, module.exports);
  const value = module.exports['default'];
  if (!dsl.isSynthesizable(value)) throw new Error('the module does not export a synthesizable resource');
  const emitted = value[dsl.SYNTH]();
  return {
    objects: emitted.map((r) => r.object as Record<string, unknown>),
    errors: emitted.flatMap((r) => (r.diagnostics ?? []).filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)),
  };
}
