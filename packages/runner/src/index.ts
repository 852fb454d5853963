export { ExecutorError } from './executors/executor.js';
export type { Collect, ExecRequest, ExecResult, Executor, Mount } from './executors/executor.js';
// container backends
export { createSandboxExecutor } from './executors/sandbox/sandbox-executor.js';
export type { SandboxExecutorOptions } from './executors/sandbox/sandbox-executor.js';
export { ImageStore, defaultImageCacheDir } from './executors/sandbox/image-store.js';
export type { CachedImage, ImageStoreOptions } from './executors/sandbox/image-store.js';
export type { ImageConfig } from './executors/sandbox/image-config.js';
