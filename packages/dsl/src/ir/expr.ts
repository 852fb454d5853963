/**
 * Expression IR: references to values (parameters, task outputs, loop items), text built from them, `when`
 * conditions and `depends` expressions. Plain frozen objects with a `kind`; rendered to Argo syntax in one
 * place (`emit/render.ts`). Each node carries {@link EXPR} so it can be told apart from user data (a
 * Kubernetes manifest has a `kind` too).
 */

/** Marks an object as an expression node inside otherwise plain IR data. */
export const EXPR: unique symbol = Symbol.for('argots.expr');

export type ScalarType = 'string' | 'number' | 'boolean' | 'json';

interface Node {
  readonly [EXPR]: true;
}

/** `{{workflow.parameters.X}}` */
export interface WorkflowParamExpr extends Node {
  readonly kind: 'workflow-param';
  readonly name: string;
  readonly type: ScalarType;
}
/** `{{inputs.parameters.X}}` or `{{inputs.artifacts.X}}` */
export interface InputExpr extends Node {
  readonly kind: 'input';
  readonly name: string;
  readonly artifact: boolean;
  readonly type: ScalarType;
}
/** `{{tasks.A.outputs.parameters.X}}`, `{{steps.A.outputs.result}}`, … */
export interface NodeOutputExpr extends Node {
  readonly kind: 'node-output';
  readonly via: 'tasks' | 'steps';
  readonly node: string;
  /** `parameters`/`artifacts` name an output; `result` and `exitCode` are Argo's own. */
  readonly what: 'parameters' | 'artifacts' | 'result' | 'exitCode';
  readonly name: string;
  readonly type: ScalarType;
}
/** `{{item}}`, `{{item.key}}` */
export interface ItemExpr extends Node {
  readonly kind: 'item';
  readonly path: readonly string[];
  readonly type: ScalarType;
}
/** A global variable: `{{workflow.name}}`, `{{pod.name}}`, `{{retries}}`. */
export interface VariableExpr extends Node {
  readonly kind: 'variable';
  readonly name: string;
  readonly type: ScalarType;
}
export interface LiteralExpr extends Node {
  readonly kind: 'literal';
  readonly value: string | number | boolean;
}
/** Text with references inside: rendered as one string. */
export interface ConcatExpr extends Node {
  readonly kind: 'concat';
  readonly parts: readonly TextExpr[];
}

export type RefExpr = WorkflowParamExpr | InputExpr | NodeOutputExpr | ItemExpr | VariableExpr;
export type TextExpr = RefExpr | LiteralExpr | ConcatExpr;

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface CompareExpr extends Node {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly left: TextExpr;
  readonly right: TextExpr;
  /** Numbers and booleans are compared bare; text is quoted. */
  readonly quoted: boolean;
}
/** A boolean value used as a condition: `{{x}} == true`. */
export interface TruthyExpr extends Node {
  readonly kind: 'truthy';
  readonly value: TextExpr;
}
export interface AllExpr<T> extends Node {
  readonly kind: 'all';
  readonly items: readonly T[];
}
export interface AnyExpr<T> extends Node {
  readonly kind: 'any';
  readonly items: readonly T[];
}
export interface NotExpr<T> extends Node {
  readonly kind: 'not';
  readonly item: T;
}

export type ConditionExpr =
  | CompareExpr
  | TruthyExpr
  | AllExpr<ConditionExpr>
  | AnyExpr<ConditionExpr>
  | NotExpr<ConditionExpr>;

/** The results a `depends` expression can test. */
export const TASK_RESULTS = [
  'Succeeded',
  'Failed',
  'Errored',
  'Skipped',
  'Omitted',
  'Daemoned',
  'AnySucceeded',
  'AllFailed',
] as const;
export type TaskResult = (typeof TASK_RESULTS)[number];

/** `A` (bare: succeeded, skipped or daemoned) or `A.Failed`. */
export interface ResultExpr extends Node {
  readonly kind: 'result';
  readonly task: string;
  readonly result: TaskResult | undefined;
}

export type DependsExpr = ResultExpr | AllExpr<DependsExpr> | AnyExpr<DependsExpr> | NotExpr<DependsExpr>;

export type Expr = TextExpr | ConditionExpr | DependsExpr;

type Bare<T> = T extends Node ? Omit<T, typeof EXPR> : never;

/** Makes a frozen expression node. */
export function expr<T extends Expr>(node: Bare<T>): T {
  // Callers always pass a fresh object literal: mark and freeze it in place (no copy: this is hot).
  (node as { [EXPR]?: true })[EXPR] = true;
  return Object.freeze(node) as unknown as T;
}

/** True for an expression node. */
export function isExpr(value: unknown): value is Expr {
  return typeof value === 'object' && value !== null && EXPR in value;
}

/** Every reference inside an expression (for dependency edges and scope checks). */
export function referencesOf(e: Expr, out: RefExpr[] = []): RefExpr[] {
  switch (e.kind) {
    case 'workflow-param':
    case 'input':
    case 'node-output':
    case 'item':
    case 'variable':
      out.push(e);
      break;
    case 'literal':
    case 'result':
      break;
    case 'concat':
      for (const p of e.parts) referencesOf(p, out);
      break;
    case 'compare':
      referencesOf(e.left, out);
      referencesOf(e.right, out);
      break;
    case 'truthy':
      referencesOf(e.value, out);
      break;
    case 'all':
    case 'any':
      for (const i of e.items as readonly Expr[]) referencesOf(i, out);
      break;
    case 'not':
      referencesOf(e.item as Expr, out);
      break;
  }
  return out;
}

/** Task names a `depends` expression mentions. */
export function dependsTasks(e: DependsExpr, out: Set<string> = new Set()): Set<string> {
  if (e.kind === 'result') out.add(e.task);
  else if (e.kind === 'not') dependsTasks(e.item, out);
  else for (const i of e.items) dependsTasks(i, out);
  return out;
}
