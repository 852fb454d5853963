/**
 * HCL's native expression syntax (hashicorp/hcl `hclsyntax`, spec.md "Expressions" and "Templates"), parsed
 * into a small tree: literals, template strings with `${...}` interpolations (and the `$${` / `%%{` escapes),
 * variables, attribute and index steps, splats, tuples, objects, function calls (with `...` expansion),
 * unary and binary operators with HCL's precedence, conditionals and `for` expressions. Template directives
 * (`%{if}`, `%{for}`) are refused with a clear error rather than read wrongly.
 *
 * The bake files reach us through hcl2json, which gives every attribute that is not a plain literal as a
 * template string (`tags = formatlist("x/%s", V)` arrives as `"${formatlist(\"x/%s\", V)}"`), so the entry
 * point reads such a string as a template whose text is already unescaped (`parseTemplate(text, 'raw')`).
 */

export type HclNode =
  | { readonly k: 'lit'; readonly v: string | number | boolean | null }
  | { readonly k: 'tpl'; readonly parts: readonly (string | HclNode)[] }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'attr'; readonly of: HclNode; readonly name: string }
  | { readonly k: 'index'; readonly of: HclNode; readonly key: HclNode }
  | { readonly k: 'splat'; readonly of: HclNode; readonly each: HclNode }
  | { readonly k: 'tuple'; readonly items: readonly HclNode[] }
  | { readonly k: 'object'; readonly entries: readonly (readonly [HclNode, HclNode])[] }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly HclNode[]; readonly expand: boolean }
  | { readonly k: 'unary'; readonly op: '-' | '!'; readonly x: HclNode }
  | { readonly k: 'binary'; readonly op: string; readonly l: HclNode; readonly r: HclNode }
  | { readonly k: 'cond'; readonly c: HclNode; readonly t: HclNode; readonly f: HclNode }
  | {
      readonly k: 'for';
      readonly object: boolean;
      readonly key?: string;
      readonly value: string;
      readonly coll: HclNode;
      readonly keyExpr?: HclNode;
      readonly valueExpr: HclNode;
      readonly cond?: HclNode;
      readonly group: boolean;
    };

/** A syntax error in an expression; `at` is the character offset. */
export class HclSyntaxError extends Error {
  constructor(message: string, readonly at: number) {
    super(message);
    this.name = 'HclSyntaxError';
  }
}

/** The placeholder a splat's per-element expression reads. */
export const SPLAT_ITEM = '\u0000item';

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** Binary operators by precedence, lowest first (spec.md "Operations"). */
const LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['>', '>=', '<', '<='], ['+', '-'], ['*', '/', '%']];

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  fail(message: string, at = this.pos): never {
    throw new HclSyntaxError(message, at);
  }

  skip(): void {
    for (;;) {
      const m = /\s+|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\//y;
      m.lastIndex = this.pos;
      const r = m.exec(this.src);
      if (!r || r[0] === '') return;
      this.pos += r[0].length;
    }
  }

  peek(s: string): boolean {
    this.skip();
    return this.src.startsWith(s, this.pos);
  }

  eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }

  expect(s: string, what: string): void {
    if (!this.eat(s)) this.fail(`expected ${what} ("${s}"), found ${this.found()}`);
  }

  found(): string {
    this.skip();
    return this.pos >= this.src.length ? 'the end of the expression' : `"${this.src.slice(this.pos, this.pos + 12)}"`;
  }

  ident(): string | undefined {
    this.skip();
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.src);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** A keyword (`for`, `in`, `if`) as a whole word. */
  word(w: string): boolean {
    this.skip();
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.src);
    if (m?.[0] !== w) return false;
    this.pos += w.length;
    return true;
  }

  isWord(w: string): boolean {
    const at = this.pos;
    const yes = this.word(w);
    this.pos = at;
    return yes;
  }

  expression(): HclNode {
    const c = this.binary(0);
    if (!this.eat('?')) return c;
    const t = this.expression();
    this.expect(':', 'the ":" of a conditional');
    const f = this.expression();
    return { k: 'cond', c, t, f };
  }

  binary(level: number): HclNode {
    const ops = LEVELS[level];
    if (!ops) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      this.skip();
      // Longest operator first; "=" alone (an object's key separator) and "=>" are not operators.
      const op = [...ops].sort((a, b) => b.length - a.length).find((o) => this.src.startsWith(o, this.pos) && !(o === '>' && this.src[this.pos - 1] === '='));
      if (!op || (op === '<' && this.src.startsWith('<<', this.pos))) return l;
      this.pos += op.length;
      l = { k: 'binary', op, l, r: this.binary(level + 1) };
    }
  }

  unary(): HclNode {
    if (this.eat('!')) return { k: 'unary', op: '!', x: this.unary() };
    if (this.peek('-') && !/[0-9]/.test(this.src[this.pos + 1] ?? '')) {
      this.pos++;
      return { k: 'unary', op: '-', x: this.unary() };
    }
    return this.postfix(this.primary());
  }

  postfix(of: HclNode): HclNode {
    for (;;) {
      if (this.peek('[*]') || this.peek('.*')) {
        this.pos += 3 - (this.src[this.pos] === '.' ? 1 : 0);
        let each: HclNode = { k: 'var', name: SPLAT_ITEM };
        for (;;) {
          if (this.peek('.') && !this.peek('..')) {
            this.pos++;
            const name = this.ident() ?? this.fail('expected an attribute name after "."');
            each = { k: 'attr', of: each, name };
          } else if (this.peek('[') && !this.peek('[*]')) {
            this.pos++;
            const key = this.expression();
            this.expect(']', 'the "]" closing an index');
            each = { k: 'index', of: each, key };
          } else break;
        }
        of = { k: 'splat', of, each };
      } else if (this.peek('.') && !this.peek('...')) {
        this.pos++;
        this.skip();
        NUMBER.lastIndex = this.pos;
        const legacy = /[0-9]+/y;
        legacy.lastIndex = this.pos;
        const n = legacy.exec(this.src);
        if (n) {
          this.pos += n[0].length;
          of = { k: 'index', of, key: { k: 'lit', v: Number(n[0]) } };
        } else {
          const name = this.ident() ?? this.fail(`expected an attribute name after ".", found ${this.found()}`);
          of = { k: 'attr', of, name };
        }
      } else if (this.peek('[')) {
        this.pos++;
        const key = this.expression();
        this.expect(']', 'the "]" closing an index');
        of = { k: 'index', of, key };
      } else return of;
    }
  }

  primary(): HclNode {
    this.skip();
    const c = this.src[this.pos];
    if (c === undefined) this.fail('expected an expression, found the end of the expression');
    if (c === '(') {
      this.pos++;
      const e = this.expression();
      this.expect(')', 'the ")" closing a parenthesis');
      return e;
    }
    if (c === '"') {
      this.pos++;
      return this.template('quoted');
    }
    if (this.src.startsWith('<<', this.pos)) return this.heredoc();
    if (c === '[') return this.tuple();
    if (c === '{') return this.object();
    NUMBER.lastIndex = this.pos;
    const neg = c === '-' ? /-[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y : NUMBER;
    neg.lastIndex = this.pos;
    const num = neg.exec(this.src);
    if (num) {
      this.pos += num[0].length;
      return { k: 'lit', v: Number(num[0]) };
    }
    const name = this.ident();
    if (name === undefined) this.fail(`expected an expression, found ${this.found()}`);
    if (name === 'true' || name === 'false') return { k: 'lit', v: name === 'true' };
    if (name === 'null') return { k: 'lit', v: null };
    if (this.eat('(')) return this.call(name);
    return { k: 'var', name };
  }

  call(name: string): HclNode {
    const args: HclNode[] = [];
    let expand = false;
    while (!this.eat(')')) {
      args.push(this.expression());
      if (this.eat('...')) expand = true;
      if (!this.eat(',')) {
        this.expect(')', `"," or the ")" closing the call to ${name}()`);
        break;
      }
    }
    return { k: 'call', name, args, expand };
  }

  tuple(): HclNode {
    this.pos++;
    if (this.isWord('for')) return this.forExpr(false);
    const items: HclNode[] = [];
    while (!this.eat(']')) {
      items.push(this.expression());
      if (!this.eat(',')) {
        this.expect(']', '"," or the "]" closing a list');
        break;
      }
    }
    return { k: 'tuple', items };
  }

  object(): HclNode {
    this.pos++;
    if (this.isWord('for')) return this.forExpr(true);
    const entries: [HclNode, HclNode][] = [];
    while (!this.eat('}')) {
      const at = this.pos;
      const bare = this.ident();
      let key: HclNode;
      if (bare !== undefined && (this.peek('=') || this.peek(':')) && !this.peek('==')) key = { k: 'lit', v: bare };
      else {
        this.pos = at;
        key = this.expression();
      }
      if (!this.eat('=') && !this.eat(':')) this.fail(`expected "=" after an object key, found ${this.found()}`);
      entries.push([key, this.expression()]);
      this.eat(',');
    }
    return { k: 'object', entries };
  }

  forExpr(object: boolean): HclNode {
    this.word('for');
    const first = this.ident() ?? this.fail('expected a variable name after "for"');
    const second = this.eat(',') ? (this.ident() ?? this.fail('expected a second variable name after ","')) : undefined;
    if (!this.word('in')) this.fail(`expected "in" in a for expression, found ${this.found()}`);
    const coll = this.expression();
    this.expect(':', 'the ":" of a for expression');
    const keyExpr = object ? this.expression() : undefined;
    if (object) this.expect('=>', 'the "=>" of an object for expression');
    const valueExpr = this.expression();
    const group = object && this.eat('...');
    const cond = this.word('if') ? this.expression() : undefined;
    this.expect(object ? '}' : ']', `the "${object ? '}' : ']'}" closing the for expression`);
    return {
      k: 'for', object, value: second ?? first, coll, valueExpr, group,
      ...(second !== undefined ? { key: first } : {}),
      ...(keyExpr ? { keyExpr } : {}),
      ...(cond ? { cond } : {}),
    };
  }

  heredoc(): HclNode {
    const m = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/y;
    m.lastIndex = this.pos;
    const h = m.exec(this.src) ?? this.fail('expected a heredoc (<<EOT)');
    const end = new RegExp(`^[ \\t]*${h[2]}[ \\t]*$`, 'm');
    const rest = this.src.slice(this.pos + h[0].length);
    const close = end.exec(rest) ?? this.fail(`heredoc "${h[2]}" is not closed`);
    let body = rest.slice(0, close.index);
    if (h[1] === '-') {
      const lines = body.split('\n');
      const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0));
      body = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
    }
    this.pos += h[0].length + close.index + close[0].length;
    return parseTemplate(body, 'heredoc');
  }

  /** A template up to the closing quote (`quoted`) or the end (`raw`, `heredoc`). */
  template(mode: 'quoted' | 'raw' | 'heredoc'): HclNode {
    const parts: (string | HclNode)[] = [];
    let text = '';
    const src = this.src;
    for (;;) {
      const c = src[this.pos];
      if (c === undefined) {
        if (mode === 'quoted') this.fail('a quoted string is not closed (missing ")');
        break;
      }
      if (mode === 'quoted' && c === '"') {
        this.pos++;
        break;
      }
      if (mode === 'quoted' && c === '\\') {
        const e = src[this.pos + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (e !== undefined && simple[e] !== undefined) {
          text += simple[e];
          this.pos += 2;
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = src.slice(this.pos + 2, this.pos + 2 + len);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail(`"\\${e}" must be followed by ${len} hex digits`);
          text += String.fromCodePoint(parseInt(hex, 16));
          this.pos += 2 + len;
        } else this.fail(`unknown escape "\\${e ?? ''}" in a quoted string`);
        continue;
      }
      if ((c === '$' || c === '%') && src.startsWith(`${c}${c}{`, this.pos)) {
        text += `${c}{`;
        this.pos += 3;
        continue;
      }
      if (c === '%' && src[this.pos + 1] === '{') {
        this.fail('template directives (%{if}, %{for}) are not supported here; write a conditional (c ? a : b) or a for expression, or escape it as %%{');
      }
      if (c === '$' && src[this.pos + 1] === '{') {
        if (text !== '') parts.push(text);
        text = '';
        this.pos += 2;
        this.eat('~');
        parts.push(this.expression());
        this.eat('~');
        this.expect('}', 'the "}" closing "${"');
        continue;
      }
      text += c;
      this.pos++;
    }
    if (text !== '' || parts.length === 0) parts.push(text);
    return { k: 'tpl', parts };
  }
}

/** A template: HCL source of a quoted string's content (`raw`: escapes already decoded, as hcl2json gives them). */
export function parseTemplate(text: string, mode: 'raw' | 'heredoc' = 'raw'): HclNode {
  const p = new Parser(text);
  return p.template(mode);
}

/** One whole expression, such as a function's `params` entry or a variable type. */
export function parseExpression(text: string): HclNode {
  const p = new Parser(text);
  const e = p.expression();
  p.skip();
  if (p.pos < text.length) p.fail(`unexpected ${p.found()} after the expression`);
  return e;
}
