/**
 * Choosing a container backend: by name, or `auto` — the first that works here of docker (a reachable
 * daemon), podman (`podman info` succeeds) and sandbox (bubblewrap installed), in that order: what users
 * already have first, as `act` does.
 */
import { createDockerExecutor } from './docker.js';
import { ExecutorError, type Executor } from './executor.js';
import { createPodmanExecutor } from './podman.js';
import { createSandboxExecutor, type SandboxExecutorOptions } from './sandbox/sandbox-executor.js';

export type ContainerBackend = 'sandbox' | 'docker' | 'podman';

export interface SelectExecutorOptions {
  readonly sandbox?: SandboxExecutorOptions;
  /** The environment the CLIs and the PATH lookups use. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface BackendStatus {
  readonly backend: ContainerBackend;
  readonly available: boolean;
  /** Why not, when not available (the ExecutorError's message). */
  readonly reason?: string;
  readonly hint?: string;
}

/** Which backends work on this machine: docker and podman are asked for their engine; the sandbox runs a probe. */
export async function detectBackends(options: SelectExecutorOptions = {}): Promise<readonly BackendStatus[]> {
  const env = options.env ?? process.env;
  const check = async (backend: ContainerBackend, probe: () => Promise<unknown>): Promise<BackendStatus> => {
    try {
      await probe();
      return { backend, available: true };
    } catch (error) {
      if (!(error instanceof ExecutorError)) throw error;
      return { backend, available: false, reason: error.message, hint: error.hint };
    }
  };
  return Promise.all([
    check('docker', () => createDockerExecutor({ env }).available()),
    check('podman', () => createPodmanExecutor({ env }).available()),
    check('sandbox', () => createSandboxExecutor({ env, ...options.sandbox }).available()),
  ]);
}

/** The executor for a backend by name; `auto` picks the first available (docker, podman, sandbox). */
export async function selectExecutor(name: ContainerBackend | 'auto', options: SelectExecutorOptions = {}): Promise<Executor> {
  const env = options.env ?? process.env;
  if (name === 'sandbox') return createSandboxExecutor({ env, ...options.sandbox });
  if (name === 'docker') return createDockerExecutor({ env });
  if (name === 'podman') return createPodmanExecutor({ env });
  const statuses = await detectBackends(options);
  const first = statuses.find((s) => s.available);
  if (!first) {
    throw new ExecutorError('EXE200', `no container backend works on this machine: ${statuses.map((s) => `${s.backend}: ${s.reason ?? 'unavailable'}`).join('; ')}`, 'install bubblewrap (apt-get install bubblewrap) for the sandbox backend, or Docker/podman');
  }
  return selectExecutor(first.backend, options);
}
