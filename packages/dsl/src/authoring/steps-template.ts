import { captureSource } from '../_internal/source.js';
import { type Returned, type ScopedInputs, scopedInputs, withReturnedOutputs } from './_internal/scoped.js';
import type { NodeIR } from '../ir/template.js';
import { type Item, type ItemType, type Loop, type LoopOptions, type NodeOptions, type NodeTarget, makeNode } from './node.js';
import type { OutputSpecs } from './output.js';
import type { TaskHandle } from './task-handle.js';
import type { ScopeBrand } from './value.js';
import { type Callable, type InputSpecs, type Template, type TemplateBase, makeTemplate } from './template.js';

/** Adds steps to one parallel group. */
export class StepGroup<S> {
  readonly #group: NodeIR[];
  constructor(group: NodeIR[]) {
    this.#group = group;
  }
  /**
   * Adds a step to this group: it runs in parallel with the group's other steps.
   * @example s.parallel((g) => { g.step('lint', lint); g.step('test', test); });
   */
  step<O>(name: string, target: Callable<O, S>, options?: NodeOptions<S>): TaskHandle<O, S>;
  step<const T, O>(name: string, target: (item: Item<ItemType<T>, S>) => Callable<O, S>, options: LoopOptions<NodeOptions<S>, T, S>): TaskHandle<O, S>;
  step<O>(name: string, target: Callable<O, S>, options: LoopOptions<NodeOptions<S>, unknown, S>): TaskHandle<O, S>;
  step(name: string, target: NodeTarget<unknown, S>, options: NodeOptions<S> | LoopOptions<NodeOptions<S>, unknown, S> = {}): TaskHandle<unknown, S> {
    const { node, handle } = makeNode('steps', name, target as NodeTarget<OutputSpecs, unknown>, options as never);
    this.#group.push(node);
    return handle as TaskHandle<unknown, S>;
  }
}

/**
 * Adds steps to a steps template: each `step()` is its own group (they run one after another);
 * `parallel()` makes one group whose steps run together. Values render as `{{steps.X.…}}`.
 */
export class StepsScope<S> {
  readonly #groups: NodeIR[][];
  constructor(groups: NodeIR[][]) {
    this.#groups = groups;
  }
  /**
   * Adds a step that runs after every earlier group.
   * @example const flip = s.step('flip', flipCoin);
   */
  step<O>(name: string, target: Callable<O, S>, options?: NodeOptions<S>): TaskHandle<O, S>;
  step<const T, O>(name: string, target: (item: Item<ItemType<T>, S>) => Callable<O, S>, options: LoopOptions<NodeOptions<S>, T, S>): TaskHandle<O, S>;
  step<O>(name: string, target: Callable<O, S>, options: LoopOptions<NodeOptions<S>, unknown, S>): TaskHandle<O, S>;
  step(name: string, target: NodeTarget<unknown, S>, options: NodeOptions<S> | LoopOptions<NodeOptions<S>, unknown, S> = {}): TaskHandle<unknown, S> {
    const group: NodeIR[] = [];
    this.#groups.push(group);
    return new StepGroup<S>(group).step(name, target as Callable<unknown, S>, options as LoopOptions<NodeOptions<S>, unknown, S>);
  }
  /**
   * Adds one group of steps that run in parallel.
   * @example s.parallel((g) => { g.step('heads', heads, { when: flip.result.eq('heads') }); g.step('tails', tails, { when: flip.result.eq('tails') }); });
   */
  parallel(body: (group: StepGroup<S>) => void): void {
    const group: NodeIR[] = [];
    this.#groups.push(group);
    body(new StepGroup<S>(group));
  }
}

/**
 * A steps template: sequential groups of parallel steps (Argo's own examples use these more than DAGs).
 * @example
 * const coin = stepsTemplate('coin-flip', {}, (s) => {
 *   const flip = s.step('flip', flipCoin);
 *   s.parallel((g) => {
 *     g.step('heads', heads, { when: flip.result.eq('heads') });
 *     g.step('tails', tails, { when: flip.result.eq('tails') });
 *   });
 * });
 */
export function stepsTemplate<const N extends string, const I extends InputSpecs = {}, const O extends OutputSpecs = {}>(
  name: N,
  spec: TemplateBase<I, O>,
  body: (s: StepsScope<ScopeBrand<'steps', N>>, inputs: ScopedInputs<I, ScopeBrand<'steps', N>>) => NoInfer<Returned<O, ScopeBrand<'steps', N>>> | void,
): Template<I, O> {
  const source = captureSource();
  const groups: NodeIR[][] = [];
  const returned = body(new StepsScope<ScopeBrand<'steps', N>>(groups), scopedInputs(spec.inputs ?? ({} as I)));
  return makeTemplate('steps', name, withReturnedOutputs(spec, returned), { kind: 'steps', groups: Object.freeze(groups.map((g) => Object.freeze(g))) }, source);
}
