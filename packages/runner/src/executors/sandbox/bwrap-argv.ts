/**
 * The command line of one sandboxed run: `unshare` makes a user and mount namespace in which the image's
 * cached root (read-only, the overlay's lower layer) gets a per-run writable upper layer; bubblewrap then runs
 * the step on that root in its own user, pid, ipc, uts (and network) namespaces. A small, constant `sh`
 * script glues the two: it mounts, runs bwrap, reports the exit code on fd 3 and waits there, so that
 * outputs can be copied out of the finished root (`/proc/<pid>/root/…`) before the namespace goes away.
 * Every path and value is an argument of that script, never part of its source.
 */
import type { Mount } from '../executor.js';

/** Constant shell source; $1 is `mount`, $2..$5 the overlay's lower, upper, work and merged folders, $6… bwrap's argv. */
export const WRAPPER_SCRIPT = [
  'err=$("$1" -t overlay overlay -o "lowerdir=$2,upperdir=$3,workdir=$4" "$5" 2>&1) || { printf "mount-failed %s\\n" "$err" >&3; exit 125; }',
  'shift 5',
  '"$@" 3>&-',
  'rc=$?',
  'printf "exit %s\\n" "$rc" >&3',
  'read -r _ <&3',
  'exit "$rc"',
].join('\n');

export interface SandboxCommand {
  readonly bwrap: string;
  readonly merged: string;
  readonly argv: readonly string[];
  readonly workingDir: string;
  readonly mounts: readonly Mount[];
  readonly network: boolean;
  /** The step already runs in the run's pod network (entered with nsenter): no network namespace of its own. */
  readonly podNetwork?: boolean;
  readonly hostname: string;
  readonly uid: number;
  readonly gid: number;
  /** Host files made visible read-only when the network is on (`/etc/resolv.conf`, `/etc/hosts`). */
  readonly networkFiles: readonly string[];
  /** The fd bubblewrap reads its environment arguments from (default 4, the wrapper's; the zygote uses 3). */
  readonly argsFd?: number;
}

/**
 * The capabilities a container runtime gives a root container by default (Docker's and containerd's set,
 * which is what a pod gets without securityContext.capabilities); bwrap would otherwise keep them all
 * (within the sandbox's user namespace). A non-root uid gets none, as in a pod.
 */
export const DEFAULT_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP', 'NET_BIND_SERVICE', 'NET_RAW', 'SYS_CHROOT', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP'] as const;

/** bwrap's argv for one run (the part after `mount` and the four overlay folders). */
export function bwrapArgv(c: SandboxCommand): readonly string[] {
  // The environment comes through fd 4 (see envArgs), neither in argv nor in the host tools' environment.
  const args = [c.bwrap, '--args', String(c.argsFd ?? 4), '--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'];
  if (!c.network && !c.podNetwork) args.push('--unshare-net');
  args.push('--die-with-parent', '--uid', String(c.uid), '--gid', String(c.gid), '--hostname', c.hostname);
  if (c.uid === 0) {
    args.push('--cap-drop', 'ALL');
    for (const cap of DEFAULT_CAPABILITIES) args.push('--cap-add', `CAP_${cap}`);
  }
  args.push('--bind', c.merged, '/', '--proc', '/proc', '--dev', '/dev', '--perms', '1777', '--dir', '/tmp');
  if (c.network) for (const file of c.networkFiles) args.push('--ro-bind-try', file, file);
  for (const m of c.mounts) args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.containerPath);
  args.push('--dir', c.workingDir, '--chdir', c.workingDir);
  // bwrap sets PWD to the working dir after --chdir, as a shell would.
  args.push('--', ...c.argv);
  return args;
}

/**
 * bwrap's `--args 4` input: `--clearenv` and one `--setenv NAME VALUE` per variable, NUL-separated. Through a
 * pipe, the step's environment (secrets included) is not in any command line other users can read, and not
 * in the environment of the host programs that start the sandbox (an `LD_PRELOAD` meant for the container
 * must not load into this machine's `mount` or `bwrap`).
 */
export function envArgs(env: Readonly<Record<string, string>>): Buffer {
  const parts = ['--clearenv', ...Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v])];
  return Buffer.from(`${parts.join('\0')}\0`);
}

/** A host name from the node's name, as Kubernetes names a pod (lower case, `-`, at most 63 characters). */
export function hostnameOf(node: string): string {
  const name = node.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return name || 'argots';
}
