import type { Executor } from './executor.js';
import { hostExecutor } from './host.js';
import { selectExecutor } from './select-executor.js';

export type ExecutorName = 'sandbox' | 'docker' | 'podman' | 'host' | 'auto';

/**
 * The executor `--executor NAME` asks for: `host` (plain processes), a container backend by name, or `auto`
 * (docker, podman, then sandbox: the first that works here). Backend failures are ExecutorErrors with a hint.
 */
export async function createExecutor(name: ExecutorName, options: { readonly env?: Readonly<Record<string, string | undefined>> } = {}): Promise<Executor> {
  if (name === 'host') return hostExecutor();
  return selectExecutor(name, options.env ? { env: options.env } : {});
}
