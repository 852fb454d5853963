import { type TaskResult, expr } from '../ir/expr.js';
import type { TemplateIR } from '../ir/template.js';
import type { ArtifactSpec, OutputSpec, OutputSpecs, OutputType } from './output.js';
import { ArtifactRef } from './template.js';
import { Depends, Value } from './value.js';

declare const handleScope: unique symbol;

/** A task's typed outputs: parameters as values, artifacts as artifact references. */
export type OutputValues<O, S> = {
  readonly [K in keyof O]: O[K] extends ArtifactSpec ? ArtifactRef<S> : O[K] extends OutputSpec ? Value<OutputType<O[K]>, S> : never;
};

/**
 * A task of a DAG (or a step of a steps template): its typed outputs and its results for `depends`.
 * Branded with the scope `S` of the pipeline or template that made it, so it cannot be used elsewhere.
 *
 * @example
 * const build = p.task('build', buildImage);
 * p.task('deploy', steps.updateManifests({ image: build.outputs.digest }));   // edge build → deploy
 * p.task('notify', notify, { depends: or(build.failed, build.errored) });
 */
export class TaskHandle<O = OutputSpecs, S = never> {
  declare readonly [handleScope]?: S;
  readonly name: string;
  readonly via: 'tasks' | 'steps';
  readonly #template: TemplateIR;
  #outputs: OutputValues<O, S> | undefined;

  constructor(name: string, via: 'tasks' | 'steps', template: TemplateIR) {
    this.name = name;
    this.via = via;
    this.#template = template;
    Object.freeze(this);
  }

  /** The typed outputs the template declares (built on first use). */
  get outputs(): OutputValues<O, S> {
    if (this.#outputs) return this.#outputs;
    const { name, via } = this;
    const outputs: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(this.#template.outputs)) {
      outputs[key] =
        spec.kind === 'artifact'
          ? new ArtifactRef(expr({ kind: 'node-output', via, node: name, what: 'artifacts', name: key, type: 'string' }))
          : new Value(expr({ kind: 'node-output', via, node: name, what: 'parameters', name: key, type: spec.type }), spec.type);
    }
    this.#outputs = Object.freeze(outputs) as OutputValues<O, S>;
    return this.#outputs;
  }

  /** The standard output of a script or container template (`outputs.result`). */
  get result(): Value<string, S> {
    return new Value(expr({ kind: 'node-output', via: this.via, node: this.name, what: 'result', name: 'result', type: 'string' }), 'string');
  }

  /** The exit code of the main container (`outputs.exitCode`). */
  get exitCode(): Value<number, S> {
    return new Value(expr({ kind: 'node-output', via: this.via, node: this.name, what: 'exitCode', name: 'exitCode', type: 'number' }), 'number');
  }

  #result(result: TaskResult | undefined): Depends<S> {
    return new Depends<S>(expr({ kind: 'result', task: this.name, result }));
  }
  /** Bare `A`: succeeded, skipped or daemoned (Argo's default dependency). */
  get done(): Depends<S> {
    return this.#result(undefined);
  }
  get succeeded(): Depends<S> {
    return this.#result('Succeeded');
  }
  get failed(): Depends<S> {
    return this.#result('Failed');
  }
  get errored(): Depends<S> {
    return this.#result('Errored');
  }
  get skipped(): Depends<S> {
    return this.#result('Skipped');
  }
  get omitted(): Depends<S> {
    return this.#result('Omitted');
  }
  get daemoned(): Depends<S> {
    return this.#result('Daemoned');
  }
  /** For a looping task: any iteration succeeded. */
  get anySucceeded(): Depends<S> {
    return this.#result('AnySucceeded');
  }
  /** For a looping task: every iteration failed. */
  get allFailed(): Depends<S> {
    return this.#result('AllFailed');
  }
}
