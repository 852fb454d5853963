/**
 * Processes started from a small helper process instead of from argots itself. Starting a process costs a
 * `fork()` whose price grows with the parent's memory: from the scheduler's process (a few hundred MB with the
 * pipelines loaded) it took most of the per-node time of a 1,000-step run; from a bare Node helper it costs what
 * starting the process directly costs. The helper starts each command in a process group of its own, streams its
 * output back, and kills every group it started when argots goes away (its IPC channel closes).
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The helper's whole program (plain JavaScript, no loader: it must stay small). */
const HELPER = `
const { spawn } = require('node:child_process');
const children = new Map();
const killGroup = (pid, signal) => { try { process.kill(-pid, signal); } catch {} };
process.on('SIGINT', () => {});
process.on('disconnect', () => { for (const c of children.values()) killGroup(c.pid, 'SIGKILL'); process.exit(0); });
process.on('message', (m) => {
  if (m.t === 'kill') { const c = children.get(m.id); if (c) killGroup(c.pid, m.signal); return; }
  let child;
  try {
    child = spawn(m.file, m.args, { cwd: m.cwd, env: m.env, detached: true, stdio: [m.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  } catch (e) { process.send({ t: 'error', id: m.id, code: e.code, message: e.message }); return; }
  children.set(m.id, child);
  child.stdout.on('data', (d) => process.send({ t: 'out', id: m.id, s: 'stdout', d: d.toString('base64') }));
  child.stderr.on('data', (d) => process.send({ t: 'out', id: m.id, s: 'stderr', d: d.toString('base64') }));
  if (child.stdin) { child.stdin.on('error', () => {}); child.stdin.end(m.stdin); }
  child.on('error', (e) => { children.delete(m.id); process.send({ t: 'error', id: m.id, code: e.code, message: e.message }); });
  child.on('close', (code, signal) => { children.delete(m.id); killGroup(child.pid, 'SIGKILL'); process.send({ t: 'exit', id: m.id, code, signal }); });
});
`;

export interface SpawnRequest {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: string;
  readonly onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export type SpawnOutcome = { readonly kind: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null } | { readonly kind: 'error'; readonly code: string | undefined; readonly message: string };

type Message =
  | { t: 'out'; id: number; s: 'stdout' | 'stderr'; d: string }
  | { t: 'exit'; id: number; code: number | null; signal: NodeJS.Signals | null }
  | { t: 'error'; id: number; code?: string; message: string };

interface Pending {
  readonly request: SpawnRequest;
  readonly resolve: (o: SpawnOutcome) => void;
}

export class SpawnHelper {
  private helper: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private start(): ChildProcess {
    if (this.helper?.connected) return this.helper;
    const helper = spawn(process.execPath, ['-e', HELPER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { PATH: process.env['PATH'] ?? '' } });
    helper.on('message', (m: Message) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.t === 'out') p.request.onOutput(m.s, Buffer.from(m.d, 'base64'));
      else {
        this.pending.delete(m.id);
        p.resolve(m.t === 'exit' ? { kind: 'exit', code: m.code, signal: m.signal } : { kind: 'error', code: m.code, message: m.message });
        this.idle();
      }
    });
    helper.on('exit', () => {
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.resolve({ kind: 'error', code: 'EHELPER', message: 'the process helper exited' });
      }
    });
    this.helper = helper;
    return helper;
  }

  /** The helper keeps argots alive only while it runs something. */
  private idle(): void {
    if (this.pending.size > 0) return;
    this.helper?.unref();
    (this.helper as unknown as { channel?: { unref(): void } } | undefined)?.channel?.unref();
  }

  /** Starts a command; `kill` signals its whole process group. */
  run(request: SpawnRequest): { readonly done: Promise<SpawnOutcome>; readonly kill: (signal: NodeJS.Signals) => void } {
    const helper = this.start();
    helper.ref();
    (helper as unknown as { channel?: { ref(): void } }).channel?.ref();
    const id = this.nextId;
    this.nextId += 1;
    const done = new Promise<SpawnOutcome>((resolve) => this.pending.set(id, { request, resolve }));
    helper.send({ t: 'spawn', id, file: request.file, args: request.args, cwd: request.cwd, env: request.env, ...(request.stdin !== undefined ? { stdin: request.stdin } : {}) });
    return {
      done,
      kill: (signal) => {
        if (this.pending.has(id) && helper.connected) helper.send({ t: 'kill', id, signal });
      },
    };
  }

  /** Stops the helper (it kills whatever still runs). */
  close(): void {
    if (this.helper?.connected) this.helper.disconnect();
    this.helper = undefined;
  }
}
