import type { Diagnostic } from '../../../src/diagnostic.js';

export type Json = Record<string, unknown>;

/** A WorkflowTemplate named `name` with the given spec. */
export function workflowTemplate(spec: Json, name = 'wt'): Json {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'WorkflowTemplate', metadata: { name }, spec };
}

export function workflow(spec: Json, metadata: Json = { generateName: 'wf-' }): Json {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata, spec };
}

export function cronWorkflow(spec: Json, name = 'cron'): Json {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', metadata: { name }, spec };
}

/** A container template that echoes. */
export function echo(name = 'echo', extra: Json = {}): Json {
  return { name, container: { image: 'alpine:3.20', command: ['echo', 'hi'] }, ...extra };
}

/** `code path: message` lines, for compact and exact assertions. */
export function lines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.path}: ${d.message}`);
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}
