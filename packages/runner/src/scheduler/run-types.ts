import type { Executor } from '../executors/executor.js';
import type { NodePhase, RunNode } from '../model/node.js';
import type { Parameter, Template } from '../model/workflow.js';

/** What the caller of {@link runWorkflow} decides. */
export interface RunOptions {
  readonly executor: Executor;
  /** Where logs, outputs and artifacts of this run are kept (`.argots/runs/<run>/`); created if missing. */
  readonly runDir: string;
  /** `-p name=value`: workflow parameters, overriding `spec.arguments`. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** `--approve NODE`: open suspend nodes to resume (by full or display name), with supplied output values. */
  readonly approvals?: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Asked when an open suspend node has no approval (a key press on a TTY); undefined means nobody can answer. */
  readonly onSuspend?: (node: RunNode, supplied: readonly Parameter[]) => Promise<Readonly<Record<string, string>> | 'reject'>;
  /** `--secret NAME=DIR`, `--configmap NAME=DIR`: each key a file in DIR. */
  readonly secrets?: ReadonlyMap<string, string>;
  readonly configMaps?: ReadonlyMap<string, string>;
  /**
   * `--env NAME=VALUE`: added to the environment of every container (init containers too), under the
   * container's own `env` (what a cluster gives every pod: a proxy, an API endpoint, git's `url.*.insteadOf`).
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * `--image-map FROM=TO`: run image TO wherever a container names FROM — the whole reference, or a
   * repository without tag or digest matching every tag and digest of it (act's `-P`).
   */
  readonly imageMap?: ReadonlyMap<string, string>;
  /** `--replace-template NAME=FILE`. */
  readonly replaceTemplates?: ReadonlyMap<string, Template>;
  /** `--kube-context`: resource templates are applied with kubectl; otherwise printed. */
  readonly kubeContext?: string;
  /** Containers get the network (default false). */
  readonly network?: boolean;
  /** Ctrl-C: stops every running container, fails what runs, skips the exit handler. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  /** Fixed workflow name (tests); otherwise `generateName` + 5 random characters. */
  readonly workflowName?: string;
}

export type RunEvent =
  | { readonly type: 'node'; readonly node: Readonly<RunNode> }
  | { readonly type: 'log'; readonly node: string; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'workflow'; readonly phase: NodePhase; readonly message: string };

export interface RunResult {
  readonly name: string;
  readonly phase: 'Succeeded' | 'Failed' | 'Error';
  readonly message: string;
  /** Every node, in the order each was created. */
  readonly nodes: readonly RunNode[];
  /** Nodes that ran something (pods, suspends, HTTP), in the order they started. */
  readonly starts: readonly string[];
  readonly outputs: { readonly parameters: Readonly<Record<string, string>>; readonly artifacts: Readonly<Record<string, string>> };
  readonly runDir: string;
}
