import type { IComGithubArgoprojArgoWorkflowsV4PkgApisWorkflowV1alpha1DAGTask as IDAGTask } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/DAGTask';
import { lowerData } from './_internal/lower.js';
import { captureSource } from '../_internal/source.js';
import { type RefExpr, type TextExpr, expr, referencesOf } from '../ir/expr.js';
import type { LoopIR, NodeIR } from '../ir/template.js';
import type { OutputSpecs } from './output.js';
import type { Json } from './param.js';
import { TaskHandle } from './task-handle.js';
import type { Callable } from './template.js';
import { type Conditional, Depends, Value } from './value.js';
import { conditionExpr } from './_internal/condition.js';

declare const itemKeyed: unique symbol;

/** The item of a `withParam` or `withSequence` loop: text, whose fields (`.get('x')`) are items too. */
export type LooseItem = string & { readonly [key: string]: LooseItem };

/** The type of a loop's item: what `withItems` holds, or {@link LooseItem} when it cannot be known. */
export type ItemType<T> = unknown extends T ? LooseItem : T;

/**
 * The current element of a `withItems` / `withParam` / `withSequence` loop: `{{item}}`, and `.get(key)` for
 * `{{item.key}}` when the items are objects.
 */
export class Item<T, S> extends Value<T, S> {
  declare readonly [itemKeyed]?: T;
  readonly #path: readonly string[];
  constructor(path: readonly string[], type: 'string' | 'number' | 'json' = 'string') {
    super(expr({ kind: 'item', path, type }), type);
    this.#path = path;
  }
  /** A field of the item: `{{item.key}}`. @example args: { region: item.get('region') } */
  get<K extends keyof T & string>(key: K): Item<T[K], S> {
    return new Item<T[K], S>([...this.#path, key]);
  }
}

/**
 * The loop of a task or step. `withParam` over a typed JSON list (a runtime command's output with a declared
 * shape, or `output.json<readonly T[]>()`) gives typed items; over untyped JSON, {@link LooseItem}s.
 */
export type Loop<T, S> =
  | { readonly withItems: readonly T[] }
  | { readonly withParam: Value<readonly T[], S> }
  | { readonly withParam: Value<Json, S> }
  | { readonly withSequence: { readonly count?: number | string; readonly start?: number | string; readonly end?: number | string; readonly format?: string } };

/**
 * A per-item `when` of a loop: a function of the item (`{{item.kind}}` in Argo's condition), evaluated for
 * each item. @example when: (s) => s.get('kind').ne('none')
 */
export type ItemCondition<S, T> = (item: Item<T, S>) => Conditional<S>;

/** A loop and the options beside it: `when` may then be a function of the item. */
export type LoopOptions<O, T, S> = Omit<O, 'when'> & Loop<T, S> & { readonly when?: Conditional<S> | ItemCondition<S, ItemType<T>> };

/** A lifecycle hook: run a template when the expression holds (or, for `exit`, when the node ends). */
export interface Hook<S> {
  readonly template: Callable<OutputSpecs, S>;
  readonly expression?: Conditional<S> | string;
}

/** Options of both DAG tasks and steps. */
export interface NodeOptions<S> {
  /** Run only when the condition holds. @example when: change.outputs.kind.eq('code') */
  readonly when?: Conditional<S>;
  /** Go on with the workflow when this node fails or errors. */
  readonly continueOn?: { readonly failed?: boolean; readonly error?: boolean };
  /** A template run when this node ends, whatever the result. */
  readonly onExit?: Callable<OutputSpecs, S>;
  /** Lifecycle hooks by name (`exit`, or any name with an expression). */
  readonly hooks?: Readonly<Record<string, Hook<S>>>;
  /** Any other DAGTask/WorkflowStep field, typed by Argo's model (escape hatch). */
  readonly fields?: Readonly<Partial<Pick<IDAGTask, 'inline'>>> & Readonly<Record<string, unknown>>;
}

/** Options of a DAG task. */
export interface TaskOptions<S> extends NodeOptions<S> {
  /**
   * Run after these results. Edges from outputs the task reads are added automatically.
   * @example depends: or(build.failed, test.failed)
   */
  readonly depends?: Depends<S> | TaskHandle<OutputSpecs, S>;
  /** Plain ordering: run after these tasks (bare dependencies). */
  readonly after?: readonly TaskHandle<OutputSpecs, S>[];
}

/** What a task or step runs: something callable, or, with a loop, a function of the item. */
export type NodeTarget<O, S, T = unknown> = Callable<O, S> | ((item: Item<ItemType<T>, S>) => Callable<O, S>);

const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_LOOP = Object.freeze({ loop: undefined, item: undefined, refs: Object.freeze([]) as unknown as TextExpr[] });

function loopOf(options: object): { loop: LoopIR | undefined; item: Item<unknown, unknown> | undefined; refs: TextExpr[] } {
  const o = options as Partial<Record<'withItems' | 'withParam' | 'withSequence', unknown>>;
  if (o.withItems === undefined && o.withParam === undefined && o.withSequence === undefined) return NO_LOOP;
  const given = (['withItems', 'withParam', 'withSequence'] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new TypeError(`a task or step loops with one of withItems, withParam, withSequence; received ${given.join(' and ')}`);
  if (o.withItems !== undefined) {
    if (!Array.isArray(o.withItems)) throw new TypeError('withItems must be an array');
    const items = lowerData({ items: o.withItems })['items'] as readonly unknown[];
    const first: unknown = o.withItems[0];
    const type = typeof first === 'number' ? 'number' : 'string';
    return { loop: Object.freeze({ kind: 'items', items }), item: new Item([], type), refs: [] };
  }
  if (o.withParam !== undefined) {
    if (!(o.withParam instanceof Value)) throw new TypeError('withParam must be a typed value holding a JSON list');
    return { loop: Object.freeze({ kind: 'param', value: o.withParam.expr }), item: new Item([], 'json'), refs: [o.withParam.expr] };
  }
  if (o.withSequence !== undefined) {
    return { loop: Object.freeze({ kind: 'sequence', sequence: lowerData(o.withSequence as object) }), item: new Item([], 'number'), refs: [] };
  }
  return NO_LOOP;
}

/** @internal builds a node's IR and its handle. */
export function makeNode(
  via: 'tasks' | 'steps',
  name: string,
  target: NodeTarget<OutputSpecs, unknown>,
  options: Omit<TaskOptions<unknown>, 'when'> & { readonly when?: Conditional<unknown> | ItemCondition<unknown, unknown> } & object,
): { node: NodeIR; handle: TaskHandle<OutputSpecs, unknown> } {
  const source = captureSource();
  if (typeof name !== 'string' || name === '') throw new TypeError(`a ${via === 'tasks' ? 'task' : 'step'} name must be a non-empty string`);
  const { loop, item, refs } = loopOf(options);
  let callable: Callable<OutputSpecs, unknown>;
  if (typeof target === 'function') {
    if (!item) throw new TypeError(`"${name}": a function of the item needs withItems, withParam or withSequence`);
    callable = target(item as never);
  } else callable = target;
  if (!callable || typeof callable.toCall !== 'function') {
    throw new TypeError(`"${name}": expected a template or a template call, received ${String(callable)}`);
  }
  const call = callable.toCall();
  let when: ReturnType<typeof conditionExpr> | undefined;
  if (typeof options.when === 'function') {
    if (!item) throw new TypeError(`"${name}": a \`when\` that is a function of the item needs withItems, withParam or withSequence`);
    when = conditionExpr((options.when as (item: Item<unknown, unknown>) => Conditional<unknown>)(item));
  } else if (options.when !== undefined) when = conditionExpr(options.when);
  const depends =
    options.depends === undefined ? undefined : options.depends instanceof Depends ? options.depends.expr : options.depends.done.expr;
  const all: RefExpr[] = [];
  for (const p of call.arguments.parameters) referencesOf(p.value, all);
  for (const a of call.arguments.artifacts) if (a.from) referencesOf(a.from, all);
  if (when) referencesOf(when, all);
  for (const r of refs) referencesOf(r, all);
  const extraCalls = options.hooks || options.onExit ? [...Object.values(options.hooks ?? {}).map((h) => h.template), ...(options.onExit ? [options.onExit] : [])] : [];
  for (const c of extraCalls) {
    const args = c.toCall().arguments;
    for (const p of args.parameters) referencesOf(p.value, all);
    for (const a of args.artifacts) if (a.from) referencesOf(a.from, all);
  }
  for (const h of Object.values(options.hooks ?? {})) {
    if (h.expression !== undefined && typeof h.expression !== 'string') referencesOf(conditionExpr(h.expression), all);
  }
  const inferred: string[] = [];
  for (const h of options.after ?? []) if (!inferred.includes(h.name)) inferred.push(h.name);
  const reads = new Set<string>();
  for (const r of all) {
    if (r.kind !== 'node-output' || r.via !== via) continue;
    reads.add(r.node);
    if (!inferred.includes(r.node)) inferred.push(r.node);
  }
  const hooks = options.hooks
    ? Object.fromEntries(
        Object.entries(options.hooks).map(([k, h]) => [
          k,
          {
            call: h.template.toCall(),
            ...(h.expression === undefined ? {} : { expression: typeof h.expression === 'string' ? h.expression : conditionExpr(h.expression) }),
          },
        ]),
      )
    : undefined;
  const fields =
    options.fields === undefined && options.continueOn === undefined && !options.onExit && !hooks
      ? NO_FIELDS
      : Object.freeze({
          ...lowerData({ ...(options.fields ?? {}), continueOn: options.continueOn }),
          ...(options.onExit ? { onExit: options.onExit.toCall() } : {}),
          ...(hooks ? { hooks: Object.freeze(hooks) } : {}),
        });
  const node: NodeIR = Object.freeze({
    kind: 'node',
    via,
    name,
    template: call.template,
    arguments: call.arguments,
    when,
    depends,
    inferred: Object.freeze(inferred),
    readsOutputsOf: Object.freeze(inferred.filter((t) => reads.has(t))),
    loop,
    fields,
    source,
  });
  return { node, handle: new TaskHandle(name, via, call.template) };
}
