import { type ScalarType, expr } from '../ir/expr.js';
import { Value } from './value.js';

function variable<T>(name: string, type: ScalarType = 'string'): Value<T, never> {
  return new Value<T, never>(expr({ kind: 'variable', name, type }), type);
}

/**
 * Argo's global variables as typed values, usable in any scope.
 * @example p.onExit(notify.call({ status: vars.workflowStatus, name: vars.workflowName }))
 */
export const vars = Object.freeze({
  /** `{{workflow.name}}` */
  workflowName: variable<string>('workflow.name'),
  /** `{{workflow.namespace}}` */
  workflowNamespace: variable<string>('workflow.namespace'),
  /** `{{workflow.uid}}` */
  workflowUid: variable<string>('workflow.uid'),
  /** `{{workflow.serviceAccountName}}` */
  workflowServiceAccountName: variable<string>('workflow.serviceAccountName'),
  /** `{{workflow.mainEntrypoint}}` */
  workflowMainEntrypoint: variable<string>('workflow.mainEntrypoint'),
  /** `{{workflow.status}}` (in exit handlers): Succeeded, Failed or Error. */
  workflowStatus: variable<'Succeeded' | 'Failed' | 'Error'>('workflow.status'),
  /** `{{workflow.failures}}` (in exit handlers): JSON list of failed nodes. */
  workflowFailures: variable<string>('workflow.failures', 'json'),
  /** `{{workflow.duration}}` in seconds. */
  workflowDuration: variable<number>('workflow.duration', 'number'),
  /** `{{workflow.creationTimestamp}}` */
  workflowCreationTimestamp: variable<string>('workflow.creationTimestamp'),
  /** `{{workflow.scheduledTime}}` (CronWorkflows) */
  workflowScheduledTime: variable<string>('workflow.scheduledTime'),
  /** `{{workflow.priority}}` */
  workflowPriority: variable<number>('workflow.priority', 'number'),
  /** `{{pod.name}}` (inside a template) */
  podName: variable<string>('pod.name'),
  /** `{{retries}}` (inside a template with a retry strategy) */
  retries: variable<number>('retries', 'number'),
  /** A workflow parameter read from inside a reusable template: `{{workflow.parameters.NAME}}`. */
  workflowParameter: (name: string): Value<string, never> => new Value<string, never>(expr({ kind: 'workflow-param', name, type: 'string' }), 'string'),
  /** A workflow label: `{{workflow.labels.KEY}}`. */
  workflowLabel: (key: string): Value<string, never> => variable<string>(`workflow.labels.${key}`),
  /** A workflow annotation: `{{workflow.annotations.KEY}}`. */
  workflowAnnotation: (key: string): Value<string, never> => variable<string>(`workflow.annotations.${key}`),
});
