import { captureSource } from '../_internal/source.js';
import type { OutputSpecs } from './output.js';
import { type InputSpecs, type Template, makeTemplate } from './template.js';

export interface TemplateRefSpec<I extends InputSpecs, O extends OutputSpecs> {
  /** The WorkflowTemplate (or ClusterWorkflowTemplate) that holds the template. */
  readonly name: string;
  /** The template's name inside it. */
  readonly template: string;
  /** `true` for a ClusterWorkflowTemplate. */
  readonly clusterScope?: boolean;
  /** The inputs the template declares, so calls are typed. */
  readonly inputs?: I;
  /** The outputs the template declares, so task outputs are typed. */
  readonly outputs?: O;
}

/**
 * A template of another WorkflowTemplate or ClusterWorkflowTemplate (`templateRef`). Declare its inputs
 * and outputs to get typed calls; it is not emitted again.
 * @example
 * const scan = templateRef({ name: 'security', template: 'trivy-scan', clusterScope: true,
 *   inputs: { image: param.string() }, outputs: { report: output.path('/tmp/report') } });
 * p.task('scan', scan.call({ image: build.outputs.digest }));
 */
export function templateRef<const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(spec: TemplateRefSpec<I, O>): Template<I, O> {
  const source = captureSource();
  return makeTemplate(
    'ref',
    undefined,
    { ...(spec.inputs ? { inputs: spec.inputs } : {}), ...(spec.outputs ? { outputs: spec.outputs } : {}) },
    { kind: 'ref', name: spec.name, template: spec.template, clusterScope: spec.clusterScope === true },
    source,
  );
}
