import { RunInputError } from '../load/run-input-error.js';
import type { Executor } from './executor.js';
import { hostExecutor } from './host.js';

export type ExecutorName = 'sandbox' | 'docker' | 'podman' | 'host';

/** The executor `--executor NAME` asks for. */
export function createExecutor(name: ExecutorName): Executor {
  if (name === 'host') return hostExecutor();
  throw new RunInputError('RUN130', `the ${name} executor is not available in this build of argots run`, 'run with --executor host (each step runs as a plain process of this machine, no container)');
}
