/**
 * The run's pod network: one network namespace with only a loopback interface, shared by the containers that
 * ask for it (`ExecRequest.podNetwork`: a workflow with daemons or sidecars), so that a sidecar reaches its main
 * container and a step reaches a daemon at `127.0.0.1` — what a cluster's pod network gives, without any way
 * out of this machine. A small holder process keeps the namespace alive: bubblewrap, in a user namespace of its
 * own (`unshare --map-root-user`), makes the network namespace and brings its loopback up; each step enters
 * both with `nsenter` before it makes its own user, mount and pid namespaces as usual. The holder dies with
 * this process (`setpriv --pdeathsig`, `--die-with-parent`) or at {@link PodNetwork.close}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { ExecutorError } from '../executor.js';
import { listProcesses } from './process-tree.js';

export interface PodNetworkTools {
  readonly setpriv: string | undefined;
  readonly unshare: string;
  readonly bwrap: string;
  readonly nsenter: string;
  readonly sleep: string;
}

export class PodNetwork {
  private constructor(
    private readonly holder: ChildProcess,
    /** The process inside the network namespace (bubblewrap's child). */
    readonly pid: number,
    private readonly nsenter: string,
  ) {}

  /** Starts the holder and waits (up to 5 s) until its namespace exists. */
  static async start(tools: PodNetworkTools, env: Readonly<Record<string, string>>): Promise<PodNetwork> {
    const inner = [tools.unshare, '--user', '--map-root-user', tools.bwrap, '--unshare-net', '--die-with-parent', '--dev-bind', '/', '/', tools.sleep, 'infinity'];
    const argv = tools.setpriv ? [tools.setpriv, '--pdeathsig', 'SIGKILL', '--', ...inner] : inner;
    const holder = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], detached: true, env: { ...env } });
    let stderr = '';
    holder.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    holder.on('error', () => undefined);
    const own = nsId(process.pid);
    for (let waited = 0; waited < 5000; waited += 20) {
      if (holder.exitCode !== null || holder.signalCode !== null) break;
      const inside = findInside(holder.pid ?? -1, own);
      if (inside !== undefined) {
        // The holder does not keep argots alive: close() (or argots' end, through --pdeathsig) ends it.
        holder.unref();
        (holder.stderr as unknown as { unref?: () => void } | null)?.unref?.();
        return new PodNetwork(holder, inside, tools.nsenter);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    killHolder(holder);
    throw new ExecutorError('EXE112', `the sandbox could not make the run's pod network (a network namespace with only loopback, for daemons and sidecars)${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}`, 'the sandbox needs unprivileged user and network namespaces; or run with --network, which gives the steps this machine\'s network');
  }

  /** The command prefix that runs a program inside the pod network (its user namespace, then its network). */
  enter(): readonly string[] {
    return [this.nsenter, `--user=/proc/${this.pid}/ns/user`, `--net=/proc/${this.pid}/ns/net`, '--preserve-credentials', '--'];
  }

  close(): void {
    killHolder(this.holder);
  }
}

function nsId(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/** The holder's descendant in a network namespace not ours, once it runs `sleep` (bubblewrap has set up loopback). */
function findInside(holder: number, own: string | undefined): number | undefined {
  const all = listProcesses();
  let frontier = [holder];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    for (const p of next) {
      const ns = nsId(p.pid);
      if (p.comm === 'sleep' && ns !== undefined && ns !== own) return p.pid;
    }
    frontier = next.map((p) => p.pid);
  }
  return undefined;
}

function killHolder(holder: ChildProcess): void {
  if (holder.pid === undefined || holder.exitCode !== null || holder.signalCode !== null) return;
  try {
    process.kill(-holder.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}
