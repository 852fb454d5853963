/**
 * Runs a generated module in this process and returns what it emits, so the importer proves each module against
 * its original before writing it. The generator writes TypeScript whose only type-level syntax is `type` imports
 * and `as ResourcePatch` casts, so the module runs once those are taken out (no transpiler in the loop);
 * `@argots/dsl` is this process's own.
 */
import * as dsl from '@argots/dsl';

export interface Evaluated {
  readonly objects: readonly Record<string, unknown>[];
  /** Builder diagnostics with severity error (compile would refuse the module). */
  readonly errors: readonly string[];
}

/** Evaluates generated module source (imports from `@argots/dsl` only); throws what the module throws. */
export function evaluateModule(source: string): Evaluated {
  let imported: string[] = [];
  const body = source
    .replace(/^import \{([^}]*)\} from '@argots\/dsl';$/m, (_m, names: string) => {
      imported = names.split(',').map((n) => n.trim()).filter((n) => n !== '' && !n.startsWith('type '));
      return '';
    })
    .replace(/ as ResourcePatch\)/g, ')')
    .replace(/^export default /m, 'return ')
    .replace(/^export const /gm, 'const ');
  const run = new Function('dsl', `const { ${imported.join(', ')} } = dsl;\n${body}`) as (d: typeof dsl) => unknown;
  const value = run(dsl);
  if (!dsl.isSynthesizable(value)) throw new Error('the module does not export a synthesizable resource');
  const emitted = value[dsl.SYNTH]();
  return {
    objects: emitted.map((r) => r.object as Record<string, unknown>),
    errors: emitted.flatMap((r) => (r.diagnostics ?? []).filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)),
  };
}
