/**
 * The Argo Events `Sensor` (argoproj.io/v1alpha1) as plain data: what the builders emit, what YAML parses
 * to, and what `simulate` and `validateEventResources` read. Field names follow the upstream API exactly.
 */

export type LogicalOperator = '' | 'and' | 'or';
export type Comparator = '' | '=' | '!=' | '>' | '>=' | '<' | '<=';
export type JsonType = 'string' | 'number' | 'bool';

export interface DataFilter {
  readonly path: string;
  readonly type: JsonType | (string & {});
  readonly value: readonly string[];
  readonly comparator?: Comparator | (string & {});
  readonly template?: string;
}

export interface PayloadField {
  readonly name: string;
  readonly path: string;
}

export interface ExprFilter {
  readonly expr: string;
  readonly fields: readonly PayloadField[];
}

export interface EventContextFilter {
  readonly type?: string;
  readonly subject?: string;
  readonly source?: string;
  readonly datacontenttype?: string;
  readonly id?: string;
  readonly specversion?: string;
  readonly time?: string;
}

export interface TimeFilter {
  readonly start: string;
  readonly stop: string;
  readonly timezone?: string;
}

export interface EventDependencyFilter {
  readonly data?: readonly DataFilter[];
  readonly dataLogicalOperator?: LogicalOperator | (string & {});
  readonly exprs?: readonly ExprFilter[];
  readonly exprLogicalOperator?: LogicalOperator | (string & {});
  readonly context?: EventContextFilter;
  readonly time?: TimeFilter;
  readonly script?: string;
}

export interface EventDependency {
  readonly name: string;
  readonly eventSourceName: string;
  readonly eventName: string;
  readonly filters?: EventDependencyFilter;
  readonly filtersLogicalOperator?: LogicalOperator | (string & {});
  readonly transform?: { readonly jq?: string; readonly script?: string };
}

export interface TriggerParameterSource {
  readonly dependencyName: string;
  readonly dataKey?: string;
  readonly dataTemplate?: string;
  readonly contextKey?: string;
  readonly contextTemplate?: string;
  readonly value?: string;
  readonly useRawData?: boolean;
}

export type TriggerParameterOperation = '' | 'append' | 'overwrite' | 'prepend';

export interface TriggerParameter {
  readonly src: TriggerParameterSource;
  readonly dest: string;
  readonly operation?: TriggerParameterOperation | (string & {});
}

export interface ArtifactLocation {
  readonly resource?: Readonly<Record<string, unknown>>;
  readonly inline?: string;
  readonly [other: string]: unknown;
}

export interface ArgoWorkflowTrigger {
  readonly operation?: 'submit' | 'submit-from' | 'resubmit' | 'resume' | 'retry' | 'suspend' | 'terminate' | 'stop' | (string & {});
  readonly source?: ArtifactLocation;
  readonly parameters?: readonly TriggerParameter[];
  readonly args?: readonly string[];
}

export interface K8sTrigger {
  readonly operation?: 'create' | 'update' | 'patch' | 'delete' | (string & {});
  readonly source?: ArtifactLocation;
  readonly parameters?: readonly TriggerParameter[];
  readonly patchStrategy?: string;
  readonly liveObject?: boolean;
}

export interface SecretKeySelector {
  readonly name: string;
  readonly key: string;
  readonly optional?: boolean;
}

export interface HttpTrigger {
  readonly url: string;
  readonly method?: string;
  readonly payload?: readonly TriggerParameter[];
  readonly parameters?: readonly TriggerParameter[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly secureHeaders?: readonly { readonly name: string; readonly valueFrom: { readonly secretKeyRef?: SecretKeySelector } }[];
  readonly timeout?: number;
}

export interface LogTrigger {
  readonly intervalSeconds?: number;
}

export interface TriggerTemplate {
  readonly name: string;
  readonly conditions?: string;
  readonly argoWorkflow?: ArgoWorkflowTrigger;
  readonly k8s?: K8sTrigger;
  readonly http?: HttpTrigger;
  readonly log?: LogTrigger;
  readonly [otherTriggerType: string]: unknown;
}

export interface Backoff {
  readonly steps?: number;
  readonly duration?: string | number;
  readonly factor?: string | number;
  readonly jitter?: string | number;
}

export interface TriggerPolicy {
  readonly k8s?: { readonly backoff: Backoff; readonly errorOnBackoffTimeout: boolean; readonly labels?: Readonly<Record<string, string>> };
  readonly status?: { readonly allow: readonly number[] };
}

export interface RateLimit {
  readonly unit?: 'Second' | 'Minute' | 'Hour' | (string & {});
  readonly requestsPerUnit?: number;
}

export interface Trigger {
  readonly template?: TriggerTemplate;
  readonly parameters?: readonly TriggerParameter[];
  readonly retryStrategy?: Backoff;
  readonly rateLimit?: RateLimit;
  readonly policy?: TriggerPolicy;
  readonly atLeastOnce?: boolean;
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface SensorTemplate {
  readonly serviceAccountName?: string;
  readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly [other: string]: unknown;
}

export interface SensorSpec {
  readonly dependencies: readonly EventDependency[];
  readonly triggers: readonly Trigger[];
  readonly eventBusName?: string;
  readonly template?: SensorTemplate;
  readonly replicas?: number;
  readonly errorOnFailedRound?: boolean;
}

export interface Sensor {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'Sensor';
  readonly metadata: ObjectMeta;
  readonly spec: SensorSpec;
}
