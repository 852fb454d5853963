/** Shared by the sandbox tests: a run with defaults filled in, its output gathered. */
import type { ExecRequest, Executor } from '../../src/index.js';

export interface RunOutcome {
  readonly exitCode: number;
  readonly signal?: string;
  readonly stdout: string;
  readonly stderr: string;
  /** When each stdout chunk arrived (ms since the run started). */
  readonly stdoutTimes: readonly number[];
}

export async function runStep(executor: Executor, image: string, request: Partial<Omit<ExecRequest, 'onOutput'>>): Promise<RunOutcome> {
  let stdout = '';
  let stderr = '';
  const stdoutTimes: number[] = [];
  const start = Date.now();
  const result = await executor.run({
    node: request.node ?? 'step',
    image,
    env: request.env ?? {},
    mounts: request.mounts ?? [],
    collect: request.collect ?? [],
    network: request.network ?? false,
    signal: request.signal ?? new AbortController().signal,
    ...(request.command ? { command: request.command } : {}),
    ...(request.args ? { args: request.args } : {}),
    ...(request.workingDir ? { workingDir: request.workingDir } : {}),
    ...(request.stdin !== undefined ? { stdin: request.stdin } : {}),
    ...(request.imagePullPolicy ? { imagePullPolicy: request.imagePullPolicy } : {}),
    onOutput: (stream, chunk) => {
      if (stream === 'stdout') {
        stdout += chunk.toString();
        stdoutTimes.push(Date.now() - start);
      } else stderr += chunk.toString();
    },
  });
  return { ...result, stdout, stderr, stdoutTimes };
}

/** Processes whose command line holds `marker` (read from /proc). */
export async function processesWith(marker: string): Promise<readonly number[]> {
  const { readdirSync, readFileSync } = await import('node:fs');
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').includes(marker)) found.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return found;
}
