import type { LoadedWorkflow } from '../load/loaded-workflow.js';
import { preflight } from '../load/preflight.js';
import { setupGlobals } from './globals.js';
import type { RunOptions, RunResult } from './run-types.js';
import { WorkflowRun } from './workflow-run.js';

/**
 * Runs one workflow to completion with Argo's semantics. Bad input (an unknown template, a cycle, a missing
 * parameter) throws a RunInputError before anything runs; a failing step makes a Failed result, not an error.
 *
 * @example
 * const wf = selectWorkflow(objects);
 * const result = await runWorkflow(wf, { executor: hostExecutor(), runDir: '.argots/runs/x' });
 */
export async function runWorkflow(wf: LoadedWorkflow, options: RunOptions): Promise<RunResult> {
  preflight(wf, new Set(options.replaceTemplates?.keys() ?? []));
  const run = new WorkflowRun(wf, options);
  setupGlobals(run);
  return run.run();
}
