/**
 * The parts of Argo's Workflow spec (`pkg/apis/workflow/v1alpha1/workflow_types.go`) that `argots run` reads,
 * as plain data. Field names are Argo's; every field is optional as in the CRD, and the scheduler checks what it
 * needs where it needs it.
 */

export interface Parameter {
  readonly name: string;
  readonly value?: string;
  readonly default?: string;
  readonly enum?: readonly string[];
  readonly globalName?: string;
  readonly description?: string;
  readonly valueFrom?: {
    readonly path?: string;
    readonly parameter?: string;
    readonly expression?: string;
    readonly supplied?: Readonly<Record<string, never>>;
    readonly default?: string;
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
    readonly jsonPath?: string;
    readonly jqFilter?: string;
    readonly event?: string;
  };
}

export interface Artifact {
  readonly name: string;
  readonly path?: string;
  readonly from?: string;
  readonly fromExpression?: string;
  readonly optional?: boolean;
  readonly globalName?: string;
  readonly mode?: number;
  readonly raw?: { readonly data: string };
  readonly http?: { readonly url: string; readonly headers?: readonly { readonly name: string; readonly value: string }[] };
  readonly git?: { readonly repo: string; readonly revision?: string; readonly depth?: number; readonly branch?: string; readonly singleBranch?: boolean };
  readonly s3?: unknown;
  readonly gcs?: unknown;
  readonly oss?: unknown;
  readonly azure?: unknown;
  readonly hdfs?: unknown;
  readonly artifactory?: unknown;
  readonly archive?: unknown;
}

export interface Arguments {
  readonly parameters?: readonly Parameter[];
  readonly artifacts?: readonly Artifact[];
}

export interface Inputs {
  readonly parameters?: readonly Parameter[];
  readonly artifacts?: readonly Artifact[];
}

export interface Outputs {
  readonly parameters?: readonly Parameter[];
  readonly artifacts?: readonly Artifact[];
  readonly result?: string;
  readonly exitCode?: string;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly?: boolean;
  readonly subPath?: string;
}

export interface Volume {
  readonly name: string;
  readonly emptyDir?: Readonly<Record<string, unknown>>;
  readonly secret?: { readonly secretName: string; readonly optional?: boolean };
  readonly configMap?: { readonly name: string; readonly optional?: boolean };
  readonly persistentVolumeClaim?: { readonly claimName: string };
  readonly hostPath?: { readonly path: string };
}

export interface Container {
  readonly name?: string;
  readonly image?: string;
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly unknown[];
  readonly workingDir?: string;
  readonly volumeMounts?: readonly VolumeMount[];
  readonly source?: string;
  readonly dependencies?: readonly string[];
}

export interface RetryStrategy {
  readonly limit?: number | string;
  readonly retryPolicy?: 'Always' | 'OnFailure' | 'OnError' | 'OnTransientError';
  readonly backoff?: { readonly duration?: string | number; readonly factor?: number | string; readonly maxDuration?: string; readonly cap?: string };
  readonly expression?: string;
  readonly affinity?: unknown;
}

export interface Synchronization {
  readonly mutexes?: readonly { readonly name: string; readonly namespace?: string }[];
  readonly semaphores?: readonly { readonly configMapKeyRef?: { readonly name: string; readonly key: string } }[];
  /** Removed in v4, still read here. */
  readonly mutex?: { readonly name: string };
  readonly semaphore?: { readonly configMapKeyRef?: { readonly name: string; readonly key: string } };
}

export interface LifecycleHook {
  readonly template?: string;
  readonly templateRef?: TemplateRef;
  readonly arguments?: Arguments;
  readonly expression?: string;
}

export interface TemplateRef {
  readonly name: string;
  readonly template: string;
  readonly clusterScope?: boolean;
}

export type Item = string | number | boolean | null | readonly Item[] | { readonly [key: string]: Item };

export interface Sequence {
  readonly count?: string | number;
  readonly start?: string | number;
  readonly end?: string | number;
  readonly format?: string;
}

/** What a DAG task and a step share. */
export interface NodeCall {
  readonly name: string;
  readonly template?: string;
  readonly templateRef?: TemplateRef;
  readonly inline?: Template;
  readonly arguments?: Arguments;
  readonly when?: string;
  readonly withItems?: readonly Item[];
  readonly withParam?: string;
  readonly withSequence?: Sequence;
  readonly continueOn?: { readonly failed?: boolean; readonly error?: boolean };
  readonly onExit?: string;
  readonly hooks?: Readonly<Record<string, LifecycleHook>>;
}

export interface DagTask extends NodeCall {
  readonly depends?: string;
  readonly dependencies?: readonly string[];
}

export type WorkflowStep = NodeCall;

export interface Template {
  readonly name?: string;
  readonly inputs?: Inputs;
  readonly outputs?: Outputs;
  readonly container?: Container;
  readonly script?: Container;
  /** Run in order before the main container, sharing its volumes (a failing one fails the pod). */
  readonly initContainers?: readonly Container[];
  /** Not started by `argots run` (see the README). */
  readonly sidecars?: readonly Container[];
  readonly containerSet?: { readonly containers: readonly Container[]; readonly volumeMounts?: readonly VolumeMount[]; readonly retryStrategy?: unknown };
  readonly resource?: { readonly action: string; readonly manifest?: string; readonly successCondition?: string; readonly failureCondition?: string; readonly setOwnerReference?: boolean; readonly flags?: readonly string[] };
  readonly suspend?: { readonly duration?: string | number };
  readonly http?: {
    readonly method?: string;
    readonly url: string;
    readonly headers?: readonly { readonly name: string; readonly value?: string }[];
    readonly body?: string;
    readonly timeoutSeconds?: number;
    readonly successCondition?: string;
    readonly insecureSkipVerify?: boolean;
  };
  readonly data?: unknown;
  readonly plugin?: unknown;
  readonly dag?: { readonly tasks: readonly DagTask[]; readonly target?: string; readonly failFast?: boolean };
  readonly steps?: readonly (readonly WorkflowStep[])[];
  readonly retryStrategy?: RetryStrategy;
  readonly activeDeadlineSeconds?: number | string;
  readonly timeout?: string;
  readonly parallelism?: number;
  readonly synchronization?: Synchronization;
  readonly memoize?: { readonly key: string; readonly maxAge?: string; readonly cache?: unknown };
  readonly volumes?: readonly Volume[];
  readonly daemon?: boolean;
  readonly failFast?: boolean;
  readonly metadata?: unknown;
}

export interface WorkflowSpec {
  readonly entrypoint?: string;
  readonly arguments?: Arguments;
  readonly templates?: readonly Template[];
  readonly onExit?: string;
  readonly hooks?: Readonly<Record<string, LifecycleHook>>;
  readonly parallelism?: number;
  readonly activeDeadlineSeconds?: number;
  readonly synchronization?: Synchronization;
  readonly volumes?: readonly Volume[];
  readonly volumeClaimTemplates?: readonly { readonly metadata: { readonly name: string } }[];
  readonly serviceAccountName?: string;
  readonly priority?: number;
  readonly templateDefaults?: Template;
  readonly workflowTemplateRef?: { readonly name: string; readonly clusterScope?: boolean };
  readonly retryStrategy?: RetryStrategy;
}

export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface WorkflowObject {
  readonly apiVersion?: string;
  readonly kind: 'Workflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate' | 'CronWorkflow';
  readonly metadata: ObjectMeta;
  readonly spec: WorkflowSpec & { readonly workflowSpec?: WorkflowSpec; readonly workflowMetadata?: ObjectMeta };
}
