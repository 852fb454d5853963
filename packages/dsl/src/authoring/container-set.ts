import type { IIoK8sApiCoreV1VolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { captureSource } from '../_internal/source.js';
import { type ContainerSpec, normalizeContainer } from './container-spec.js';
import type { OutputSpecs } from './output.js';
import { type InputSpecs, type InputValues, type Template, type TemplateBase, type TemplateScope, lowerBody, makeTemplate } from './template.js';

/** One container of a set: a name, and the containers it waits for. */
export type SetContainer<S> = ContainerSpec<S> & { readonly name: string; readonly dependencies?: readonly string[] };

export interface ContainerSetSpec<S> {
  readonly containers: readonly SetContainer<S>[];
  readonly volumeMounts?: readonly Readonly<IIoK8sApiCoreV1VolumeMount>[];
  readonly retryStrategy?: { readonly retries: number | string; readonly duration?: string };
}

export interface ContainerSetTemplateSpec<I extends InputSpecs, O extends OutputSpecs> extends TemplateBase<I, O> {
  readonly containerSet: ContainerSetSpec<TemplateScope> | ((inputs: InputValues<I>) => ContainerSetSpec<TemplateScope>);
}

/**
 * A containerSet template: several containers in one pod, ordered by their dependencies.
 * @example
 * const set = containerSet('lint-and-test', { containerSet: { containers: [
 *   { name: 'lint', image: 'node:22', command: ['npm', 'run', 'lint'] },
 *   { name: 'main', image: 'node:22', command: ['npm', 'test'], dependencies: ['lint'] },
 * ] } });
 */
export function containerSet<const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(name: string, spec: ContainerSetTemplateSpec<I, O>): Template<I, O> {
  const source = captureSource();
  const value = lowerBody(spec.inputs, (i: InputValues<I>) => {
    const set = typeof spec.containerSet === 'function' ? spec.containerSet(i) : spec.containerSet;
    return { ...set, containers: set.containers.map((c) => normalizeContainer(c)) };
  });
  return makeTemplate('container-set', name, spec, { kind: 'leaf', key: 'containerSet', value }, source);
}
