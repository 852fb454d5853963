import { captureSource } from '../_internal/source.js';
import type { NodeIR } from '../ir/template.js';
import { type Item, type ItemType, type Loop, type LoopOptions, type NodeTarget, type TaskOptions, makeNode } from './node.js';
import type { OutputSpecs } from './output.js';
import type { TaskHandle } from './task-handle.js';
import type { ScopeBrand } from './value.js';
import { type Callable, type InputSpecs, type Template, type TemplateBase, makeTemplate } from './template.js';
import { scopedInputs, type ScopedInputs, withReturnedOutputs, type Returned } from './_internal/scoped.js';

/**
 * Adds tasks to a DAG. `S` brands every task handle and value of this DAG, so they cannot leak into
 * another one. Used by `pipeline()` and `dag()`.
 */
export class DagScope<S> {
  readonly #tasks: NodeIR[];
  constructor(tasks: NodeIR[]) {
    this.#tasks = tasks;
  }

  /**
   * Adds a task. Passing another task's output as an argument (or in `when`) adds the dependency edge.
   * @example
   * const build = p.task('build', buildImage.call({ tag: push.after }), { when: change.outputs.kind.eq('code') });
   * p.task('scan', (item) => scan.call({ image: item }), { withItems: ['api', 'web'] });
   */
  task<O>(name: string, target: Callable<O, S>, options?: TaskOptions<S>): TaskHandle<O, S>;
  task<const T, O>(name: string, target: (item: Item<ItemType<T>, S>) => Callable<O, S>, options: LoopOptions<TaskOptions<S>, T, S>): TaskHandle<O, S>;
  task<O>(name: string, target: Callable<O, S>, options: LoopOptions<TaskOptions<S>, unknown, S>): TaskHandle<O, S>;
  task(name: string, target: NodeTarget<unknown, S>, options: TaskOptions<S> | LoopOptions<TaskOptions<S>, unknown, S> = {}): TaskHandle<unknown, S> {
    const { node, handle } = makeNode('tasks', name, target as NodeTarget<OutputSpecs, unknown>, options as never);
    this.#tasks.push(node);
    return handle as TaskHandle<unknown, S>;
  }
}

export interface DagSpec<I extends InputSpecs, O extends OutputSpecs> extends TemplateBase<I, O> {
  /** Tasks the DAG's result depends on (default: every leaf). */
  readonly target?: string;
  /** Stop scheduling new tasks after one fails (Argo's default is true). */
  readonly failFast?: boolean;
}

/**
 * A reusable DAG template. The body adds tasks; it may return values for outputs declared with
 * `output.returned()`.
 * @example
 * const deploy = dag('deploy', { inputs: { env: param.string() } }, (d, inputs) => {
 *   d.task('update', steps.updateManifests({ service: 'api', env: inputs.env, image: 'x' }));
 * });
 */
export function dag<const N extends string, const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(
  name: N,
  spec: DagSpec<I, O>,
  body: (d: DagScope<ScopeBrand<'dag', N>>, inputs: ScopedInputs<I, ScopeBrand<'dag', N>>) => NoInfer<Returned<O, ScopeBrand<'dag', N>>> | void,
): Template<I, O> {
  const source = captureSource();
  const tasks: NodeIR[] = [];
  const returned = body(new DagScope<ScopeBrand<'dag', N>>(tasks), scopedInputs(spec.inputs ?? ({} as I)));
  const fields = Object.freeze({
    ...(spec.target === undefined ? {} : { target: spec.target }),
    ...(spec.failFast === undefined ? {} : { failFast: spec.failFast }),
  });
  return makeTemplate('dag', name, withReturnedOutputs(spec, returned), { kind: 'dag', tasks: Object.freeze(tasks), fields }, source);
}
