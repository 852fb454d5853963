import type { SourceRef } from '../_internal/source.js';
import type { Diagnostic } from '../diagnostic.js';
import type { ArtifactSpec, OutputSpec } from '../authoring/output.js';
import type { ParamSpec } from '../authoring/param.js';
import type { ConditionExpr, DependsExpr, TextExpr } from './expr.js';

/** The kinds of Argo template the DSL builds. `ref` is a call into another (Cluster)WorkflowTemplate. */
export type TemplateType =
  | 'container'
  | 'script'
  | 'resource'
  | 'suspend'
  | 'http'
  | 'container-set'
  | 'dag'
  | 'steps'
  | 'ref';

/** Plain, frozen data in Argo's shape; may contain expression nodes where values are typed references. */
export type Data = Readonly<Record<string, unknown>>;

export interface TemplateIR {
  readonly kind: 'template';
  readonly type: TemplateType;
  /** `undefined` for templates named by their task (runtime steps). */
  readonly name: string | undefined;
  readonly inputs: Readonly<Record<string, ParamSpec | ArtifactSpec>>;
  readonly outputs: Readonly<Record<string, OutputSpec | ArtifactSpec>>;
  /** The type-specific part: `{ container: … }`, `{ script: … }`, a DAG or steps body, a ref target. */
  readonly body: TemplateBodyIR;
  /** Every other template field (retryStrategy, synchronization, metadata, …), Argo-shaped. */
  readonly fields: Data;
  readonly source: SourceRef;
  /**
   * Problems found while building a call of this template (a runtime step's literal that breaks the
   * contract), reported where a task or step uses it; `path` names the input.
   */
  readonly diagnostics?: readonly Diagnostic[];
}

export type TemplateBodyIR =
  | { readonly kind: 'leaf'; readonly key: 'container' | 'script' | 'resource' | 'suspend' | 'http' | 'containerSet'; readonly value: Data }
  | DagBodyIR
  | StepsBodyIR
  | { readonly kind: 'ref'; readonly name: string; readonly template: string; readonly clusterScope: boolean };

export interface DagBodyIR {
  readonly kind: 'dag';
  readonly tasks: readonly NodeIR[];
  /** `target`, `failFast`. */
  readonly fields: Data;
}

export interface StepsBodyIR {
  readonly kind: 'steps';
  /** Groups run one after another; the steps of a group run in parallel. */
  readonly groups: readonly (readonly NodeIR[])[];
}

export interface ArgumentsIR {
  readonly parameters: readonly { readonly name: string; readonly value: TextExpr }[];
  readonly artifacts: readonly { readonly name: string; readonly from?: TextExpr; readonly spec?: Data }[];
}

export type LoopIR =
  | { readonly kind: 'items'; readonly items: readonly unknown[] }
  | { readonly kind: 'param'; readonly value: TextExpr }
  | { readonly kind: 'sequence'; readonly sequence: Data };

/** A DAG task or a step: a call of a template with arguments, conditions and loop. */
export interface NodeIR {
  readonly kind: 'node';
  readonly via: 'tasks' | 'steps';
  readonly name: string;
  readonly template: TemplateIR;
  readonly arguments: ArgumentsIR;
  readonly when: ConditionExpr | undefined;
  /** Written by the author. */
  readonly depends: DependsExpr | undefined;
  /** Tasks whose outputs the arguments, `when` or loop read: each becomes a dependency edge. */
  readonly inferred: readonly string[];
  /**
   * Those of `inferred` whose outputs are read (not only ordered by `after`): the edge is `X.Succeeded`, since
   * a bare `X` also fires when X is Skipped, and a skipped task has no outputs.
   */
  readonly readsOutputsOf: readonly string[];
  readonly loop: LoopIR | undefined;
  /** continueOn, hooks, onExit (a TemplateIR), … */
  readonly fields: Data;
  readonly source: SourceRef;
}
