import type { Drift } from './output-dir.js';
import { plural } from './report.js';
import { UserError } from './user-error.js';

/**
 * Refuses a compile that produced nothing while the output directory holds compiled files: a wrong path or
 * a broken export would otherwise empty a GitOps directory (and, with Argo CD's auto-prune, the cluster).
 * Checked before anything is written or removed, with `--prune` or without.
 */
export function refuseEmptyCompile(where: string, sourceFiles: number, produced: number, drift: Drift): void {
  if (produced > 0 || drift.stale.length === 0) return;
  throw new UserError(
    `none of the ${plural(sourceFiles, 'source file')} exports a pipeline or an Argo resource, but ${where}/ holds ${plural(drift.stale.length, 'compiled file')} (${drift.stale
      .slice(0, 3)
      .map((f) => f.path)
      .join(', ')}${drift.stale.length > 3 ? ', …' : ''}); nothing was written or removed`,
    'check the paths given to compile and that each pipeline file has `export default pipeline(…)`; to really remove every compiled file, delete them yourself',
  );
}

/** The lines telling what happened to the generated files this compile did not produce. */
export function staleLines(where: string, drift: Drift, pruned: boolean): string[] {
  return drift.stale.map((f) => (pruned ? `  - ${where}/${f.path}` : `  = ${where}/${f.path} (kept: not produced by this compile)`));
}

/** The hint printed when stale files were kept. */
export function keptHint(count: number): string {
  return `hint: ${plural(count, 'generated file')} no pipeline produced this time ${count === 1 ? 'was' : 'were'} kept; if ${count === 1 ? 'its pipeline was' : 'their pipelines were'} removed or renamed, compile every pipeline with --prune to remove ${count === 1 ? 'it' : 'them'}\n`;
}
