/**
 * A DAG task's `depends` (or `dependencies`) as Argo reads it (`workflow/common/ancestry.go`,
 * `workflow/controller/dag.go` evaluateDependsLogic; docs/enhanced-depends-logic.md): task results combined with
 * `&&`, `||`, `!` and parentheses; a bare `A` means `(A.Succeeded || A.Skipped || A.Daemoned)`, plus
 * `A.Errored`/`A.Failed` when A has `continueOn.error`/`continueOn.failed`.
 */
import type { DagTask } from '../model/workflow.js';

export const TASK_RESULTS = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed'] as const;
export type TaskResult = (typeof TASK_RESULTS)[number];

export type DependsExpr =
  | { readonly kind: 'result'; readonly task: string; readonly result: TaskResult }
  | { readonly kind: 'not'; readonly operand: DependsExpr }
  | { readonly kind: 'and' | 'or'; readonly left: DependsExpr; readonly right: DependsExpr }
  | { readonly kind: 'true' };

export class DependsError extends Error {
  override readonly name = 'DependsError';
}

type Token = { t: 'name'; v: string } | { t: 'op'; v: '&&' | '||' | '!' | '(' | ')' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) i += 1;
    else if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      tokens.push({ t: 'op', v: text.slice(i, i + 2) as '&&' | '||' });
      i += 2;
    } else if (c === '!' || c === '(' || c === ')') {
      tokens.push({ t: 'op', v: c });
      i += 1;
    } else {
      const m = /^[A-Za-z0-9_.-]+/.exec(text.slice(i));
      if (!m) throw new DependsError(`unexpected "${c}" at position ${i + 1} of depends "${text}"`);
      tokens.push({ t: 'name', v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Parses `depends`; bare names are expanded with the dependency's `continueOn` (from `tasks`). */
export function parseDepends(text: string, tasks: ReadonlyMap<string, DagTask>): DependsExpr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const expandBare = (name: string): DependsExpr => {
    const task = tasks.get(name);
    const results: TaskResult[] = ['Succeeded', 'Skipped', 'Daemoned'];
    if (task?.continueOn?.error) results.push('Errored');
    if (task?.continueOn?.failed) results.push('Failed');
    return results.map((r): DependsExpr => ({ kind: 'result', task: name, result: r })).reduce((a, b) => ({ kind: 'or', left: a, right: b }));
  };
  const primary = (): DependsExpr => {
    const tok = peek();
    if (!tok) throw new DependsError(`depends "${text}" ends too early`);
    pos += 1;
    if (tok.t === 'op' && tok.v === '!') return { kind: 'not', operand: primary() };
    if (tok.t === 'op' && tok.v === '(') {
      const inner = or();
      const close = peek();
      if (!close || close.t !== 'op' || close.v !== ')') throw new DependsError(`depends "${text}": expected ")"`);
      pos += 1;
      return inner;
    }
    if (tok.t === 'name') {
      if (tasks.has(tok.v)) return expandBare(tok.v);
      const dot = tok.v.lastIndexOf('.');
      const task = dot > 0 ? tok.v.slice(0, dot) : tok.v;
      const result = dot > 0 ? tok.v.slice(dot + 1) : '';
      if (!tasks.has(task)) throw new DependsError(`depends "${text}" names task "${task}", which is not in this DAG`);
      if (!(TASK_RESULTS as readonly string[]).includes(result)) throw new DependsError(`depends "${text}": "${result}" is not a task result (expected one of ${TASK_RESULTS.join(', ')})`);
      return { kind: 'result', task, result: result as TaskResult };
    }
    throw new DependsError(`depends "${text}": unexpected "${tok.v}"`);
  };
  const and = (): DependsExpr => {
    let left = primary();
    for (let tok = peek(); tok?.t === 'op' && tok.v === '&&'; tok = peek()) {
      pos += 1;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): DependsExpr => {
    let left = and();
    for (let tok = peek(); tok?.t === 'op' && tok.v === '||'; tok = peek()) {
      pos += 1;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  if (tokens.length === 0) return { kind: 'true' };
  const expr = or();
  if (pos !== tokens.length) throw new DependsError(`depends "${text}": unexpected "${tokens[pos]?.v}"`);
  return expr;
}

/** The task's dependency expression: `depends`, or `dependencies` ANDed (each expanded as a bare name). */
export function taskDepends(task: DagTask, tasks: ReadonlyMap<string, DagTask>): DependsExpr {
  if (task.depends !== undefined && task.depends.trim() !== '') return parseDepends(task.depends, tasks);
  const deps = task.dependencies ?? [];
  if (deps.length === 0) return { kind: 'true' };
  return parseDepends(deps.map((d) => `(${d})`).join(' && '), tasks);
}

export function dependsTasks(expr: DependsExpr, into: Set<string> = new Set()): Set<string> {
  if (expr.kind === 'result') into.add(expr.task);
  else if (expr.kind === 'not') dependsTasks(expr.operand, into);
  else if (expr.kind === 'and' || expr.kind === 'or') {
    dependsTasks(expr.left, into);
    dependsTasks(expr.right, into);
  }
  return into;
}

export function evaluateDepends(expr: DependsExpr, results: (task: string) => Readonly<Record<TaskResult, boolean>>): boolean {
  switch (expr.kind) {
    case 'true':
      return true;
    case 'result':
      return results(expr.task)[expr.result];
    case 'not':
      return !evaluateDepends(expr.operand, results);
    case 'and':
      return evaluateDepends(expr.left, results) && evaluateDepends(expr.right, results);
    case 'or':
      return evaluateDepends(expr.left, results) || evaluateDepends(expr.right, results);
  }
}
