/** The `docker` backend: each step a container run through the Docker CLI (see container-cli.ts). */
import { createContainerCliExecutor, type ContainerCliOptions } from './container-cli.js';
import type { Executor } from './executor.js';

export type DockerExecutorOptions = ContainerCliOptions;

/** Runs steps with `docker run`; needs a reachable Docker daemon (checked on first use: ExecutorError EXE202). */
export function createDockerExecutor(options: DockerExecutorOptions = {}): Executor & { available(): Promise<string> } {
  return createContainerCliExecutor('docker', options);
}
