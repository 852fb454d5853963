/**
 * The sandbox's zygote: one small Node process per executor (and network), started once in a user and mount
 * namespace of its own (`unshare --map-root-user --mount`), which mounts the steps' overlay roots and starts
 * each step's bubblewrap directly, with its pipes. A step then costs bubblewrap and the step's own process —
 * not also `setpriv`, `unshare`, a shell and `mount` on its way, as when every step made its namespaces from
 * scratch — and the overlay of the next step is mounted while the current one runs ({@link OverlaySlots}).
 *
 * Isolation is unchanged: every step still gets its own user, pid, ipc, uts, mount (and network) namespaces
 * from bubblewrap; the zygote's namespaces only hold the overlay mounts, which no step can see. The zygote
 * dies with argots (`setpriv --pdeathsig`, and its IPC channel closing), killing every step it started;
 * bubblewrap's `--die-with-parent` takes each sandbox down with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ExecutorError } from '../executor.js';

/** The zygote's whole program (plain JavaScript: it must start fast and stay small). */
const ZYGOTE = `// argots-sandbox-zygote
const { spawn } = require('node:child_process');
const children = new Map();
const killGroup = (pid, signal) => { try { process.kill(-pid, signal); } catch {} };
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => { for (const c of children.values()) killGroup(c.pid, 'SIGKILL'); process.exit(0); });
process.on('message', (m) => {
  let child;
  try {
    child = spawn(m.file, m.args, { cwd: '/', env: m.env, detached: true, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  } catch (e) { process.send({ t: 'error', id: m.id, message: e.message }); return; }
  children.set(m.id, child);
  process.send({ t: 'pid', id: m.id, pid: child.pid });
  child.stdout.on('data', (d) => process.send({ t: 'out', id: m.id, s: 'stdout', d: d.toString('base64') }));
  child.stderr.on('data', (d) => process.send({ t: 'out', id: m.id, s: 'stderr', d: d.toString('base64') }));
  child.stdin.on('error', () => {});
  child.stdin.end(m.stdin || '');
  child.stdio[3].on('error', () => {});
  child.stdio[3].end(Buffer.from(m.fd3 || '', 'base64'));
  child.on('error', (e) => { children.delete(m.id); process.send({ t: 'error', id: m.id, message: e.message }); });
  child.on('close', (code, signal) => { children.delete(m.id); killGroup(child.pid, 'SIGKILL'); process.send({ t: 'exit', id: m.id, code, signal }); });
});
process.send({ t: 'ready' });
`;

type Message =
  | { t: 'ready' }
  | { t: 'pid'; id: number; pid: number }
  | { t: 'out'; id: number; s: 'stdout' | 'stderr'; d: string }
  | { t: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { t: 'error'; id: number; message: string };

export interface ZygoteRun {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
  /** Written to the process's fd 3, then closed (bubblewrap's `--args 3`). */
  readonly fd3?: Buffer;
  readonly onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  readonly onPid?: (pid: number) => void;
}

export type ZygoteOutcome = { readonly kind: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null } | { readonly kind: 'error'; readonly message: string };

interface Pending {
  readonly run: ZygoteRun;
  readonly resolve: (o: ZygoteOutcome) => void;
}

export class Zygote {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: Message) => {
      if (m.t === 'ready') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.t === 'pid') p.run.onPid?.(m.pid);
      else if (m.t === 'out') p.run.onOutput?.(m.s, Buffer.from(m.d, 'base64'));
      else {
        this.pending.delete(m.id);
        p.resolve(m.t === 'exit' ? { kind: 'exit', code: m.code, signal: m.signal } : { kind: 'error', message: m.message });
        this.idle();
      }
    });
    child.on('exit', () => {
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.resolve({ kind: 'error', message: 'the sandbox zygote exited' });
      }
    });
    this.idle();
  }

  /** The zygote's pid: `/proc/<pid>/root` is the file system as its mount namespace sees it (the overlays). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.connected;
  }

  /**
   * Starts the zygote: `[setpriv --pdeathsig SIGKILL --] [enter…] unshare --user --map-root-user --mount
   * --propagation private node -e ZYGOTE`, and waits for it to answer (up to 10 s).
   */
  static async start(tools: { readonly setpriv: string | undefined; readonly unshare: string }, enter: readonly string[], env: Readonly<Record<string, string>>): Promise<Zygote> {
    const inner = [...enter, tools.unshare, '--user', '--map-root-user', '--mount', '--propagation', 'private', process.execPath, '-e', ZYGOTE];
    const argv = tools.setpriv ? [tools.setpriv, '--pdeathsig', 'SIGKILL', '--', ...inner] : inner;
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...env } });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      child.once('message', () => (clearTimeout(timer), resolve(true)));
      child.once('exit', () => (clearTimeout(timer), resolve(false)));
      child.once('error', () => (clearTimeout(timer), resolve(false)));
    });
    if (!ready) {
      child.kill('SIGKILL');
      throw new ExecutorError('EXE107', `the sandbox could not start its namespace helper${stderr.trim() ? ` (${stderr.trim().split('\n')[0]})` : ''}`, 'the sandbox needs unprivileged user namespaces (and util-linux\'s unshare)');
    }
    // Neither its stderr nor its process keeps argots alive (idle() unrefs the IPC channel likewise).
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    return new Zygote(child);
  }

  /** The zygote keeps argots alive only while it runs something. */
  private idle(): void {
    if (this.pending.size > 0) return;
    this.child.unref();
    (this.child as unknown as { channel?: { unref(): void } }).channel?.unref();
  }

  run(run: ZygoteRun): Promise<ZygoteOutcome> {
    if (!this.child.connected) return Promise.resolve({ kind: 'error', message: 'the sandbox zygote is not running' });
    this.child.ref();
    (this.child as unknown as { channel?: { ref(): void } }).channel?.ref();
    const id = this.nextId;
    this.nextId += 1;
    const done = new Promise<ZygoteOutcome>((resolve) => this.pending.set(id, { run, resolve }));
    this.child.send({ t: 'run', id, file: run.file, args: run.args, env: run.env, ...(run.stdin !== undefined ? { stdin: run.stdin } : {}), ...(run.fd3 ? { fd3: run.fd3.toString('base64') } : {}) });
    return done;
  }

  /** Runs a short command in the zygote's namespaces (mount, umount) and returns its exit code and stderr. */
  async exec(file: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<{ code: number; stderr: string }> {
    let stderr = '';
    const outcome = await this.run({ file, args, env, onOutput: (s, d) => (s === 'stderr' ? (stderr += d.toString()) : undefined) });
    if (outcome.kind === 'error') return { code: -1, stderr: outcome.message };
    return { code: outcome.code ?? 128, stderr };
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
