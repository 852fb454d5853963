export { ExecutorError } from './executors/executor.js';
export type { Collect, ExecRequest, ExecResult, Executor, Mount } from './executors/executor.js';
// container backends
export { createSandboxExecutor } from './executors/sandbox/sandbox-executor.js';
export type { SandboxExecutorOptions } from './executors/sandbox/sandbox-executor.js';
export { ImageStore, defaultImageCacheDir } from './executors/sandbox/image-store.js';
export type { CachedImage, ImageStoreOptions } from './executors/sandbox/image-store.js';
export type { ImageConfig } from './executors/sandbox/image-config.js';
export { createDockerExecutor } from './executors/docker.js';
export type { DockerExecutorOptions } from './executors/docker.js';
export { createPodmanExecutor } from './executors/podman.js';
export type { PodmanExecutorOptions } from './executors/podman.js';
export { containerRunArgv } from './executors/container-cli.js';
export type { ContainerCliOptions, ContainerEngine } from './executors/container-cli.js';
export { detectBackends, selectExecutor } from './executors/select-executor.js';
export type { BackendStatus, ContainerBackend, SelectExecutorOptions } from './executors/select-executor.js';
