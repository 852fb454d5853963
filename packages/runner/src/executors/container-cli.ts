/**
 * What the `docker` and `podman` backends share: both CLIs take the same `run` flags. A step is one named
 * container (`run --name … [--rm]`), its environment in a 0600 env file (never in argv, where other users
 * could read it), binds as `-v host:container[:ro]`, `--network none` unless the run asks for the network,
 * `cp` of its outputs once it has exited, `kill` (SIGTERM, then SIGKILL) on abort, and `rm -f` at the end.
 *
 * Neither engine runs on the machines this project is tested on (no Docker daemon; podman cannot set
 * rlimits or use the cgroups there): the argv, the detection and the errors are tested, a live run is not.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ExecutorError, type ExecRequest, type ExecResult, type Executor } from './executor.js';
import { findProgram } from './find-program.js';

export interface ContainerCliOptions {
  /** The CLI: a name looked up on PATH or an absolute path. Default `docker` / `podman`. */
  readonly program?: string;
  /** The environment the CLI runs with (DOCKER_HOST, CONTAINER_HOST, DOCKER_CONFIG, PATH…). Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Time between SIGTERM and SIGKILL when a run is aborted. Default 10 s. */
  readonly killGraceMs?: number;
}

export type ContainerEngine = 'docker' | 'podman';

const PULL: Readonly<Record<NonNullable<ExecRequest['imagePullPolicy']>, string>> = { Always: 'always', IfNotPresent: 'missing', Never: 'never' };

const INSTALL_HINT: Readonly<Record<ContainerEngine, string>> = {
  docker: 'install Docker (https://docs.docker.com/engine/install/), or choose the sandbox backend (bubblewrap)',
  podman: 'install podman (apt-get install podman), or choose the sandbox backend (bubblewrap)',
};

/** A container name from the node's name, unique per run. */
export function containerName(node: string): string {
  const base = node.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-_.]+|-+$/g, '').slice(0, 40) || 'step';
  return `argots-${base}-${randomBytes(4).toString('hex')}`;
}

/** Whether an env value can go in an env file (one line). */
const fitsEnvFile = (value: string): boolean => !/[\r\n]/.test(value);

/** The env file's text: `NAME=value` lines (values taken literally by both CLIs). */
export function envFileText(env: Readonly<Record<string, string>>): string {
  return Object.entries(env).filter(([, v]) => fitsEnvFile(v)).map(([k, v]) => `${k}=${v}\n`).join('');
}

/** The `run` argv (after the program) for one request. */
export function containerRunArgv(engine: ContainerEngine, request: ExecRequest, options: { readonly name: string; readonly envFile: string | undefined; readonly remove: boolean }): readonly string[] {
  const args = ['run', '--name', options.name, '--label', 'io.argots.runner=step'];
  if (options.remove) args.push('--rm');
  if (request.stdin !== undefined) args.push('-i');
  if (!request.network) args.push('--network', 'none');
  if (request.imagePullPolicy) args.push('--pull', PULL[request.imagePullPolicy]);
  if (options.envFile) args.push('--env-file', options.envFile);
  // Values with line breaks cannot live in an env file: they come from the CLI's own environment by name.
  for (const [k, v] of Object.entries(request.env)) if (!fitsEnvFile(v)) args.push('-e', k);
  if (request.workingDir) args.push('-w', request.workingDir);
  for (const m of request.mounts) {
    for (const p of [m.hostPath, m.containerPath]) {
      if (p.includes(':') || p.includes(',')) throw new ExecutorError('EXE205', `node "${request.node}": the ${engine} backend cannot bind "${p}" (a path holding ":" or ",")`, 'rename the folder, or use the sandbox backend');
    }
    args.push('-v', `${m.hostPath}:${m.containerPath}${m.readOnly ? ':ro' : ''}`);
  }
  // Kubernetes: command replaces ENTRYPOINT (and drops CMD: --entrypoint clears it), args replace CMD.
  const command = request.command && request.command.length > 0 ? request.command : undefined;
  if (command) args.push('--entrypoint', command[0] as string);
  args.push('--', request.image, ...(command ? command.slice(1) : []), ...(request.args ?? []));
  return args;
}

interface Exited {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly stdout: string;
}

function runCli(program: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>, io?: { readonly onOutput?: ExecRequest['onOutput']; readonly stdin?: string }): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: env as NodeJS.ProcessEnv, stdio: [io?.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      if (io?.onOutput) io.onOutput('stdout', d);
      else if (stdout.length < 65_536) stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 65_536) stderr += d.toString();
      io?.onOutput?.('stderr', d);
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(io?.stdin ?? '');
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

const firstLine = (text: string): string => text.trim().split('\n').find((l) => l.trim() !== '')?.trim() ?? '';

class ContainerCliExecutor implements Executor {
  readonly name: ContainerEngine;
  private readonly options: ContainerCliOptions;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private ready: Promise<string> | undefined;
  private readonly live = new Set<string>();

  constructor(engine: ContainerEngine, options: ContainerCliOptions) {
    this.name = engine;
    this.options = options;
    this.env = options.env ?? process.env;
  }

  /** The CLI's path once it answers with a server (docker: the daemon; podman: its service), else an ExecutorError. */
  available(): Promise<string> {
    this.ready ??= (async () => {
      const wanted = this.options.program ?? this.name;
      const program = findProgram(wanted, this.env['PATH']);
      if (!program) throw new ExecutorError('EXE201', `the ${this.name} backend needs the "${wanted}" program, and it was not found${wanted.startsWith('/') ? '' : ' on PATH'}`, INSTALL_HINT[this.name]);
      const probe = this.name === 'docker' ? ['version', '--format', '{{.Server.Version}}'] : ['info', '--format', '{{.Host.Arch}}'];
      const out = await runCli(program, probe, this.env);
      if (out.code !== 0 || out.stdout.trim() === '') {
        const why = firstLine(out.stderr) || `"${wanted} ${probe[0]}" exited with ${out.code ?? out.signal}`;
        throw new ExecutorError('EXE202', `the ${this.name} backend cannot reach its engine: ${why}`, this.name === 'docker'
          ? 'start the Docker daemon (or set DOCKER_HOST / the docker context to a running one), or choose the sandbox backend'
          : 'check "podman info" (rootless podman needs user namespaces and cgroups it may use), or choose the sandbox backend');
      }
      return program;
    })();
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  async prepare(image: string, options: { readonly signal: AbortSignal; readonly pullPolicy?: ExecRequest['imagePullPolicy'] }): Promise<void> {
    const program = await this.available();
    if (options.pullPolicy === 'Never') return;
    if (options.pullPolicy !== 'Always') {
      const present = await runCli(program, ['image', 'inspect', '--format', '{{.Id}}', '--', image], this.env);
      if (present.code === 0) return;
    }
    const pulled = await runCli(program, ['pull', '--', image], this.env);
    if (pulled.code !== 0) {
      throw new ExecutorError('EXE203', `image "${image}" could not be pulled by ${this.name}: ${firstLine(pulled.stderr)}`, `check the image name, that its registry is reachable, and "${this.name} login" for private registries`);
    }
  }

  async run(request: ExecRequest): Promise<ExecResult> {
    const program = await this.available();
    if (request.signal.aborted) return { exitCode: 143, signal: 'SIGTERM' };
    const name = containerName(request.node);
    const dir = await mkdtemp(join(tmpdir(), 'argots-cli-'));
    try {
      const envText = envFileText(request.env);
      const envFile = envText ? join(dir, 'env') : undefined;
      if (envFile) await writeFile(envFile, envText, { mode: 0o600 });
      const multiline = Object.fromEntries(Object.entries(request.env).filter(([, v]) => !fitsEnvFile(v)));
      const argv = containerRunArgv(this.name, request, { name, envFile, remove: request.collect.length === 0 });
      let aborted = false;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        aborted = true;
        void runCli(program, ['kill', '--signal', 'SIGTERM', name], this.env);
        timer = setTimeout(() => void runCli(program, ['kill', '--signal', 'SIGKILL', name], this.env), this.options.killGraceMs ?? 10_000);
      };
      request.signal.addEventListener('abort', onAbort, { once: true });
      this.live.add(name);
      let exited: Exited;
      try {
        exited = await runCli(program, argv, { ...this.env, ...multiline }, { onOutput: request.onOutput, ...(request.stdin !== undefined ? { stdin: request.stdin } : {}) });
      } finally {
        request.signal.removeEventListener('abort', onAbort);
        if (timer) clearTimeout(timer);
      }
      const code = exited.code ?? 128;
      if (code === 125 && /^(docker|podman|Error)[:\s]/m.test(exited.stderr)) {
        throw new ExecutorError('EXE204', `node "${request.node}": ${this.name} could not start the container: ${firstLine(exited.stderr)}`, `run the same "${this.name} run" by hand to see why`);
      }
      if (!aborted) await this.collect(program, name, request);
      if (aborted) return { exitCode: code > 128 ? code : 143, signal: code === 137 ? 'SIGKILL' : 'SIGTERM' };
      return { exitCode: code };
    } finally {
      if (request.collect.length > 0) await runCli(program, ['rm', '-f', name], this.env).catch(() => undefined);
      this.live.delete(name);
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async collect(program: string, name: string, request: ExecRequest): Promise<void> {
    for (const c of request.collect) {
      await mkdir(dirname(c.hostPath), { recursive: true });
      const out = await runCli(program, ['cp', `${name}:${c.containerPath}`, c.hostPath], this.env);
      if (out.code !== 0 && !/could not find the file|could not be found|no such file or directory/i.test(out.stderr)) {
        throw new ExecutorError('EXE206', `node "${request.node}": ${this.name} cp of "${c.containerPath}" failed: ${firstLine(out.stderr)}`, 'check the free space and permissions of the run folder');
      }
    }
  }

  async close(): Promise<void> {
    const program = await this.available().catch(() => undefined);
    if (program) for (const name of this.live) await runCli(program, ['rm', '-f', name], this.env).catch(() => undefined);
    this.live.clear();
  }
}

export function createContainerCliExecutor(engine: ContainerEngine, options: ContainerCliOptions = {}): Executor & { available(): Promise<string> } {
  return new ContainerCliExecutor(engine, options);
}
