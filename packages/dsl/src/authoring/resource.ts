import { captureSource } from '../_internal/source.js';
import type { OutputSpecs } from './output.js';
import { type InputSpecs, type InputValues, type Template, type TemplateBase, type TemplateScope, lowerBody, makeTemplate } from './template.js';
import type { Text } from './value.js';

/** What a resource template does with its manifest. */
export type ResourceAction = 'get' | 'create' | 'apply' | 'delete' | 'replace' | 'patch';

export interface ResourceSpec<S> {
  readonly action: ResourceAction;
  /** A Kubernetes object (emitted as YAML; typed values become `{{…}}`), or YAML text. */
  readonly manifest?: Text<S> | Readonly<Record<string, unknown>>;
  /** e.g. `status.succeeded > 0` */
  readonly successCondition?: string;
  /** e.g. `status.failed > 3` */
  readonly failureCondition?: string;
  readonly setOwnerReference?: boolean;
  readonly mergeStrategy?: 'strategic' | 'merge' | 'json';
  readonly flags?: readonly string[];
  readonly manifestFrom?: { readonly artifact: { readonly name: string } };
}

export interface ResourceTemplateSpec<I extends InputSpecs, O extends OutputSpecs> extends TemplateBase<I, O> {
  readonly resource: ResourceSpec<TemplateScope> | ((inputs: InputValues<I>) => ResourceSpec<TemplateScope>);
}

/**
 * A resource template: creates, applies, patches or deletes a Kubernetes object and waits for its
 * success or failure condition.
 * @example
 * const smoke = resource('smoke-test', {
 *   resource: { action: 'create', manifest: job, successCondition: 'status.succeeded > 0', failureCondition: 'status.failed > 0' },
 * });
 */
export function resource<const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(name: string, spec: ResourceTemplateSpec<I, O>): Template<I, O> {
  const source = captureSource();
  const value = lowerBody(spec.inputs, spec.resource);
  return makeTemplate('resource', name, spec, { kind: 'leaf', key: 'resource', value }, source);
}
