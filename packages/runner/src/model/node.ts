/** A node of a run, as Argo records it in `status.nodes` (`NodeStatus`). */

export type NodePhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Skipped' | 'Omitted';

export type NodeType = 'Pod' | 'Container' | 'Steps' | 'StepGroup' | 'DAG' | 'TaskGroup' | 'Retry' | 'Skipped' | 'Suspend' | 'HTTP' | 'Plugin';

export interface NodeOutputs {
  parameters: { name: string; value: string }[];
  /** Artifact name → absolute path in the run's artifact store. */
  artifacts: { name: string; path: string }[];
  result?: string;
  exitCode?: string;
}

export interface RunNode {
  readonly id: string;
  /** The full name as Argo forms it: `wf.task`, `wf[0].step(1:b)`, `wf.task(0)`. */
  readonly name: string;
  readonly displayName: string;
  readonly type: NodeType;
  readonly templateName: string;
  readonly boundaryId: string | undefined;
  readonly parentId: string | undefined;
  phase: NodePhase;
  message: string;
  startedAt: number;
  /** When its process (or suspend, or request) actually started: after locks and parallelism let it. */
  runningAt: number | undefined;
  finishedAt: number | undefined;
  outputs: NodeOutputs | undefined;
  inputs: { name: string; value: string }[];
  podName: string | undefined;
  children: string[];
  /** A `daemon: true` node whose container runs on (phase Running) until the DAG or steps around it end. */
  daemoned: boolean;
  /** The retry attempt of a Retry node's child. */
  attempt: number | undefined;
  /** Log file of a leaf node, relative to the run directory. */
  logFile: string | undefined;
}

export const FULFILLED: ReadonlySet<NodePhase> = new Set(['Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted']);
export const COMPLETED: ReadonlySet<NodePhase> = new Set(['Succeeded', 'Failed', 'Error']);

export const isFulfilled = (p: NodePhase): boolean => FULFILLED.has(p);
export const isCompleted = (p: NodePhase): boolean => COMPLETED.has(p);
export const failedOrError = (p: NodePhase): boolean => p === 'Failed' || p === 'Error';
