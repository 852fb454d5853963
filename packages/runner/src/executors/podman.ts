/** The `podman` backend: each step a container run through the podman CLI (see container-cli.ts). */
import { createContainerCliExecutor, type ContainerCliOptions } from './container-cli.js';
import type { Executor } from './executor.js';

export type PodmanExecutorOptions = ContainerCliOptions;

/** Runs steps with `podman run`; `podman info` must succeed (checked on first use: ExecutorError EXE202). */
export function createPodmanExecutor(options: PodmanExecutorOptions = {}): Executor & { available(): Promise<string> } {
  return createContainerCliExecutor('podman', options);
}
