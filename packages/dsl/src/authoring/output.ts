import type { IComGithubArgoprojArgoWorkflowsV4PkgApisWorkflowV1alpha1Artifact as IArtifact } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Artifact';
import type { ScalarType, TextExpr } from '../ir/expr.js';
import type { Json } from './param.js';
import type { Value } from './value.js';

declare const specType: unique symbol;

/** Where an output parameter's value comes from (Argo `valueFrom`; `parameter` may hold a typed reference). */
export type OutputSource =
  | { readonly path: string }
  | { readonly expression: string }
  | { readonly parameter: TextExpr }
  | { readonly supplied: Readonly<Record<string, never>> }
  | { readonly jsonPath: string }
  | { readonly jqFilter: string }
  | { readonly returned: true };

/** The declaration of an output parameter. `T` is the type of its value. */
export interface OutputSpec<T = unknown> {
  readonly kind: 'output';
  readonly type: ScalarType;
  readonly valueFrom: OutputSource;
  readonly enum: readonly string[] | undefined;
  readonly default: string | undefined;
  readonly description: string | undefined;
  readonly [specType]?: T;
}

/** The declaration of an artifact, input or output: everything but its name (taken from its key). */
export interface ArtifactSpec {
  readonly kind: 'artifact';
  readonly artifact: Readonly<Omit<IArtifact, 'name'>>;
}

interface OutputOptions {
  readonly description?: string;
  /** Used when the source cannot be read (Argo `valueFrom.default`). */
  readonly default?: string;
}

function make<T>(type: ScalarType, valueFrom: OutputSource, options: OutputOptions & { enum?: readonly string[] | undefined }): OutputSpec<T> {
  return Object.freeze({
    kind: 'output',
    type,
    valueFrom: Object.freeze(valueFrom),
    enum: options.enum ? Object.freeze([...options.enum]) : undefined,
    default: options.default,
    description: options.description,
  });
}

/**
 * Declares output parameters of a template.
 * @example
 * const outputs = {
 *   digest: output.path('/tmp/digest'),
 *   kind: output.path('/tmp/kind', { enum: ['code', 'config'] }),
 * };
 */
export const output = Object.freeze({
  /** Read from a file the container writes (container, script, containerSet). */
  path<const E extends string = string>(path: string, options: OutputOptions & { readonly enum?: readonly [E, ...E[]] } = {}): OutputSpec<E> {
    return make<E>('string', { path }, options);
  },
  /**
   * A JSON file the container writes. Give its type to loop over it with typed items.
   * @example
   * const outputs = { targets: output.json<readonly { name: string; region: 'eu' | 'us' }[]>('/tmp/targets.json') };
   * p.task('deploy', (t) => deploy.call({ region: t.get('region') }), { withParam: plan.outputs.targets, when: (t) => t.get('region').eq('eu') });
   */
  json<T = Json>(path: string, options: OutputOptions = {}): OutputSpec<NoInfer<T>> {
    return make<T>('json', { path }, options);
  },
  /** An Argo expression (`{{=…}}` language), for dag/steps templates. */
  expression(expression: string, options: OutputOptions = {}): OutputSpec<string> {
    return make<string>('string', { expression }, options);
  },
  /** Another node's output, re-exported by a dag or steps template. */
  parameter<T>(value: Value<T, unknown>, options: OutputOptions = {}): OutputSpec<T> {
    return make<T>(value.type, { parameter: value.expr }, options);
  },
  /** Filled by the value a `dag()` or `stepsTemplate()` body returns under this output's name. */
  returned(options: OutputOptions = {}): OutputSpec<string> {
    return make<string>('string', { returned: true }, options);
  },
  /** Supplied from outside while the workflow is suspended (a manual approval's answer). */
  supplied<const E extends string = string>(options: OutputOptions & { readonly enum?: readonly [E, ...E[]] } = {}): OutputSpec<E> {
    return make<E>('string', { supplied: Object.freeze({}) }, options);
  },
  /** A JSONPath into the resource a resource template created. */
  jsonPath(jsonPath: string, options: OutputOptions = {}): OutputSpec<string> {
    return make<string>('string', { jsonPath }, options);
  },
  /** A jq filter over the resource a resource template created. */
  jqFilter(jqFilter: string, options: OutputOptions = {}): OutputSpec<string> {
    return make<string>('string', { jqFilter }, options);
  },
});

/**
 * Declares artifacts (inputs or outputs). Locations use Argo's own types: s3, gcs, git, http, raw…
 * @example
 * const inputs = { src: artifact({ path: '/src', git: { repo: 'https://github.com/acme/shop.git', revision: 'main' } }) };
 * const outputs = { report: artifact({ path: '/tmp/report.json', archive: { none: {} } }) };
 */
export function artifact(spec: Readonly<Omit<IArtifact, 'name'>>): ArtifactSpec {
  return Object.freeze({ kind: 'artifact', artifact: Object.freeze({ ...spec }) });
}

/** The value type an output declaration holds. */
export type OutputType<O> = O extends OutputSpec<infer T> ? T : never;

/** A record of output declarations. */
export type OutputSpecs = Readonly<Record<string, OutputSpec | ArtifactSpec>>;
