/**
 * The `host` executor: no container. The command runs as a plain process of this machine (for benchmarks,
 * tests' fast paths and trusted local steps); the image is ignored. Container paths are host paths: an input
 * (artifact, volume) is linked at its path for the duration of the step (refused if something is there), and
 * what `collect` names is copied out after exit. Aborting kills the whole process group. Processes are started by
 * a small helper process (spawn-helper.ts), which is much cheaper than forking argots itself.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExecRequest, ExecResult, Executor } from './executor.js';
import { ExecutorError } from './executor.js';
import { SpawnHelper } from './spawn-helper.js';

const KILL_GRACE_MS = 2000;

/** Links this process made at container paths, with how many running steps use each. */
const sharedLinks = new Map<string, { hostPath: string; count: number }>();

export function hostExecutor(): Executor {
  const helper = new SpawnHelper();
  return {
    name: 'host',
    prepare: async () => undefined,
    run: (request) => runOnHost(helper, request),
    close: async () => helper.close(),
  };
}

async function runOnHost(helper: SpawnHelper, request: ExecRequest): Promise<ExecResult> {
  const argv = [...(request.command ?? []), ...(request.args ?? [])];
  const [file, ...rest] = argv;
  if (file === undefined) throw new ExecutorError('RUN301', `node "${request.node}": the host executor needs a command (it cannot read the entrypoint of image "${request.image}")`, 'give the container a command, or run with --executor sandbox');
  const linked: string[] = [];
  try {
    for (const m of request.mounts) {
      if (m.hostPath === m.containerPath) continue;
      // Containers of one pod (main and sidecars, mirrorVolumeMounts) share a mount: one link, counted.
      const shared = sharedLinks.get(m.containerPath);
      if (shared && shared.hostPath === m.hostPath) {
        shared.count += 1;
        linked.push(m.containerPath);
        continue;
      }
      if (existsSync(m.containerPath) || isLink(m.containerPath)) throw new ExecutorError('RUN302', `node "${request.node}": the host executor cannot put ${m.hostPath} at ${m.containerPath}: something is already there`, 'use a path unique to the step (e.g. with {{pod.name}}), or run with --executor sandbox');
      mkdirSync(dirname(m.containerPath), { recursive: true });
      symlinkSync(m.hostPath, m.containerPath);
      sharedLinks.set(m.containerPath, { hostPath: m.hostPath, count: 1 });
      linked.push(m.containerPath);
    }
    const result = await spawnProcess(helper, file, rest, request);
    for (const c of request.collect) {
      if (!existsSync(c.containerPath)) continue;
      mkdirSync(dirname(c.hostPath), { recursive: true });
      cpSync(c.containerPath, c.hostPath, { recursive: true, dereference: true });
    }
    return result;
  } finally {
    for (const l of linked) {
      const shared = sharedLinks.get(l);
      if (shared && --shared.count > 0) continue;
      sharedLinks.delete(l);
      rmSync(l, { force: true });
    }
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function spawnProcess(helper: SpawnHelper, file: string, args: readonly string[], request: ExecRequest): Promise<ExecResult> {
  if (request.signal.aborted) return Promise.resolve({ exitCode: 143, signal: 'SIGTERM' });
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...request.env };
  const started = helper.run({ file, args, cwd: request.workingDir ?? process.cwd(), env, ...(request.stdin !== undefined ? { stdin: request.stdin } : {}), onOutput: request.onOutput });
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    started.kill('SIGTERM');
    killTimer = setTimeout(() => started.kill('SIGKILL'), KILL_GRACE_MS);
  };
  request.signal.addEventListener('abort', onAbort, { once: true });
  return started.done.then((outcome) => {
    request.signal.removeEventListener('abort', onAbort);
    if (killTimer) clearTimeout(killTimer);
    if (outcome.kind === 'error') {
      if (outcome.code === 'ENOENT') return { exitCode: 127 };
      throw new ExecutorError('RUN303', `node "${request.node}": cannot start ${file}: ${outcome.message}`, 'check the command');
    }
    if (outcome.signal) return { exitCode: 128 + (SIGNALS[outcome.signal] ?? 15), signal: outcome.signal };
    return { exitCode: outcome.code ?? 1 };
  });
}

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
