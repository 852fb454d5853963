/**
 * The export conditions this Node process resolves packages with, beyond the defaults: the values of
 * `--conditions` / `-C` on its command line and in NODE_OPTIONS. Pipelines are bundled with the same ones,
 * so an `@argots/dsl` import in a pipeline reaches the very module the CLI itself loaded.
 */
export function nodeConditions(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const args = [...execArgv, ...(nodeOptions ?? '').split(/\s+/).filter(Boolean)];
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i]!;
    const eq = /^(?:--conditions|-C)=(.+)$/.exec(a);
    if (eq) out.push(eq[1]!);
    else if ((a === '--conditions' || a === '-C') && args[i + 1] !== undefined) {
      out.push(args[i + 1]!);
      i += 1;
    }
  }
  return [...new Set(out)];
}
