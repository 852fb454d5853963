import { captureSource } from '../_internal/source.js';
import type { OutputSpecs } from './output.js';
import { type InputSpecs, type Template, type TemplateBase, makeTemplate } from './template.js';

export interface SuspendTemplateSpec<I extends InputSpecs, O extends OutputSpecs> extends TemplateBase<I, O> {
  /** Resume by itself after this long (`30s`, `1h`); without it, waits for `argo resume` (a manual gate). */
  readonly duration?: string;
}

/**
 * A suspend template: a manual approval gate, or a pause.
 * @example
 * const approve = suspend('approve-production', { outputs: { answer: output.supplied({ enum: ['yes', 'no'] }) } });
 */
export function suspend<const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(name: string, spec: SuspendTemplateSpec<I, O> = {}): Template<I, O> {
  const source = captureSource();
  const value = Object.freeze(spec.duration === undefined ? {} : { duration: spec.duration });
  return makeTemplate('suspend', name, spec, { kind: 'leaf', key: 'suspend', value }, source);
}
