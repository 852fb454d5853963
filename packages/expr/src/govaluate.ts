/**
 * The subset of govaluate (https://github.com/Knetic/govaluate) that Sensor `exprs` filters and trigger
 * `conditions` use: number, string ('…' or "…") and boolean literals, variables (`name`, `[name with
 * spaces]`), `( )`, prefix `!` and `-`, `* / %`, `+ -` (string concatenation when either side is a string),
 * `> >= < <=` (numbers, or strings with strings), `== !=` (deep equality), `=~ !~` (Go regexp), `IN (a, b)`,
 * `&& ||` (short-circuit), `??` and the ternary `? :`, `**`, the bitwise `& | ^ << >> ~` (on the numbers
 * truncated to int64, as govaluate does), at govaluate's precedences (stagePlanner.go). Argo passes no
 * functions, so a call is the parse error govaluate gives; `a.b` is an accessor, which fails on JSON values
 * ("is not a struct"). All numbers are float64, as in govaluate.
 */
import { compileRe2 } from './re2.js';
import { formatGoFloat } from './go-values.js';

export type Expr =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'accessor'; readonly name: string; readonly path: readonly string[] }
  | { readonly kind: 'list'; readonly items: readonly Expr[] }
  | { readonly kind: 'unary'; readonly op: '!' | '-' | '~'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'ternary'; readonly test: Expr; readonly then: Expr; readonly otherwise: Expr | undefined };

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'var'; v: string }
  | { t: 'accessor'; v: string; path: string[] }
  | { t: 'op'; v: string }
  | { t: 'end' };

export class ExprError extends Error {
  constructor(message: string, readonly unsupported = false) {
    super(message);
    this.name = 'ExprError';
  }
}

const OPERATORS = ['&&', '||', '==', '!=', '>=', '<=', '=~', '!~', '??', '**', '<<', '>>', '>', '<', '+', '-', '*', '/', '%', '!', '(', ')', ',', '?', ':', '&', '|', '^', '~'];

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i)) as RegExpExecArray;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          s += text[j + 1];
          j += 2;
        } else {
          s += text[j];
          j += 1;
        }
      }
      if (j >= text.length) throw new ExprError(`Unclosed string literal in "${text}"`);
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) throw new ExprError(`Unclosed parameter bracket in "${text}"`);
      out.push({ t: 'var', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[\p{L}_]/u.test(c)) {
      // govaluate's isVariableName: letters, digits, '_' and '.' (a dotted name is an accessor).
      const m = /^[\p{L}_][\p{L}\p{N}_.]*/u.exec(text.slice(i)) as RegExpExecArray;
      const word = m[0];
      i += word.length;
      if (word === 'true' || word === 'false') out.push({ t: 'bool', v: word === 'true' });
      else if (word === 'IN' || word === 'in') out.push({ t: 'op', v: 'in' });
      else if (word.includes('.')) {
        if (word.endsWith('.')) throw new ExprError(`Hanging accessor on token '${word}'`);
        const [name, ...path] = word.split('.');
        out.push({ t: 'accessor', v: name as string, path });
      } else if (/^\s*\(/.test(text.slice(i))) {
        // Argo registers no functions: the name is a variable, and a variable cannot be followed by a clause.
        throw new ExprError(`Cannot transition token types from VARIABLE [${word}] to CLAUSE [40]`);
      } else out.push({ t: 'var', v: word });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new ExprError(`Invalid token: '${c}' in "${text}"`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  out.push({ t: 'end' });
  return out;
}

// govaluate's precedence levels (stagePlanner.go), lowest first: ternary/coalesce, ||, &&, comparators,
// bitwise & | ^, shifts, additive, multiplicative, exponent.
const BINARY: Record<string, number> = {
  '??': 2, '||': 3, '&&': 4,
  '==': 5, '!=': 5, '>': 5, '>=': 5, '<': 5, '<=': 5, '=~': 5, '!~': 5, in: 5,
  '&': 6, '|': 6, '^': 6, '<<': 7, '>>': 7,
  '+': 8, '-': 8, '*': 9, '/': 9, '%': 9, '**': 10,
};

const parsed = new Map<string, Expr | ExprError>();

/** Parses a govaluate expression (memoised); throws {@link ExprError}. */
export function parseExpr(text: string): Expr {
  const hit = parsed.get(text);
  if (hit instanceof ExprError) throw hit;
  if (hit) return hit;
  try {
    const expr = parseExprUncached(text);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(text, expr);
    return expr;
  } catch (error) {
    if (error instanceof ExprError) parsed.set(text, error);
    throw error;
  }
}

function parseExprUncached(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos] as Token;
  const isOp = (v: string): boolean => {
    const t = peek();
    return t.t === 'op' && t.v === v;
  };
  const primary = (): Expr => {
    const t = peek();
    pos += 1;
    switch (t.t) {
      case 'num':
      case 'str':
      case 'bool':
        return { kind: 'literal', value: t.v };
      case 'var':
        return { kind: 'variable', name: t.v };
      case 'accessor':
        return { kind: 'accessor', name: t.v, path: t.path };
      case 'op':
        if (t.v === '!' || t.v === '-' || t.v === '~') return { kind: 'unary', op: t.v, operand: primary() };
        if (t.v === '(') {
          const first = ternary();
          if (isOp(',')) {
            const items = [first];
            while (isOp(',')) {
              pos += 1;
              items.push(ternary());
            }
            if (!isOp(')')) throw new ExprError(`Unbalanced parenthesis in "${text}"`);
            pos += 1;
            return { kind: 'list', items };
          }
          if (!isOp(')')) throw new ExprError(`Unbalanced parenthesis in "${text}"`);
          pos += 1;
          return first;
        }
        throw new ExprError(`Unexpected "${t.v}" in "${text}"`);
      case 'end':
        throw new ExprError(`Unexpected end of expression "${text}"`);
    }
  };
  const binary = (min: number): Expr => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (t.t !== 'op') break;
      const prec = BINARY[t.v];
      if (prec === undefined || prec < min) break;
      pos += 1;
      const right = binary(prec + 1);
      left = { kind: 'binary', op: t.v, left, right };
    }
    return left;
  };
  const ternary = (): Expr => {
    const test = binary(1);
    if (!isOp('?')) return test;
    pos += 1;
    const then = ternary();
    let otherwise: Expr | undefined;
    if (isOp(':')) {
      pos += 1;
      otherwise = ternary();
    }
    return { kind: 'ternary', test, then, otherwise };
  };
  const expr = ternary();
  const rest = peek();
  if (rest.t !== 'end') throw new ExprError(`Unexpected token ${rest.t === 'op' ? `"${rest.v}"` : JSON.stringify(rest.v)} in "${text}"`);
  return expr;
}

function describe(value: unknown): string {
  return typeof value === 'number' ? formatGoFloat(value) : typeof value === 'string' ? value : JSON.stringify(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function asString(value: unknown): string {
  return typeof value === 'number' ? formatGoFloat(value) : typeof value === 'string' ? value : describe(value);
}

/** Evaluates a parsed expression with govaluate's typing rules; throws {@link ExprError}. */
export function evaluateExpr(expr: Expr, parameters: ReadonlyMap<string, unknown>): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'variable':
      if (!parameters.has(expr.name)) throw new ExprError(`No parameter '${expr.name}' found.`);
      return parameters.get(expr.name);
    case 'accessor':
      // makeAccessorStage: the parameter, then reflection on a struct; JSON values are maps, never structs.
      if (!parameters.has(expr.name)) throw new ExprError(`No parameter '${expr.name}' found.`);
      throw new ExprError(`Unable to access '${expr.path[0] as string}', '${expr.name}' is not a struct`);
    case 'list':
      return expr.items.map((item) => evaluateExpr(item, parameters));
    case 'unary': {
      const v = evaluateExpr(expr.operand, parameters);
      if (expr.op === '~') {
        if (typeof v !== 'number') throw new ExprError(`Value '${describe(v)}' cannot be used with the modifier '~', it is not a number`);
        return Number(~BigInt.asIntN(64, BigInt(Math.trunc(v))));
      }
      if (expr.op === '!') {
        if (typeof v !== 'boolean') throw new ExprError(`Value '${describe(v)}' cannot be used with the modifier '!', it is not a bool`);
        return !v;
      }
      if (typeof v !== 'number') throw new ExprError(`Value '${describe(v)}' cannot be used with the modifier '-', it is not a number`);
      return -v;
    }
    case 'ternary': {
      const test = evaluateExpr(expr.test, parameters);
      if (typeof test !== 'boolean') throw new ExprError(`Value '${describe(test)}' cannot be used with the ternary operator '?', it is not a bool`);
      if (test) return evaluateExpr(expr.then, parameters);
      return expr.otherwise ? evaluateExpr(expr.otherwise, parameters) : null;
    }
    case 'binary':
      return binaryOp(expr.op, expr.left, expr.right, parameters);
  }
}

function binaryOp(op: string, leftExpr: Expr, rightExpr: Expr, parameters: ReadonlyMap<string, unknown>): unknown {
  const left = evaluateExpr(leftExpr, parameters);
  if (op === '&&' || op === '||') {
    if (typeof left !== 'boolean') throw new ExprError(`Value '${describe(left)}' cannot be used with the logical operator '${op}', it is not a bool`);
    if (op === '&&' && !left) return false;
    if (op === '||' && left) return true;
    const right = evaluateExpr(rightExpr, parameters);
    if (typeof right !== 'boolean') throw new ExprError(`Value '${describe(right)}' cannot be used with the logical operator '${op}', it is not a bool`);
    return right;
  }
  if (op === '??') return left ?? evaluateExpr(rightExpr, parameters);
  const right = evaluateExpr(rightExpr, parameters);
  switch (op) {
    case '==':
      return deepEqual(left, right);
    case '!=':
      return !deepEqual(left, right);
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const bothNumbers = typeof left === 'number' && typeof right === 'number';
      const bothStrings = typeof left === 'string' && typeof right === 'string';
      if (!bothNumbers && !bothStrings) {
        const bad = typeof left === 'number' || typeof left === 'string' ? right : left;
        throw new ExprError(`Value '${describe(bad)}' cannot be used with the comparator '${op}', it is not a number`);
      }
      const l = left as number | string;
      const r = right as number | string;
      return op === '>' ? l > r : op === '>=' ? l >= r : op === '<' ? l < r : l <= r;
    }
    case '=~':
    case '!~': {
      if (typeof left !== 'string' || typeof right !== 'string') {
        throw new ExprError(`Value '${describe(typeof left !== 'string' ? left : right)}' cannot be used with the comparator '${op}', it is not a string`);
      }
      const re = compileRe2(right);
      if (!re.ok) throw new ExprError(`Unable to compile regexp pattern '${right}': ${re.error}`, re.unsupported === true);
      return re.regex.test(left) === (op === '=~');
    }
    case 'in': {
      if (!Array.isArray(right)) throw new ExprError(`Value '${describe(right)}' cannot be used with the comparator 'in', it is not an array`);
      return right.some((item) => deepEqual(item, left));
    }
    case '+':
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      if (typeof left === 'string' || typeof right === 'string') return asString(left) + asString(right);
      throw new ExprError(`Value '${describe(typeof left === 'number' ? right : left)}' cannot be used with the modifier '+', it is not a number`);
    default: {
      if (typeof left !== 'number' || typeof right !== 'number') {
        throw new ExprError(`Value '${describe(typeof left !== 'number' ? left : right)}' cannot be used with the modifier '${op}', it is not a number`);
      }
      if (op === '-') return left - right;
      if (op === '*') return left * right;
      if (op === '/') return left / right;
      if (op === '**') return left ** right;
      if (op === '%') return left % right;
      // Bitwise: float64(int64(l) OP int64(r)); shifts on uint64.
      const l = BigInt.asIntN(64, BigInt(Math.trunc(left)));
      const r = BigInt.asIntN(64, BigInt(Math.trunc(right)));
      if (op === '&') return Number(l & r);
      if (op === '|') return Number(l | r);
      if (op === '^') return Number(l ^ r);
      if (op === '<<') return Number(BigInt.asUintN(64, BigInt.asUintN(64, l) << BigInt.asUintN(64, r)));
      return Number(BigInt.asUintN(64, l) >> BigInt.asUintN(64, r));
    }
  }
}

/** Names of every variable the expression reads. */
export function exprVariables(expr: Expr, into: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'variable':
    case 'accessor':
      into.add(expr.name);
      break;
    case 'list':
      expr.items.forEach((e) => exprVariables(e, into));
      break;
    case 'unary':
      exprVariables(expr.operand, into);
      break;
    case 'binary':
      exprVariables(expr.left, into);
      exprVariables(expr.right, into);
      break;
    case 'ternary':
      exprVariables(expr.test, into);
      exprVariables(expr.then, into);
      if (expr.otherwise) exprVariables(expr.otherwise, into);
      break;
    default:
      break;
  }
  return into;
}
