/**
 * expr-lang (github.com/expr-lang/expr), the language of Argo Workflows' `{{= … }}` tags, `when` expressions of
 * lifecycle hooks, `retryStrategy.expression`, output `valueFrom.expression` and `fromExpression`.
 *
 * Values follow Go's types as expr-lang sees them: an integer literal is an `int` (a `bigint` here), a number
 * with a fraction or exponent, and every JSON number, is a `float64` (a `number` here); `/` and `**` always give
 * a float; `%` takes integers only; `+` concatenates strings; comparing a string with a number is an error, as in
 * expr-lang. Missing map keys read as `nil`; reading a member of `nil` is an error unless written `?.`.
 *
 * Supported: literals (numbers with `_`, hex/octal/binary, strings in '…', "…" and `…`, arrays, maps, nil,
 * booleans), member and index access (negative indexes, slices `a[1:3]`), `?.`, calls, the unary operators
 * `not ! - +`, the binary operators by expr-lang's precedence (`?? ** ^ * / % + - .. == != < > <= >= in matches
 * contains startsWith endsWith and && or ||`, with `not in` / `not matches` …), the conditional `a ? b : c`,
 * the pipe `a | f(b)` (= `f(a, b)`), closures with `#`, `#index` and `.field` in the predicate builtins, and the
 * builtins listed in BUILTINS. What is not supported is reported (`unsupported: true`), never guessed.
 */
import { compileRe2 } from './re2.js';
import { formatGoFloat } from './go-values.js';

export class ExprLangError extends Error {
  constructor(
    message: string,
    readonly position: number | undefined = undefined,
    readonly unsupported = false,
  ) {
    super(message);
    this.name = 'ExprLangError';
  }
}

/** A function placed in the environment (Argo's `asInt`, `sprig.trim`, …). Arguments and results are expr-lang values. */
export type ExprLangFunction = (...args: readonly unknown[]) => unknown;

export type ExprLangNode =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'name'; readonly name: string; readonly at: number }
  | { readonly kind: 'pointer'; readonly name: '' | 'index' | 'acc'; readonly at: number }
  | { readonly kind: 'member'; readonly object: ExprLangNode; readonly property: ExprLangNode; readonly optional: boolean; readonly at: number }
  | { readonly kind: 'slice'; readonly object: ExprLangNode; readonly from: ExprLangNode | undefined; readonly to: ExprLangNode | undefined; readonly at: number }
  | { readonly kind: 'call'; readonly callee: ExprLangNode; readonly args: readonly ExprLangNode[]; readonly at: number }
  | { readonly kind: 'builtin'; readonly name: string; readonly args: readonly ExprLangNode[]; readonly at: number }
  | { readonly kind: 'closure'; readonly body: ExprLangNode }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: ExprLangNode; readonly at: number }
  | { readonly kind: 'binary'; readonly op: string; readonly left: ExprLangNode; readonly right: ExprLangNode; readonly at: number }
  | { readonly kind: 'conditional'; readonly test: ExprLangNode; readonly then: ExprLangNode; readonly otherwise: ExprLangNode }
  | { readonly kind: 'array'; readonly items: readonly ExprLangNode[] }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [ExprLangNode, ExprLangNode])[] };

// ---------------------------------------------------------------------------------------------------------
// Lexer

type Token =
  | { readonly kind: 'number'; readonly value: bigint | number; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'name'; readonly value: string; readonly at: number }
  | { readonly kind: 'op'; readonly value: string; readonly at: number }
  | { readonly kind: 'eof'; readonly value: ''; readonly at: number };

const OPERATORS = ['?.', '??', '...', '..', '**', '==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '^', '<', '>', '!', '?', ':', '.', ',', '(', ')', '[', ']', '{', '}', '|', '#'];
const WORD_OPERATORS = new Set(['not', 'and', 'or', 'in', 'matches', 'contains', 'startsWith', 'endsWith']);

function unescape(body: string, quote: string, at: number): string {
  if (quote === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
    if (n !== undefined && n in simple && !(n === '0' && /[0-7]/.test(body[i + 1] ?? ''))) out += simple[n];
    else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new ExprLangError(`invalid escape \\${n}${hex} in string`, at);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else if (n !== undefined && /[0-7]/.test(n)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new ExprLangError(`invalid octal escape \\${oct} in string`, at);
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else throw new ExprLangError(`invalid escape \\${n ?? ''} in string`, at);
  }
  return out;
}

function lex(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const at = i;
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      // A fraction needs a digit after the dot, so `1..3` is a range and `a.0` stays a member access.
      const m = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:[0-9][0-9_]*)?(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9][0-9_]*)?)/.exec(source.slice(i));
      const text = m?.[0] ?? '';
      const clean = text.replace(/_/g, '');
      let value: bigint | number;
      if (/^0[xXbB]/.test(clean)) value = BigInt(clean);
      else if (/^0[oO]/.test(clean)) value = BigInt(`0o${clean.slice(2)}`);
      else if (/[.eE]/.test(clean)) value = Number(clean);
      else if (/^0[0-7]+$/.test(clean)) value = BigInt(`0o${clean.slice(1)}`);
      else value = BigInt(clean);
      tokens.push({ kind: 'number', value, at });
      i += text.length;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += c === '`' ? 1 : source[j] === '\\' ? 2 : 1;
      if (j >= source.length) throw new ExprLangError(`literal not terminated: ${source.slice(i)}`, at);
      tokens.push({ kind: 'string', value: unescape(source.slice(i + 1, j), c, at), at });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i)) as RegExpExecArray;
      const word = m[0];
      tokens.push(WORD_OPERATORS.has(word) ? { kind: 'op', value: word, at } : { kind: 'name', value: word, at });
      i += word.length;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new ExprLangError(`unrecognized character: U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')} '${c}'`, at);
    tokens.push({ kind: 'op', value: op, at });
    i += op.length;
  }
  tokens.push({ kind: 'eof', value: '', at: source.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------
// Parser (precedences as in expr-lang's parser/operator package)

const BINARY: Readonly<Record<string, { readonly precedence: number; readonly right?: true }>> = {
  '|': { precedence: 0 },
  or: { precedence: 10 }, '||': { precedence: 10 },
  and: { precedence: 15 }, '&&': { precedence: 15 },
  '==': { precedence: 20 }, '!=': { precedence: 20 }, '<': { precedence: 20 }, '>': { precedence: 20 },
  '>=': { precedence: 20 }, '<=': { precedence: 20 }, in: { precedence: 20 }, matches: { precedence: 20 },
  contains: { precedence: 20 }, startsWith: { precedence: 20 }, endsWith: { precedence: 20 },
  '..': { precedence: 25 },
  '+': { precedence: 30 }, '-': { precedence: 30 },
  '*': { precedence: 60 }, '/': { precedence: 60 }, '%': { precedence: 60 },
  '**': { precedence: 100, right: true }, '^': { precedence: 100, right: true },
  '??': { precedence: 500 },
};
const UNARY: Readonly<Record<string, number>> = { not: 50, '!': 50, '-': 90, '+': 90 };
const NEGATABLE = new Set(['in', 'matches', 'contains', 'startsWith', 'endsWith']);
/** Builtins whose second argument is a predicate (a closure over `#`). */
const PREDICATE_BUILTINS = new Set(['all', 'none', 'any', 'one', 'filter', 'map', 'count', 'find', 'findIndex', 'findLast', 'findLastIndex', 'groupBy', 'sortBy', 'sum']);

class Parser {
  private i = 0;
  private closureDepth = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.peek();
    this.i += 1;
    return t;
  }
  private isOp(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.value === value;
  }
  private expect(value: string): Token {
    const t = this.next();
    if (t.kind !== 'op' || t.value !== value) throw new ExprLangError(`unexpected token ${describe(t)}, expected "${value}"`, t.at);
    return t;
  }

  parseAll(): ExprLangNode {
    if (this.peek().kind === 'eof') throw new ExprLangError('unexpected end of expression', 0);
    const node = this.parseExpression(0);
    const t = this.peek();
    if (t.kind !== 'eof') throw new ExprLangError(`unexpected token ${describe(t)}`, t.at);
    return node;
  }

  parseExpression(minPrecedence: number): ExprLangNode {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') break;
      let op = t.value;
      let negate = false;
      const after = this.peek(1);
      if ((op === 'not' || op === '!') && after.kind === 'op' && NEGATABLE.has(after.value)) {
        op = after.value;
        negate = true;
      }
      const info = BINARY[op];
      if (!info || info.precedence < minPrecedence) break;
      if (op === '|' && minPrecedence > 0) break;
      this.next();
      if (negate) this.next();
      if (op === '|') {
        left = this.parsePipe(left);
        continue;
      }
      const right = this.parseExpression(info.right ? info.precedence : info.precedence + 1);
      const binary: ExprLangNode = { kind: 'binary', op, left, right, at: t.at };
      left = negate ? { kind: 'unary', op: 'not', operand: binary, at: t.at } : binary;
    }
    if (minPrecedence === 0 && this.isOp('?')) {
      this.next();
      const then = this.parseExpression(0);
      this.expect(':');
      const otherwise = this.parseExpression(0);
      return { kind: 'conditional', test: left, then, otherwise };
    }
    return left;
  }

  private parsePipe(input: ExprLangNode): ExprLangNode {
    const t = this.next();
    if (t.kind !== 'name') throw new ExprLangError(`expected a function call after "|", received ${describe(t)}`, t.at);
    const args = this.isOp('(') ? this.parseArguments(t.value, 1) : [];
    return this.callNode(t.value, [input, ...args], t.at, true);
  }

  private parseUnary(): ExprLangNode {
    const t = this.peek();
    if (t.kind === 'op' && UNARY[t.value] !== undefined) {
      this.next();
      const operand = this.parseExpression(UNARY[t.value] as number);
      return { kind: 'unary', op: t.value === '!' ? 'not' : t.value, operand, at: t.at };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePrimary(): ExprLangNode {
    const t = this.next();
    switch (t.kind) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: t.value };
      case 'name': {
        if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true' };
        if (t.value === 'nil') return { kind: 'literal', value: null };
        if (this.isOp('(')) return this.callNode(t.value, this.parseArguments(t.value), t.at, false);
        return { kind: 'name', name: t.value, at: t.at };
      }
      case 'op': {
        if (t.value === '(') {
          const inner = this.parseExpression(0);
          this.expect(')');
          return inner;
        }
        if (t.value === '[') {
          const items: ExprLangNode[] = [];
          while (!this.isOp(']')) {
            items.push(this.parseExpression(0));
            if (!this.isOp(']')) this.expect(',');
          }
          this.expect(']');
          return { kind: 'array', items };
        }
        if (t.value === '{') {
          const entries: (readonly [ExprLangNode, ExprLangNode])[] = [];
          while (!this.isOp('}')) {
            const k = this.next();
            let key: ExprLangNode;
            if (k.kind === 'name' || k.kind === 'string') key = { kind: 'literal', value: k.value };
            else if (k.kind === 'number') key = { kind: 'literal', value: k.value };
            else if (k.kind === 'op' && k.value === '(') {
              key = this.parseExpression(0);
              this.expect(')');
            } else throw new ExprLangError(`a map key must be a name, a string, a number or a parenthesised expression, received ${describe(k)}`, k.at);
            this.expect(':');
            entries.push([key, this.parseExpression(0)]);
            if (!this.isOp('}')) this.expect(',');
          }
          this.expect('}');
          return { kind: 'map', entries };
        }
        if (t.value === '#') {
          if (this.closureDepth === 0) throw new ExprLangError('"#" is only defined inside a predicate (for example filter(list, # > 1))', t.at);
          const n = this.peek();
          if (n.kind === 'name' && (n.value === 'index' || n.value === 'acc') && n.at === t.at + 1) {
            this.next();
            return { kind: 'pointer', name: n.value, at: t.at };
          }
          return { kind: 'pointer', name: '', at: t.at };
        }
        if (t.value === '.' && this.closureDepth > 0) {
          const n = this.next();
          if (n.kind !== 'name') throw new ExprLangError(`expected a field name after ".", received ${describe(n)}`, n.at);
          return { kind: 'member', object: { kind: 'pointer', name: '', at: t.at }, property: { kind: 'literal', value: n.value }, optional: false, at: t.at };
        }
        throw new ExprLangError(`unexpected token ${describe(t)}`, t.at);
      }
      case 'eof':
        throw new ExprLangError('unexpected end of expression', t.at);
    }
  }

  private parsePostfix(node: ExprLangNode): ExprLangNode {
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op') return node;
      if (t.value === '.' || t.value === '?.') {
        this.next();
        if (t.value === '?.' && this.isOp('[')) {
          node = this.parseIndex(node, true);
          continue;
        }
        const n = this.next();
        if (n.kind !== 'name' && !(n.kind === 'op' && WORD_OPERATORS.has(n.value))) throw new ExprLangError(`expected a name after "${t.value}", received ${describe(n)}`, n.at);
        const member: ExprLangNode = { kind: 'member', object: node, property: { kind: 'literal', value: n.value }, optional: t.value === '?.', at: n.at };
        node = this.isOp('(') ? { kind: 'call', callee: member, args: this.parseArguments(String(n.value)), at: n.at } : member;
      } else if (t.value === '[') node = this.parseIndex(node, false);
      else if (t.value === '(') node = { kind: 'call', callee: node, args: this.parseArguments(''), at: t.at };
      else return node;
    }
  }

  private parseIndex(object: ExprLangNode, optional: boolean): ExprLangNode {
    const open = this.expect('[');
    if (this.isOp(':')) {
      this.next();
      const to = this.isOp(']') ? undefined : this.parseExpression(0);
      this.expect(']');
      return { kind: 'slice', object, from: undefined, to, at: open.at };
    }
    const index = this.parseExpression(0);
    if (this.isOp(':')) {
      this.next();
      const to = this.isOp(']') ? undefined : this.parseExpression(0);
      this.expect(']');
      return { kind: 'slice', object, from: index, to, at: open.at };
    }
    this.expect(']');
    return { kind: 'member', object, property: index, optional, at: open.at };
  }

  /** `before` counts the arguments given before the parentheses (the left side of a pipe). */
  private parseArguments(name: string, before = 0): ExprLangNode[] {
    this.expect('(');
    const args: ExprLangNode[] = [];
    while (!this.isOp(')')) {
      if (args.length + before === 1 && PREDICATE_BUILTINS.has(name)) args.push(this.parseClosure());
      else args.push(this.parseExpression(0));
      if (!this.isOp(')')) this.expect(',');
    }
    this.expect(')');
    return args;
  }

  private parseClosure(): ExprLangNode {
    this.closureDepth += 1;
    try {
      if (this.isOp('{')) {
        this.next();
        const body = this.parseExpression(0);
        this.expect('}');
        return { kind: 'closure', body };
      }
      return { kind: 'closure', body: this.parseExpression(0) };
    } finally {
      this.closureDepth -= 1;
    }
  }

  private callNode(name: string, args: ExprLangNode[], at: number, piped: boolean): ExprLangNode {
    if (piped && PREDICATE_BUILTINS.has(name) && args[1] && args[1].kind !== 'closure') {
      throw new ExprLangError(`the predicate of ${name} must be written in the call: ${this.source}`, at, true);
    }
    if (BUILTINS[name]) return { kind: 'builtin', name, args, at };
    return { kind: 'call', callee: { kind: 'name', name, at }, args, at };
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of expression';
  if (t.kind === 'string') return JSON.stringify(t.value);
  return `"${String(t.value)}"`;
}

/** Parses an expr-lang expression; throws ExprLangError with the position of the first problem. */
export function parseExprLang(source: string): ExprLangNode {
  return new Parser(lex(source), source).parseAll();
}

// ---------------------------------------------------------------------------------------------------------
// Values

const isInt = (v: unknown): v is bigint => typeof v === 'bigint';
const isNumber = (v: unknown): v is bigint | number => typeof v === 'bigint' || typeof v === 'number';
const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Go's type name of a value as expr-lang reports it in errors. */
export function goTypeOf(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'function') return 'func';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** A value printed as Go's `fmt.Sprintf("%v", v)` prints it (Argo writes expression results this way). */
export function formatGoValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatGoFloat(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'function') return '<func>';
  if (Array.isArray(v)) return `[${v.map(formatGoValue).join(' ')}]`;
  const record = v as Record<string, unknown>;
  return `map[${Object.keys(record).sort().map((k) => `${k}:${formatGoValue(record[k])}`).join(' ')}]`;
}

/** A value as Go's encoding/json writes it (ints without a fraction, floats as Go formats them, keys sorted). */
export function goJsonOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new ExprLangError(`json: unsupported value: ${formatGoFloat(v)}`);
    const abs = Math.abs(v);
    if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return v.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
    return String(v);
  }
  if (typeof v === 'string') return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'function') throw new ExprLangError('json: unsupported type: func');
  if (Array.isArray(v)) return `[${v.map(goJsonOf).join(',')}]`;
  const record = v as Record<string, unknown>;
  return `{${Object.keys(record).sort().map((k) => `${goJsonOf(k)}:${goJsonOf(record[k])}`).join(',')}}`;
}

/** JSON text read as Go's encoding/json into interface{}: every number is a float64. */
export function fromGoJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ExprLangError(`invalid JSON: ${(error as Error).message}`);
  }
}

function truthy(v: unknown, where: string): boolean {
  if (typeof v === 'boolean') return v;
  throw new ExprLangError(`${where}: expected bool, received ${goTypeOf(v)} (${formatGoValue(v)})`);
}

function toFloat(v: bigint | number): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

function equal(a: unknown, b: unknown): boolean {
  if (isNumber(a) && isNumber(b)) return isInt(a) && isInt(b) ? a === b : toFloat(a) === toFloat(b);
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return a === b;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  let c: number;
  if (isNumber(a) && isNumber(b)) {
    if (isInt(a) && isInt(b)) c = a < b ? -1 : a > b ? 1 : 0;
    else {
      const x = toFloat(a);
      const y = toFloat(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return false;
      c = x < y ? -1 : x > y ? 1 : 0;
    }
  } else if (typeof a === 'string' && typeof b === 'string') c = a < b ? -1 : a > b ? 1 : 0;
  else throw new ExprLangError(`invalid operation: ${formatGoValue(a)} ${op} ${formatGoValue(b)} (mismatched types ${goTypeOf(a)} and ${goTypeOf(b)})`);
  return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (!isNumber(a) || !isNumber(b)) {
    throw new ExprLangError(`invalid operation: ${formatGoValue(a)} ${op} ${formatGoValue(b)} (mismatched types ${goTypeOf(a)} and ${goTypeOf(b)})`);
  }
  if (op === '/' ) {
    return toFloat(a) / toFloat(b);
  }
  if (op === '**' || op === '^') return toFloat(a) ** toFloat(b);
  if (op === '%') {
    if (!isInt(a) || !isInt(b)) throw new ExprLangError(`invalid operation: ${formatGoValue(a)} % ${formatGoValue(b)} (operator % not defined on ${goTypeOf(isInt(a) ? b : a)})`);
    if (b === 0n) throw new ExprLangError('integer divide by zero');
    return a % b;
  }
  if (isInt(a) && isInt(b)) {
    const r = op === '+' ? a + b : op === '-' ? a - b : a * b;
    return BigInt.asIntN(64, r);
  }
  const x = toFloat(a);
  const y = toFloat(b);
  return op === '+' ? x + y : op === '-' ? x - y : x * y;
}

function asIndex(v: unknown, what: string): number {
  if (isInt(v)) return Number(v);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new ExprLangError(`${what}: expected an integer index, received ${goTypeOf(v)} (${formatGoValue(v)})`);
}

function fetch(object: unknown, key: unknown, optional: boolean): unknown {
  if (object === null || object === undefined) {
    if (optional) return null;
    throw new ExprLangError(`cannot fetch ${formatGoValue(key)} from <nil>`);
  }
  if (Array.isArray(object) || typeof object === 'string') {
    const length = object.length;
    let i = asIndex(key, 'index');
    if (i < 0) i += length;
    if (i < 0 || i >= length) throw new ExprLangError(`index out of range: ${formatGoValue(key)} (array length is ${length})`);
    return typeof object === 'string' ? object[i] : object[i];
  }
  if (isMap(object)) {
    const k = typeof key === 'string' ? key : formatGoValue(key);
    return Object.prototype.hasOwnProperty.call(object, k) ? object[k] : null;
  }
  throw new ExprLangError(`cannot fetch ${formatGoValue(key)} from ${goTypeOf(object)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Builtins (expr-lang's builtin package; `string` is disabled by Argo, which adds its own)

interface Scope {
  readonly env: Readonly<Record<string, unknown>>;
  readonly pointer?: { readonly value: unknown; readonly index: number; readonly acc?: unknown };
}

type Builtin = (args: readonly ExprLangNode[], scope: Scope, at: number) => unknown;

function list(v: unknown, fn: string): readonly unknown[] {
  if (Array.isArray(v)) return v;
  if (v === null || v === undefined) return [];
  throw new ExprLangError(`${fn}: expected an array, received ${goTypeOf(v)}`);
}

function arity(name: string, args: readonly ExprLangNode[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new ExprLangError(`${name}: expected ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, received ${args.length}`);
  }
}

function predicate(name: string, fn: (items: readonly unknown[], test: (item: unknown, index: number) => unknown) => unknown): Builtin {
  return (args, scope) => {
    arity(name, args, 2);
    const items = list(evaluate(args[0] as ExprLangNode, scope), name);
    const closure = args[1] as ExprLangNode;
    const body = closure.kind === 'closure' ? closure.body : closure;
    return fn(items, (item, index) => evaluate(body, { env: scope.env, pointer: { value: item, index } }));
  };
}

const simple = (name: string, min: number, max: number, fn: (...values: unknown[]) => unknown): Builtin => (args, scope) => {
  arity(name, args, min, max);
  return fn(...args.map((a) => evaluate(a, scope)));
};

const str = (v: unknown, fn: string): string => {
  if (typeof v === 'string') return v;
  throw new ExprLangError(`${fn}: expected string, received ${goTypeOf(v)}`);
};

const BUILTINS: Readonly<Record<string, Builtin>> = {
  len: simple('len', 1, 1, (v) => {
    if (typeof v === 'string') return BigInt([...v].length === v.length ? v.length : Buffer.byteLength(v));
    if (Array.isArray(v)) return BigInt(v.length);
    if (isMap(v)) return BigInt(Object.keys(v).length);
    throw new ExprLangError(`invalid argument for len (type ${goTypeOf(v)})`);
  }),
  all: predicate('all', (items, test) => items.every((x, i) => truthy(test(x, i), 'all'))),
  none: predicate('none', (items, test) => !items.some((x, i) => truthy(test(x, i), 'none'))),
  any: predicate('any', (items, test) => items.some((x, i) => truthy(test(x, i), 'any'))),
  one: predicate('one', (items, test) => items.filter((x, i) => truthy(test(x, i), 'one')).length === 1),
  filter: predicate('filter', (items, test) => items.filter((x, i) => truthy(test(x, i), 'filter'))),
  map: predicate('map', (items, test) => items.map((x, i) => test(x, i))),
  count: predicate('count', (items, test) => BigInt(items.filter((x, i) => truthy(test(x, i), 'count')).length)),
  find: predicate('find', (items, test) => items.find((x, i) => truthy(test(x, i), 'find')) ?? null),
  findIndex: predicate('findIndex', (items, test) => BigInt(items.findIndex((x, i) => truthy(test(x, i), 'findIndex')))),
  findLast: predicate('findLast', (items, test) => {
    for (let i = items.length - 1; i >= 0; i -= 1) if (truthy(test(items[i], i), 'findLast')) return items[i];
    return null;
  }),
  findLastIndex: predicate('findLastIndex', (items, test) => {
    for (let i = items.length - 1; i >= 0; i -= 1) if (truthy(test(items[i], i), 'findLastIndex')) return BigInt(i);
    return -1n;
  }),
  groupBy: predicate('groupBy', (items, test) => {
    const out: Record<string, unknown[]> = {};
    items.forEach((x, i) => (out[formatGoValue(test(x, i))] ??= []).push(x));
    return out;
  }),
  sum: (args, scope) => {
    arity('sum', args, 1, 2);
    const items = list(evaluate(args[0] as ExprLangNode, scope), 'sum');
    const by = args[1];
    const values = by ? items.map((x, i) => evaluate(by.kind === 'closure' ? by.body : by, { env: scope.env, pointer: { value: x, index: i } })) : items;
    return values.reduce<unknown>((acc, v) => arithmetic('+', acc, v), 0n);
  },
  first: simple('first', 1, 1, (v) => (Array.isArray(v) ? v[0] ?? null : null)),
  last: simple('last', 1, 1, (v) => (Array.isArray(v) ? v[v.length - 1] ?? null : null)),
  keys: simple('keys', 1, 1, (v) => (isMap(v) ? Object.keys(v) : (() => { throw new ExprLangError(`keys: expected a map, received ${goTypeOf(v)}`); })())),
  values: simple('values', 1, 1, (v) => (isMap(v) ? Object.values(v) : (() => { throw new ExprLangError(`values: expected a map, received ${goTypeOf(v)}`); })())),
  abs: simple('abs', 1, 1, (v) => {
    if (isInt(v)) return v < 0n ? -v : v;
    if (typeof v === 'number') return Math.abs(v);
    throw new ExprLangError(`invalid argument for abs (type ${goTypeOf(v)})`);
  }),
  ceil: simple('ceil', 1, 1, (v) => (isNumber(v) ? Math.ceil(toFloat(v)) : (() => { throw new ExprLangError(`invalid argument for ceil (type ${goTypeOf(v)})`); })())),
  floor: simple('floor', 1, 1, (v) => (isNumber(v) ? Math.floor(toFloat(v)) : (() => { throw new ExprLangError(`invalid argument for floor (type ${goTypeOf(v)})`); })())),
  round: simple('round', 1, 1, (v) => (isNumber(v) ? (toFloat(v) < 0 ? -Math.round(-toFloat(v)) : Math.round(toFloat(v))) : (() => { throw new ExprLangError(`invalid argument for round (type ${goTypeOf(v)})`); })())),
  max: simple('max', 1, Infinity, (...vs) => {
    const items = vs.length === 1 && Array.isArray(vs[0]) ? vs[0] : vs;
    return items.reduce((m, v) => (m === undefined || compare('>', v, m) ? v : m), undefined) ?? null;
  }),
  min: simple('min', 1, Infinity, (...vs) => {
    const items = vs.length === 1 && Array.isArray(vs[0]) ? vs[0] : vs;
    return items.reduce((m, v) => (m === undefined || compare('<', v, m) ? v : m), undefined) ?? null;
  }),
  int: simple('int', 1, 1, (v) => {
    if (isInt(v)) return v;
    if (typeof v === 'number') return BigInt(Math.trunc(v));
    if (typeof v === 'string') {
      if (!/^[+-]?\d+$/.test(v.trim())) throw new ExprLangError(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
      return BigInt(v.trim());
    }
    throw new ExprLangError(`invalid operation: int(${goTypeOf(v)})`);
  }),
  float: simple('float', 1, 1, (v) => {
    if (isNumber(v)) return toFloat(v);
    if (typeof v === 'string') {
      const n = Number(v);
      if (v.trim() === '' || Number.isNaN(n)) throw new ExprLangError(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
      return n;
    }
    throw new ExprLangError(`invalid operation: float(${goTypeOf(v)})`);
  }),
  trim: simple('trim', 1, 2, (s, cut) => (cut === undefined ? str(s, 'trim').trim() : trimSet(str(s, 'trim'), str(cut, 'trim'), true, true))),
  trimPrefix: simple('trimPrefix', 2, 2, (s, p) => (str(s, 'trimPrefix').startsWith(str(p, 'trimPrefix')) ? (s as string).slice((p as string).length) : s)),
  trimSuffix: simple('trimSuffix', 2, 2, (s, p) => ((p as string) !== '' && str(s, 'trimSuffix').endsWith(str(p, 'trimSuffix')) ? (s as string).slice(0, -(p as string).length) : s)),
  upper: simple('upper', 1, 1, (s) => str(s, 'upper').toUpperCase()),
  lower: simple('lower', 1, 1, (s) => str(s, 'lower').toLowerCase()),
  split: simple('split', 2, 3, (s, sep, n) => {
    const parts = str(s, 'split').split(str(sep, 'split'));
    if (n === undefined) return parts;
    const k = asIndex(n, 'split');
    if (k < 0) return parts;
    if (k === 0) return [];
    return parts.length <= k ? parts : [...parts.slice(0, k - 1), parts.slice(k - 1).join(sep as string)];
  }),
  join: simple('join', 1, 2, (l, sep) => list(l, 'join').map((x) => str(x, 'join')).join(sep === undefined ? '' : str(sep, 'join'))),
  replace: simple('replace', 3, 3, (s, from, to) => str(s, 'replace').split(str(from, 'replace')).join(str(to, 'replace'))),
  repeat: simple('repeat', 2, 2, (s, n) => str(s, 'repeat').repeat(asIndex(n, 'repeat'))),
  indexOf: simple('indexOf', 2, 2, (s, sub) => BigInt(str(s, 'indexOf').indexOf(str(sub, 'indexOf')))),
  lastIndexOf: simple('lastIndexOf', 2, 2, (s, sub) => BigInt(str(s, 'lastIndexOf').lastIndexOf(str(sub, 'lastIndexOf')))),
  hasPrefix: simple('hasPrefix', 2, 2, (s, p) => str(s, 'hasPrefix').startsWith(str(p, 'hasPrefix'))),
  hasSuffix: simple('hasSuffix', 2, 2, (s, p) => str(s, 'hasSuffix').endsWith(str(p, 'hasSuffix'))),
  toJSON: simple('toJSON', 1, 1, (v) => indentJson(v)),
  fromJSON: simple('fromJSON', 1, 1, (s) => fromGoJson(str(s, 'fromJSON'))),
  toBase64: simple('toBase64', 1, 1, (s) => Buffer.from(str(s, 'toBase64'), 'utf8').toString('base64')),
  fromBase64: simple('fromBase64', 1, 1, (s) => {
    const text = str(s, 'fromBase64');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new ExprLangError(`illegal base64 data in ${JSON.stringify(text)}`);
    return Buffer.from(text, 'base64').toString('utf8');
  }),
  type: simple('type', 1, 1, (v) => {
    if (v === null || v === undefined) return 'nil';
    if (typeof v === 'bigint') return 'int';
    if (typeof v === 'number') return 'float';
    if (typeof v === 'string') return 'string';
    if (typeof v === 'boolean') return 'bool';
    if (Array.isArray(v)) return 'array';
    if (typeof v === 'function') return 'func';
    return 'map';
  }),
  reverse: simple('reverse', 1, 1, (v) => [...list(v, 'reverse')].reverse()),
  uniq: simple('uniq', 1, 1, (v) => list(v, 'uniq').filter((x, i, all) => all.findIndex((y) => equal(x, y)) === i)),
  concat: simple('concat', 1, Infinity, (...vs) => vs.flatMap((v) => [...list(v, 'concat')])),
  flatten: simple('flatten', 1, 1, (v) => {
    const out: unknown[] = [];
    const walk = (x: unknown): void => (Array.isArray(x) ? x.forEach(walk) : void out.push(x));
    list(v, 'flatten').forEach(walk);
    return out;
  }),
  sort: simple('sort', 1, 2, (v, order) => {
    const items = [...list(v, 'sort')];
    items.sort((a, b) => (compare('<', a, b) ? -1 : compare('>', a, b) ? 1 : 0));
    if (order !== undefined && str(order, 'sort') === 'desc') items.reverse();
    return items;
  }),
  get: simple('get', 2, 2, (v, key) => {
    try {
      return fetch(v, key, true);
    } catch {
      return null;
    }
  }),
};

function trimSet(s: string, cut: string, left: boolean, right: boolean): string {
  const set = new Set(cut);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (left && a < b && set.has(chars[a] as string)) a += 1;
  while (right && b > a && set.has(chars[b - 1] as string)) b -= 1;
  return chars.slice(a, b).join('');
}

/** expr-lang's toJSON: json.MarshalIndent(v, "", "  "). */
function indentJson(v: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => inner + indentJson(x, inner)).join(',\n')}\n${indent}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).sort();
    return keys.length === 0 ? '{}' : `{\n${keys.map((k) => `${inner}${goJsonOf(k)}: ${indentJson(v[k], inner)}`).join(',\n')}\n${indent}}`;
  }
  return goJsonOf(v);
}

/** Names the builtins offer (for validation's scope checks). */
export const EXPR_LANG_BUILTINS: readonly string[] = Object.keys(BUILTINS).sort();

// ---------------------------------------------------------------------------------------------------------
// Evaluation

function evaluate(node: ExprLangNode, scope: Scope): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'name': {
      if (!Object.prototype.hasOwnProperty.call(scope.env, node.name)) throw new ExprLangError(`unknown name ${node.name}`, node.at);
      return scope.env[node.name];
    }
    case 'pointer': {
      if (!scope.pointer) throw new ExprLangError('"#" used outside a predicate', node.at);
      if (node.name === 'index') return BigInt(scope.pointer.index);
      if (node.name === 'acc') return scope.pointer.acc ?? null;
      return scope.pointer.value;
    }
    case 'member':
      return fetch(evaluate(node.object, scope), evaluate(node.property, scope), node.optional || isOptionalChain(node.object));
    case 'slice': {
      const object = evaluate(node.object, scope);
      if (!Array.isArray(object) && typeof object !== 'string') throw new ExprLangError(`cannot slice ${goTypeOf(object)}`, node.at);
      const length = object.length;
      let from = node.from ? asIndex(evaluate(node.from, scope), 'slice') : 0;
      let to = node.to ? asIndex(evaluate(node.to, scope), 'slice') : length;
      if (from < 0) from += length;
      if (to < 0) to += length;
      if (from < 0 || to > length || from > to) throw new ExprLangError(`slice bounds out of range [${from}:${to}] with length ${length}`, node.at);
      return object.slice(from, to);
    }
    case 'call': {
      const callee = evaluate(node.callee, scope);
      if (typeof callee !== 'function') {
        const name = node.callee.kind === 'name' ? node.callee.name : node.callee.kind === 'member' && node.callee.property.kind === 'literal' ? String(node.callee.property.value) : 'value';
        if (callee === null || callee === undefined) throw new ExprLangError(`${name} is not a function (it is not defined)`, node.at, false);
        throw new ExprLangError(`${name} is not a function (it is ${goTypeOf(callee)})`, node.at);
      }
      const args = node.args.map((a) => evaluate(a.kind === 'closure' ? a.body : a, scope));
      try {
        return (callee as ExprLangFunction)(...args);
      } catch (error) {
        if (error instanceof ExprLangError) throw error;
        throw new ExprLangError((error as Error).message, node.at);
      }
    }
    case 'builtin': {
      // A variable of the same name in the environment wins over the builtin (as in expr-lang).
      if (Object.prototype.hasOwnProperty.call(scope.env, node.name) && typeof scope.env[node.name] === 'function') {
        return evaluate({ kind: 'call', callee: { kind: 'name', name: node.name, at: node.at }, args: node.args, at: node.at }, scope);
      }
      return (BUILTINS[node.name] as Builtin)(node.args, scope, node.at);
    }
    case 'closure':
      return evaluate(node.body, scope);
    case 'unary': {
      const v = evaluate(node.operand, scope);
      if (node.op === 'not') return !truthy(v, 'not');
      if (!isNumber(v)) throw new ExprLangError(`invalid operation: ${node.op}${formatGoValue(v)} (type ${goTypeOf(v)})`, node.at);
      if (node.op === '-') return isInt(v) ? -v : -v;
      return v;
    }
    case 'binary':
      return binary(node, scope);
    case 'conditional':
      return truthy(evaluate(node.test, scope), 'condition') ? evaluate(node.then, scope) : evaluate(node.otherwise, scope);
    case 'array':
      return node.items.map((i) => evaluate(i, scope));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of node.entries) {
        const key = evaluate(k, scope);
        out[typeof key === 'string' ? key : formatGoValue(key)] = evaluate(v, scope);
      }
      return out;
    }
  }
}

function isOptionalChain(node: ExprLangNode): boolean {
  return node.kind === 'member' && (node.optional || isOptionalChain(node.object));
}

function binary(node: Extract<ExprLangNode, { kind: 'binary' }>, scope: Scope): unknown {
  const { op } = node;
  if (op === 'or' || op === '||') return truthy(evaluate(node.left, scope), op) || truthy(evaluate(node.right, scope), op);
  if (op === 'and' || op === '&&') return truthy(evaluate(node.left, scope), op) && truthy(evaluate(node.right, scope), op);
  if (op === '??') {
    let left: unknown;
    try {
      left = evaluate(node.left, scope);
    } catch (error) {
      if (error instanceof ExprLangError && /^unknown name|cannot fetch/.test(error.message)) left = null;
      else throw error;
    }
    return left ?? evaluate(node.right, scope);
  }
  const a = evaluate(node.left, scope);
  const b = evaluate(node.right, scope);
  try {
    switch (op) {
      case '==':
        return equal(a, b);
      case '!=':
        return !equal(a, b);
      case '<':
      case '>':
      case '<=':
      case '>=':
        return compare(op, a, b);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
      case '**':
      case '^':
        return arithmetic(op, a, b);
      case '..': {
        if (!isInt(a) || !isInt(b)) throw new ExprLangError(`invalid operation: ${formatGoValue(a)}..${formatGoValue(b)} (ranges take integers)`);
        const out: bigint[] = [];
        for (let i = a; i <= b; i += 1n) out.push(i);
        return out;
      }
      case 'in':
        if (Array.isArray(b)) return b.some((x) => equal(a, x));
        if (isMap(b)) return typeof a === 'string' && Object.prototype.hasOwnProperty.call(b, a);
        if (b === null || b === undefined) return false;
        throw new ExprLangError(`invalid operation: in (mismatched types ${goTypeOf(a)} and ${goTypeOf(b)})`);
      case 'matches': {
        const re = compileRe2(str(b, 'matches'));
        if (!re.ok) throw new ExprLangError(`matches: ${re.error}`, node.at, re.unsupported === true);
        return re.regex.test(str(a, 'matches'));
      }
      case 'contains':
        return str(a, 'contains').includes(str(b, 'contains'));
      case 'startsWith':
        return str(a, 'startsWith').startsWith(str(b, 'startsWith'));
      case 'endsWith':
        return str(a, 'endsWith').endsWith(str(b, 'endsWith'));
    }
  } catch (error) {
    if (error instanceof ExprLangError && error.position === undefined) throw new ExprLangError(error.message, node.at, error.unsupported);
    throw error;
  }
  throw new ExprLangError(`unknown operator ${op}`, node.at, true);
}

/**
 * Evaluates a parsed expression against an environment (a map of names to values; functions are values). An
 * unknown name is an error (`unknown name x`), as expr-lang's compiler reports it when given the environment.
 */
export function evaluateExprLang(node: ExprLangNode, env: Readonly<Record<string, unknown>>): unknown {
  return evaluate(node, { env });
}

/** The top-level names an expression reads (`inputs` for `inputs.parameters.x`), for scope checks. */
export function exprLangNames(node: ExprLangNode, into: Set<string> = new Set()): Set<string> {
  const visit = (n: ExprLangNode): void => {
    switch (n.kind) {
      case 'name':
        into.add(n.name);
        return;
      case 'member':
        visit(n.object);
        visit(n.property);
        return;
      case 'slice':
        visit(n.object);
        if (n.from) visit(n.from);
        if (n.to) visit(n.to);
        return;
      case 'call':
        visit(n.callee);
        n.args.forEach(visit);
        return;
      case 'builtin':
        n.args.forEach(visit);
        return;
      case 'closure':
        visit(n.body);
        return;
      case 'unary':
        visit(n.operand);
        return;
      case 'binary':
        visit(n.left);
        visit(n.right);
        return;
      case 'conditional':
        visit(n.test);
        visit(n.then);
        visit(n.otherwise);
        return;
      case 'array':
        n.items.forEach(visit);
        return;
      case 'map':
        n.entries.forEach(([k, v]) => {
          visit(k);
          visit(v);
        });
        return;
      case 'literal':
      case 'pointer':
        return;
    }
  };
  visit(node);
  return into;
}
