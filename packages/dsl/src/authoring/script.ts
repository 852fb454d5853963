import { captureSource } from '../_internal/source.js';
import { type ContainerSpec, normalizeContainer } from './container-spec.js';
import type { OutputSpecs } from './output.js';
import { type InputSpecs, type InputValues, type Template, type TemplateBase, type TemplateScope, lowerBody, makeTemplate } from './template.js';
import type { Text } from './value.js';

/** A script: a container plus the source it runs (`command` is the interpreter). */
export type ScriptSpec<S> = ContainerSpec<S> & { readonly source: Text<S> };

export interface ScriptTemplateSpec<I extends InputSpecs, O extends OutputSpecs> extends TemplateBase<I, O> {
  readonly script: ScriptSpec<TemplateScope> | ((inputs: InputValues<I>) => ScriptSpec<TemplateScope>);
}

/**
 * A script template: its standard output becomes the task's `result`.
 * @example
 * const roll = script('roll', { script: { image: 'python:3.12-alpine', command: ['python'], source: 'print(4)' } });
 */
export function script<const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(name: string, spec: ScriptTemplateSpec<I, O>): Template<I, O> {
  const source = captureSource();
  const value = lowerBody(spec.inputs, (i: InputValues<I>) => normalizeContainer(typeof spec.script === 'function' ? spec.script(i) : spec.script));
  return makeTemplate('script', name, spec, { kind: 'leaf', key: 'script', value }, source);
}
