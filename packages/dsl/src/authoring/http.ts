import type { IComGithubArgoprojArgoWorkflowsV4PkgApisWorkflowV1alpha1HTTPHeader as IHTTPHeader } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/HTTPHeader';
import { captureSource } from '../_internal/source.js';
import type { OutputSpecs } from './output.js';
import { type InputSpecs, type InputValues, type Template, type TemplateBase, type TemplateScope, lowerBody, makeTemplate } from './template.js';
import type { Text } from './value.js';

export interface HttpSpec<S> {
  readonly url: Text<S>;
  readonly method?: string;
  readonly headers?: readonly Readonly<IHTTPHeader>[];
  readonly body?: Text<S>;
  /** e.g. `response.statusCode == 200` */
  readonly successCondition?: string;
  readonly timeoutSeconds?: number;
  readonly insecureSkipVerify?: boolean;
}

export interface HttpTemplateSpec<I extends InputSpecs, O extends OutputSpecs> extends TemplateBase<I, O> {
  readonly http: HttpSpec<TemplateScope> | ((inputs: InputValues<I>) => HttpSpec<TemplateScope>);
}

/**
 * An HTTP template: the Argo agent sends a request; the response body becomes `result`.
 * @example
 * const ping = http('ping', { http: { url: 'https://shop.acme.io/healthz', successCondition: 'response.statusCode == 200' } });
 */
export function http<const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(name: string, spec: HttpTemplateSpec<I, O>): Template<I, O> {
  const source = captureSource();
  const value = lowerBody(spec.inputs, spec.http);
  return makeTemplate('http', name, spec, { kind: 'leaf', key: 'http', value }, source);
}
