/**
 * The `sandbox` backend: no daemon, no root. The image comes from the {@link ImageStore} (pulled with the
 * runtime's OCI client, unpacked once); each run gets an overlay whose lower layer is that cached root and
 * whose upper layer is a fresh folder, so the cache is never written; bubblewrap runs the step on it in its
 * own user, pid, ipc, uts and mount namespaces, without network unless the run asks for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { ExecutorError, type ExecRequest, type ExecResult, type Executor } from '../executor.js';
import { findProgram } from '../find-program.js';
import { bwrapArgv, envArgs, hostnameOf, WRAPPER_SCRIPT } from './bwrap-argv.js';
import { copyOut } from './copy-out.js';
import { containerArgv, containerEnv, type ImageConfig } from './image-config.js';
import { ImageStore, type CachedImage, type ImageStoreOptions } from './image-store.js';
import { OverlaySlots, type Slot } from './overlay-slots.js';
import { PodNetwork } from './pod-network.js';
import { Zygote } from './zygote.js';
import { descendants, listProcesses } from './process-tree.js';

export interface SandboxExecutorOptions extends ImageStoreOptions {
  /** The bubblewrap program: a name looked up on PATH, or an absolute path. Default `bwrap`. */
  readonly bwrap?: string;
  /** Where each run's writable layer lives while it runs (removed after). Default the system's temporary folder. */
  readonly runDir?: string;
  /** Time between SIGTERM and SIGKILL when a run is aborted. Default 10 s (Kubernetes gives 30). */
  readonly killGraceMs?: number;
  /**
   * Make each step's namespaces from scratch (`unshare`, a shell, `mount`, then bubblewrap) instead of through
   * the zygote (zygote.ts). Slower; kept for comparison (the bench) and as a fallback.
   */
  readonly noZygote?: boolean;
}

const BWRAP_HINT = 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or choose the docker or podman backend';

const HOST_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Tools {
  /** util-linux's setpriv, when there: the wrapper dies with this process (and bwrap, --die-with-parent, with it). */
  readonly setpriv: string | undefined;
  readonly bwrap: string;
  readonly unshare: string;
  readonly mount: string;
  readonly sh: string;
  readonly nsenter: string | undefined;
  readonly sleep: string | undefined;
  readonly umount: string | undefined;
}

/** Finds bwrap (and the util-linux tools the overlay needs), or says how to install them. */
function findTools(options: SandboxExecutorOptions): Tools {
  const path = (options.env ?? process.env)['PATH'] ?? HOST_PATH;
  const wanted = options.bwrap ?? 'bwrap';
  const bwrap = findProgram(wanted, path);
  if (!bwrap) {
    throw new ExecutorError('EXE101', `the sandbox backend needs bubblewrap, and "${wanted}" was not found${wanted.startsWith('/') ? '' : ` on PATH (${path})`}`, BWRAP_HINT);
  }
  const found = (name: string): string => {
    const program = findProgram(name, `${path}:${HOST_PATH}`);
    if (!program) throw new ExecutorError('EXE101', `the sandbox backend needs "${name}" (util-linux / mount), and it was not found on PATH`, 'install util-linux and mount (apt-get install util-linux mount)');
    return program;
  };
  return { setpriv: findProgram('setpriv', `${path}:${HOST_PATH}`), bwrap, unshare: found('unshare'), mount: found('mount'), sh: found('sh'), nsenter: findProgram('nsenter', `${path}:${HOST_PATH}`), sleep: findProgram('sleep', `${path}:${HOST_PATH}`), umount: findProgram('umount', `${path}:${HOST_PATH}`) };
}

/** `uid[:gid]` or user names looked up in the image's /etc/passwd and /etc/group. */
async function userOf(image: CachedImage, node: string): Promise<{ uid: number; gid: number }> {
  const user = image.config.user;
  if (user === undefined) return { uid: 0, gid: 0 };
  const [u = '', g] = user.split(':');
  const lookup = async (file: string, name: string): Promise<{ id: number; gid: number } | undefined> => {
    if (/^\d+$/.test(name)) return { id: Number(name), gid: Number(name) };
    const text = await readFile(join(image.rootfs, 'etc', file), 'utf8').catch(() => '');
    const fields = text.split('\n').map((l) => l.split(':')).find((f) => f[0] === name);
    return fields ? { id: Number(fields[2]), gid: Number(fields[3] ?? fields[2]) } : undefined;
  };
  const uid = await lookup('passwd', u);
  const gid = g === undefined ? undefined : await lookup('group', g);
  if (!uid || (g !== undefined && !gid)) {
    throw new ExecutorError('EXE111', `node "${node}": the image's USER "${user}" is not a number and is not in the image's /etc/passwd or /etc/group`, 'use a numeric uid:gid in the image, or add the user to its /etc/passwd');
  }
  return { uid: uid.id, gid: gid ? gid.id : /^\d+$/.test(u) ? 0 : uid.gid };
}

/** Waits for one line from the wrapper's control socket. */
function controlLine(control: Duplex): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (d: Buffer): void => {
      text += d.toString();
      const nl = text.indexOf('\n');
      if (nl !== -1) {
        control.off('data', onData);
        resolve(text.slice(0, nl));
      }
    };
    control.on('data', onData);
    control.once('close', () => resolve(undefined));
    control.once('error', () => resolve(undefined));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
}

class SandboxExecutor implements Executor {
  readonly name = 'sandbox' as const;
  readonly store: ImageStore;
  private readonly options: SandboxExecutorOptions;
  private readonly prepared = new Map<string, CachedImage>();
  private readonly running = new Set<ChildProcess>();
  private probed: Promise<void> | undefined;
  private podNetwork: Promise<PodNetwork> | undefined;
  private tools: Tools | undefined;
  /** One zygote (and its overlay roots) per network: this machine's (steps unshare theirs) or the pod network. */
  private readonly zygotes = new Map<'host' | 'pod', Promise<{ zygote: Zygote; slots: OverlaySlots }>>();

  constructor(options: SandboxExecutorOptions) {
    this.options = options;
    this.store = new ImageStore(options);
  }

  /**
   * Whether the sandbox works on this machine: the tools are there, an overlay can be mounted in a user
   * namespace, and bubblewrap can make its namespaces (some distributions forbid unprivileged user
   * namespaces, e.g. Ubuntu 24.04's AppArmor default). Throws the ExecutorError that says which and how to fix it.
   */
  available(): Promise<void> {
    this.probed ??= probe(findTools(this.options), this.options.runDir ?? tmpdir());
    this.probed.catch(() => (this.probed = undefined));
    return this.probed;
  }

  async prepare(image: string, options: { readonly signal: AbortSignal; readonly pullPolicy?: ExecRequest['imagePullPolicy'] }): Promise<void> {
    await this.available();
    this.prepared.set(`${image}\0${options.pullPolicy ?? ''}`, await this.store.ensure(image, options.pullPolicy, options.signal));
  }

  async run(request: ExecRequest): Promise<ExecResult> {
    this.tools ??= findTools(this.options);
    const tools = this.tools;
    await this.available();
    const key = `${request.image}\0${request.imagePullPolicy ?? ''}`;
    const image = this.prepared.get(key) ?? (await this.store.ensure(request.image, request.imagePullPolicy, request.signal));
    this.prepared.set(key, image);
    const argv = containerArgv(image.config, nonEmpty(request.command), nonEmpty(request.args));
    if (argv.length === 0) {
      throw new ExecutorError('EXE110', `node "${request.node}": nothing to run: the container has no command or args, and image "${request.image}" has no ENTRYPOINT or CMD`, 'give the template a command (or args), or use an image with an ENTRYPOINT/CMD');
    }
    if (request.signal.aborted) return { exitCode: 143, signal: 'SIGTERM' };
    const workingDir = request.workingDir ?? image.config.workingDir ?? '/';
    if (!workingDir.startsWith('/')) throw new ExecutorError('EXE108', `node "${request.node}": the working dir "${workingDir}" is not absolute`, 'a working dir inside the container starts with "/"');
    for (const m of request.mounts) {
      if (!m.containerPath.startsWith('/')) throw new ExecutorError('EXE108', `node "${request.node}": the mount path "${m.containerPath}" is not absolute`, 'mount paths inside the container start with "/"');
      if (!existsSync(m.hostPath)) throw new ExecutorError('EXE108', `node "${request.node}": the folder or file "${m.hostPath}" to mount at "${m.containerPath}" does not exist on this machine`, 'create it before the step runs');
    }
    const env = containerEnv(image.config, request.env);
    const user = await userOf(image, request.node);
    const joinsPod = request.podNetwork === true && !request.network;
    if (tools.umount && !this.options.noZygote) return this.runInZygote(tools, image, argv, workingDir, env, user, joinsPod, request);
    const enter = joinsPod ? (await this.pod(tools)).enter() : [];
    const runDir = await mkdtemp(join(this.options.runDir ?? tmpdir(), 'argots-sandbox-'));
    try {
      const [upper, work, merged] = [join(runDir, 'upper'), join(runDir, 'work'), join(runDir, 'merged')];
      for (const dir of [upper, work, merged]) await mkdir(dir);
      const bwrap = bwrapArgv({
        bwrap: tools.bwrap,
        merged,
        argv,
        workingDir,
        mounts: request.mounts,
        network: request.network,
        podNetwork: joinsPod,
        hostname: hostnameOf(request.node),
        uid: user.uid,
        gid: user.gid,
        networkFiles: ['/etc/resolv.conf', '/etc/hosts'],
      });
      return await this.spawnRun(tools, image, runDir, [upper, work, merged], bwrap, env, request, enter);
    } finally {
      // overlayfs leaves its work folder without permissions; give them back so the folder can go.
      await chmod(join(runDir, 'work', 'work'), 0o700).catch(() => undefined);
      await rm(runDir, { recursive: true, force: true });
    }
  }

  private async spawnRun(tools: Tools, image: CachedImage, runDir: string, [upper, work, merged]: readonly string[], bwrap: readonly string[], env: Record<string, string>, request: ExecRequest, enter: readonly string[]): Promise<ExecResult> {
    const lower = image.rootfs;
    for (const dir of [lower, runDir]) {
      if (/[,:\\]/.test(dir)) throw new ExecutorError('EXE107', `the sandbox cannot use the folder "${dir}": overlay mount options cannot hold ",", ":" or "\\"`, 'choose a cache folder (cacheDir) and run folder (runDir) whose paths hold none of them');
    }
    const unshare = [...enter, tools.unshare, '--user', '--map-root-user', '--mount', '--propagation', 'private', tools.sh, '-c', WRAPPER_SCRIPT, 'argots-sandbox', tools.mount, lower, upper ?? '', work ?? '', merged ?? '', ...bwrap];
    // If this process dies (killed, crashed), the kernel kills the wrapper, and bwrap dies with its parent.
    const argv = tools.setpriv ? [tools.setpriv, '--pdeathsig', 'SIGKILL', '--', ...unshare] : unshare;
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd: runDir,
      env: { PATH: HOST_PATH },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    this.running.add(child);
    const control = child.stdio[3] as Duplex;
    const envPipe = child.stdio[4] as Duplex;
    envPipe.on('error', () => undefined);
    envPipe.end(envArgs(env));
    child.stdout?.on('data', (d: Buffer) => request.onOutput('stdout', d));
    child.stderr?.on('data', (d: Buffer) => request.onOutput('stderr', d));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(request.stdin ?? '');
    const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));

    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      aborted = true;
      // SIGTERM to the step (the children of bubblewrap's init in the sandbox), then SIGKILL to everything.
      const tree = descendants(child.pid ?? -1, listProcesses());
      const bwraps = new Set(tree.filter((p) => p.comm === 'bwrap').map((p) => p.pid));
      for (const p of tree) if (bwraps.has(p.ppid) && p.comm !== 'bwrap') signal(p.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child), this.options.killGraceMs ?? 10_000);
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const line = await Promise.race([controlLine(control), spawnFailed.then((e) => `spawn-failed ${e.message}`)]);
      if (line?.startsWith('spawn-failed ')) {
        throw new ExecutorError('EXE107', `node "${request.node}": the sandbox could not start: ${line.slice(13)}`, 'check that util-linux (unshare) is installed');
      }
      if (line?.startsWith('mount-failed')) {
        await exited(child);
        throw new ExecutorError('EXE107', `node "${request.node}": the sandbox could not mount its overlay root (${line.slice(13).trim()})`, USERNS_HINT);
      }
      let exitCode: number;
      if (line?.startsWith('exit ')) {
        exitCode = Number(line.slice(5));
        if (!aborted && request.collect.length > 0) {
          await copyOut(`/proc/${child.pid}/root${merged}`, request.mounts, request.collect).catch((error: unknown) => {
            const code = (error as NodeJS.ErrnoException).code;
            throw new ExecutorError('EXE109', `node "${request.node}": an output could not be copied out: ${(error as Error).message}`, code === 'ERR_FS_CP_EEXIST' || code === 'EEXIST'
              ? 'the destination already exists; outputs are never written over'
              : 'check the free space and permissions of the destination folder');
          });
        }
        control.end('\n');
        await exited(child);
      } else {
        // The wrapper died without reporting (killed): take its status.
        const status = await exited(child);
        exitCode = status.code ?? 128 + signalNumber(status.signal);
      }
      if (aborted) return { exitCode: exitCode > 128 ? exitCode : 143, signal: exitCode === 137 ? 'SIGKILL' : 'SIGTERM' };
      return { exitCode };
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      killGroup(child);
      this.running.delete(child);
    }
  }

  private zygote(tools: Tools, network: 'host' | 'pod'): Promise<{ zygote: Zygote; slots: OverlaySlots }> {
    let z = this.zygotes.get(network);
    if (!z) {
      z = (async () => {
        const enter = network === 'pod' ? (await this.pod(tools)).enter() : [];
        const zygote = await Zygote.start(tools, enter, { PATH: HOST_PATH });
        const base = this.options.runDir ?? tmpdir();
        if (/[,:\\]/.test(base)) throw new ExecutorError('EXE107', `the sandbox cannot use the folder "${base}": overlay mount options cannot hold ",", ":" or "\\"`, 'choose a run folder (runDir) whose path holds none of them');
        return { zygote, slots: new OverlaySlots(zygote, { mount: tools.mount, umount: tools.umount as string }, base, { PATH: HOST_PATH }, USERNS_HINT) };
      })();
      z.catch(() => this.zygotes.delete(network));
      this.zygotes.set(network, z);
    }
    return z;
  }

  /**
   * One step through the zygote (zygote.ts): a fresh overlay root (mounted ahead), bubblewrap started by the
   * zygote with the step's pipes, outputs copied out of the root through the zygote's `/proc/<pid>/root`.
   */
  private async runInZygote(tools: Tools, image: CachedImage, argv: readonly string[], workingDir: string, env: Record<string, string>, user: { uid: number; gid: number }, joinsPod: boolean, request: ExecRequest): Promise<ExecResult> {
    if (/[,:\\]/.test(image.rootfs)) throw new ExecutorError('EXE107', `the sandbox cannot use the folder "${image.rootfs}": overlay mount options cannot hold ",", ":" or "\\"`, 'choose a cache folder (cacheDir) whose path holds none of them');
    const { zygote, slots } = await this.zygote(tools, joinsPod ? 'pod' : 'host');
    let slot: Slot;
    try {
      slot = await slots.acquire(image.rootfs);
    } catch (error) {
      if (error instanceof ExecutorError) throw new ExecutorError(error.code, `node "${request.node}": ${error.message}`, error.hint);
      throw error;
    }
    const bwrap = bwrapArgv({ bwrap: tools.bwrap, merged: slot.merged, argv, workingDir, mounts: request.mounts, network: request.network, podNetwork: joinsPod, hostname: hostnameOf(request.node), uid: user.uid, gid: user.gid, networkFiles: ['/etc/resolv.conf', '/etc/hosts'], argsFd: 3 });
    let pid: number | undefined;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const killAll = (): void => {
      if (pid !== undefined) signal(-pid, 'SIGKILL');
    };
    const onAbort = (): void => {
      aborted = true;
      if (pid === undefined) return;
      // SIGTERM to the step (the children of bubblewrap's init in the sandbox), then SIGKILL to everything.
      const tree = descendants(pid, listProcesses());
      const bwraps = new Set([pid, ...tree.filter((p) => p.comm === 'bwrap').map((p) => p.pid)]);
      for (const p of tree) if (bwraps.has(p.ppid) && p.comm !== 'bwrap') signal(p.pid, 'SIGTERM');
      killTimer = setTimeout(killAll, this.options.killGraceMs ?? 10_000);
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = await zygote.run({
        file: bwrap[0] as string,
        args: bwrap.slice(1),
        env: { PATH: HOST_PATH },
        ...(request.stdin !== undefined ? { stdin: request.stdin } : {}),
        fd3: envArgs(env),
        onOutput: request.onOutput,
        onPid: (p) => {
          pid = p;
          if (aborted) onAbort();
        },
      });
      if (outcome.kind === 'error') throw new ExecutorError('EXE107', `node "${request.node}": the sandbox could not start: ${outcome.message}`, 'check that bubblewrap is installed');
      const exitCode = outcome.code ?? 128 + signalNumber(outcome.signal);
      if (!aborted && request.collect.length > 0) {
        await copyOut(`/proc/${zygote.pid}/root${slot.merged}`, request.mounts, request.collect).catch((error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code;
          throw new ExecutorError('EXE109', `node "${request.node}": an output could not be copied out: ${(error as Error).message}`, code === 'ERR_FS_CP_EEXIST' || code === 'EEXIST'
            ? 'the destination already exists; outputs are never written over'
            : 'check the free space and permissions of the destination folder');
        });
      }
      if (aborted) return { exitCode: exitCode > 128 ? exitCode : 143, signal: exitCode === 137 ? 'SIGKILL' : 'SIGTERM' };
      return { exitCode };
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      killAll();
      slots.release(slot);
    }
  }

  /** The run's pod network, started on first use (see pod-network.ts). */
  private pod(tools: Tools): Promise<PodNetwork> {
    if (!this.podNetwork) {
      const { nsenter, sleep } = tools;
      if (!nsenter || !sleep) throw new ExecutorError('EXE112', 'the sandbox needs util-linux\'s "nsenter" (and "sleep") for the pod network that daemons and sidecars share, and it was not found on PATH', 'install util-linux (apt-get install util-linux), or run with --network');
      this.podNetwork = PodNetwork.start({ setpriv: tools.setpriv, unshare: tools.unshare, bwrap: tools.bwrap, nsenter, sleep }, { PATH: HOST_PATH });
      this.podNetwork.catch(() => (this.podNetwork = undefined));
    }
    return this.podNetwork;
  }

  async close(): Promise<void> {
    const zygotes = [...this.zygotes.values()];
    this.zygotes.clear();
    for (const z of await Promise.allSettled(zygotes)) {
      if (z.status !== 'fulfilled') continue;
      await z.value.slots.close();
      z.value.zygote.close();
    }
    const pod = this.podNetwork;
    this.podNetwork = undefined;
    if (pod) (await pod.catch(() => undefined))?.close();
    for (const child of this.running) killGroup(child);
    this.running.clear();
    this.prepared.clear();
  }
}

function nonEmpty(list: readonly string[] | undefined): readonly string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    /* already gone */
  }
}

/** SIGKILL to the wrapper's process group: the wrapper, both bwraps and (through the pid namespace) the step. */
function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) signal(-child.pid, 'SIGKILL');
}

function signalNumber(name: NodeJS.Signals | null): number {
  return name === 'SIGKILL' ? 9 : name === 'SIGTERM' ? 15 : name === 'SIGINT' ? 2 : 1;
}

const USERNS_HINT = 'the sandbox needs unprivileged user namespaces with overlayfs in them (Linux 5.11 or later; Debian: sysctl kernel.unprivileged_userns_clone=1; Ubuntu 24.04+: sysctl kernel.apparmor_restrict_unprivileged_userns=0), or choose the docker or podman backend';

/** Mounts an overlay in a user namespace and runs `true` under bwrap with the namespaces a run uses. */
async function probe(tools: Tools, base: string): Promise<void> {
  const dir = await mkdtemp(join(base, 'argots-sandbox-probe-'));
  try {
    const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((d) => join(dir, d)) as [string, string, string, string];
    for (const d of [lower, upper, work, merged]) await mkdir(d);
    const truePath = findProgram('true', HOST_PATH) ?? '/bin/true';
    const script = '"$1" -t overlay overlay -o "lowerdir=$2,upperdir=$3,workdir=$4" "$5" || exit 90; shift 5; exec "$@"';
    const argv = [tools.unshare, '--user', '--map-root-user', '--mount', '--propagation', 'private', tools.sh, '-c', script, 'argots-sandbox-probe', tools.mount, lower, upper, work, merged,
      tools.bwrap, '--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', truePath];
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: HOST_PATH } });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('error', (e) => resolve({ code: -1, stderr: e.message }));
      child.once('close', (code) => resolve({ code, stderr }));
    });
    if (result.code === 0) return;
    const why = result.stderr.trim().split('\n')[0] ?? '';
    const what = result.code === 90 ? 'an overlay cannot be mounted in a user namespace' : 'bubblewrap cannot make its namespaces';
    throw new ExecutorError('EXE107', `the sandbox backend does not work on this machine: ${what}${why ? ` (${why})` : ''}`, USERNS_HINT);
  } finally {
    await chmod(join(dir, 'work', 'work'), 0o700).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The `sandbox` executor (bubblewrap over images unpacked from the OCI client's pulls). */
export function createSandboxExecutor(options: SandboxExecutorOptions = {}): Executor & { readonly store: ImageStore; available(): Promise<void> } {
  return new SandboxExecutor(options);
}

export type { ImageConfig };
