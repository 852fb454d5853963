export { ExecutorError } from './executors/executor.js';
export type { Collect, ExecRequest, ExecResult, Executor, Mount } from './executors/executor.js';
