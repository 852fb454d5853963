/**
 * The boundary between the scheduler (which decides what runs, with Argo's semantics) and the backends that
 * run one container: `sandbox` (bubblewrap over an unpacked OCI image), `docker`, `podman`, and `host` (no
 * container: the command runs as a plain process, for benchmarks and trusted local steps).
 *
 * The scheduler resolves every `{{…}}` before it builds a request: an executor never interprets templates,
 * never sees a shell string it did not get as argv, and never reads the workflow.
 */

/** A host path made visible inside the container. */
export interface Mount {
  /** Absolute path on this machine (a file or a folder). */
  readonly hostPath: string;
  /** Absolute path inside the container. */
  readonly containerPath: string;
  readonly readOnly: boolean;
}

/** A path inside the container to copy out after the process exits (outputs, output artifacts). */
export interface Collect {
  /** Absolute path inside the container. */
  readonly containerPath: string;
  /** Absolute host path to copy it to (a file stays a file, a folder stays a folder). */
  readonly hostPath: string;
}

export interface ExecRequest {
  /** The node's name as Argo forms it (`build(0:a)`), for messages. */
  readonly node: string;
  /** An image reference (`registry/repo:tag` or `…@sha256:…`); ignored by the host executor. */
  readonly image: string;
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** `command` and `args` as in a Kubernetes container; when `command` is absent the image's entrypoint applies. */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workingDir?: string;
  readonly mounts: readonly Mount[];
  /** Copied out after exit; a path that does not exist is left out (the scheduler reports it). */
  readonly collect: readonly Collect[];
  /** False unless the run asks for the network. */
  readonly network: boolean;
  /**
   * Without the network: join the run's pod network (one loopback-only network shared by the run's containers,
   * so that sidecars and daemons are reachable at 127.0.0.1) instead of a network of the container's own.
   * The scheduler asks for it when the workflow has daemons or sidecars.
   */
  readonly podNetwork?: boolean;
  /** Written to the process's standard input, then closed. */
  readonly stdin?: string;
  /** Aborting stops the container (SIGTERM, then SIGKILL) and leaves no process behind. */
  readonly signal: AbortSignal;
  readonly onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface ExecResult {
  /** The main process's exit code; 128 + n when killed by signal n. */
  readonly exitCode: number;
  /** Set when the process was stopped by a signal. */
  readonly signal?: string;
}

export interface Executor {
  readonly name: 'sandbox' | 'docker' | 'podman' | 'host';
  /** Make the image available (pull, unpack); called once per image before the first run. Throws ExecutorError. */
  prepare(image: string, options: { readonly signal: AbortSignal; readonly pullPolicy?: ExecRequest['imagePullPolicy'] }): Promise<void>;
  run(request: ExecRequest): Promise<ExecResult>;
  /** Release what the executor holds (temporary root file systems, daemons it started). */
  close(): Promise<void>;
}

/** A failure of the backend itself (image cannot be pulled, bwrap missing), as opposed to a step that exits non-zero. */
export class ExecutorError extends Error {
  override readonly name = 'ExecutorError';
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
