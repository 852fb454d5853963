/**
 * A parser for Argo `depends` expressions: task names, optionally `.Result`, combined with `&&`, `||`, `!` and
 * parentheses (`(A.Succeeded || B.Failed) && !C.Skipped`).
 */
export type DependsNode =
  | { readonly kind: 'ref'; readonly task: string; readonly result: string | undefined; readonly offset: number }
  | { readonly kind: 'not'; readonly operand: DependsNode }
  | { readonly kind: 'and' | 'or'; readonly left: DependsNode; readonly right: DependsNode };

export interface DependsError {
  readonly message: string;
  readonly offset: number;
}

type Token = { readonly type: 'name' | 'op'; readonly text: string; readonly offset: number };

function tokenize(text: string): Token[] | DependsError {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) { i += 1; continue; }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||') { tokens.push({ type: 'op', text: two, offset: i }); i += 2; continue; }
    if (ch === '!' || ch === '(' || ch === ')') { tokens.push({ type: 'op', text: ch, offset: i }); i += 1; continue; }
    const m = /^[A-Za-z0-9_][-A-Za-z0-9_]*(\.[A-Za-z0-9_]*)?/.exec(text.slice(i));
    if (!m) return { message: `unexpected character "${ch}" at column ${i + 1}`, offset: i };
    tokens.push({ type: 'name', text: m[0], offset: i });
    i += m[0].length;
  }
  return tokens;
}

const cache = new Map<string, DependsNode | DependsError>();

/** Parses `depends`; returns the tree or the first syntax error. Results are immutable and memoised. */
export function parseDepends(text: string): DependsNode | DependsError {
  const known = cache.get(text);
  if (known) return known;
  if (cache.size > 10_000) cache.clear();
  const result = parseUncached(text);
  cache.set(text, result);
  return result;
}

function parseUncached(text: string): DependsNode | DependsError {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return tokens;
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (what: string): DependsError => {
    const t = peek();
    return t
      ? { message: `expected ${what} at column ${t.offset + 1}, received "${t.text}"`, offset: t.offset }
      : { message: `expected ${what}, received the end of the expression`, offset: text.length };
  };
  function primary(): DependsNode | DependsError {
    const t = peek();
    if (t?.type === 'op' && t.text === '!') {
      pos += 1;
      const operand = primary();
      return 'message' in operand ? operand : { kind: 'not', operand };
    }
    if (t?.type === 'op' && t.text === '(') {
      pos += 1;
      const inner = or();
      if ('message' in inner) return inner;
      if (peek()?.text !== ')') return fail('")"');
      pos += 1;
      return inner;
    }
    if (t?.type === 'name') {
      pos += 1;
      const dot = t.text.indexOf('.');
      const task = dot < 0 ? t.text : t.text.slice(0, dot);
      const result = dot < 0 ? undefined : t.text.slice(dot + 1);
      return { kind: 'ref', task, result, offset: t.offset };
    }
    return fail('a task name, "!" or "("');
  }
  function and(): DependsNode | DependsError {
    let left = primary();
    while (!('message' in left) && peek()?.text === '&&') {
      pos += 1;
      const right = primary();
      if ('message' in right) return right;
      left = { kind: 'and', left, right };
    }
    return left;
  }
  function or(): DependsNode | DependsError {
    let left = and();
    while (!('message' in left) && peek()?.text === '||') {
      pos += 1;
      const right = and();
      if ('message' in right) return right;
      left = { kind: 'or', left, right };
    }
    return left;
  }
  const tree = or();
  if ('message' in tree) return tree;
  if (pos < tokens.length) return fail('"&&", "||" or the end of the expression');
  return tree;
}

/** Every task reference of a parsed expression, in order. */
export function dependsRefs(node: DependsNode): Extract<DependsNode, { kind: 'ref' }>[] {
  switch (node.kind) {
    case 'ref': return [node];
    case 'not': return dependsRefs(node.operand);
    default: return [...dependsRefs(node.left), ...dependsRefs(node.right)];
  }
}

export const TASK_RESULTS = ['Succeeded', 'Failed', 'Errored', 'Skipped', 'Omitted', 'Daemoned', 'AnySucceeded', 'AllFailed'] as const;
