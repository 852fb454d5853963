import { captureSource } from '../_internal/source.js';
import { type ContainerSpec, normalizeContainer } from './container-spec.js';
import type { OutputSpecs } from './output.js';
import { type InputSpecs, type InputValues, type Template, type TemplateBase, type TemplateScope, lowerBody, makeTemplate } from './template.js';

export interface ContainerTemplateSpec<I extends InputSpecs, O extends OutputSpecs> extends TemplateBase<I, O> {
  /** The container, or a function of the template's typed inputs that returns it. */
  readonly container: ContainerSpec<TemplateScope> | ((inputs: InputValues<I>) => ContainerSpec<TemplateScope>);
}

/**
 * A container template.
 * @example
 * const build = container('build', {
 *   inputs: { tag: param.string() },
 *   outputs: { digest: output.path('/tmp/digest') },
 *   container: (i) => ({ image: 'moby/buildkit:v0.16.0-rootless', args: ['--tag', i.tag] }),
 * });
 */
export function container<const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(name: string, spec: ContainerTemplateSpec<I, O>): Template<I, O> {
  const source = captureSource();
  const value = lowerBody(spec.inputs, (i: InputValues<I>) => normalizeContainer(typeof spec.container === 'function' ? spec.container(i) : spec.container));
  return makeTemplate('container', name, spec, { kind: 'leaf', key: 'container', value }, source);
}
