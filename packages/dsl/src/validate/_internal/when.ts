/**
 * A parser for Argo `when` conditions, which Argo evaluates with govaluate after substituting `{{…}}` tags.
 * Bare words are strings (Argo turns govaluate variables into strings), so `{{x}} == heads` is valid.
 * Returns the first syntax error, or undefined.
 */
interface Token { readonly kind: 'operand' | 'op' | 'open' | 'close' | 'comma'; readonly text: string; readonly offset: number }

const OPERATORS = ['**', '==', '!=', '>=', '<=', '=~', '!~', '&&', '||', '??', '<<', '>>', '>', '<', '+', '-', '*', '/', '%', '&', '|', '^', '?', ':', '!', '~'];
const PREFIX = ['!', '-', '~'];

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch) || ch === '\u0001') { i += 1; continue; }
    if (text.startsWith('\u0000', i)) { tokens.push({ kind: 'operand', text: '{{…}}', offset: i }); i += 1; continue; }
    if (ch === '(') { tokens.push({ kind: 'open', text: ch, offset: i }); i += 1; continue; }
    if (ch === ')') { tokens.push({ kind: 'close', text: ch, offset: i }); i += 1; continue; }
    if (ch === ',') { tokens.push({ kind: 'comma', text: ch, offset: i }); i += 1; continue; }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return `unterminated string starting at column ${i + 1}`;
      tokens.push({ kind: 'operand', text: text.slice(i, j + 1), offset: i });
      i = j + 1;
      continue;
    }
    if (ch === '[') {
      const j = text.indexOf(']', i);
      if (j < 0) return `unterminated "[" at column ${i + 1}`;
      tokens.push({ kind: 'operand', text: text.slice(i, j + 1), offset: i });
      i = j + 1;
      continue;
    }
    const word = /^[\p{L}\p{N}_.$#@]+/u.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: word[0] === 'in' ? 'op' : 'operand', text: word[0], offset: i });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) return `unexpected character "${ch}" at column ${i + 1}`;
    tokens.push({ kind: 'op', text: op, offset: i });
    i += op.length;
  }
  return tokens;
}

/**
 * Replaces each `{{…}}` tag with one operand marker (padded to the tag's length, so columns in messages are
 * columns of the original text) and checks the structure before substitution.
 */
export function whenProblem(when: string): string | undefined {
  const masked = when.replace(/\{\{[\s\S]*?\}\}/g, (tag) => `\u0000${'\u0001'.repeat(tag.length - 1)}`);
  const lexed = tokenize(masked);
  if (typeof lexed === 'string') return lexed;
  const tokens: readonly Token[] = lexed;
  if (tokens.length === 0) return 'the condition is empty';
  let pos = 0;
  const describe = (t: Token | undefined): string => (t ? `"${t.text}" at column ${t.offset + 1}` : 'the end of the condition');
  // expression := unary (binary unary)* ; unary := prefix* primary ; primary := operand | '(' expression (',' expression)* ')'
  function expression(): string | undefined {
    const first = unary();
    if (first) return first;
    while ((tokens[pos]?.kind === 'op' && !PREFIX.includes(tokens[pos]?.text ?? '')) || tokens[pos]?.text === '-') {
      pos += 1;
      const next = unary();
      if (next) return next;
    }
    return undefined;
  }
  function unary(): string | undefined {
    while (tokens[pos]?.kind === 'op' && PREFIX.includes(tokens[pos]?.text ?? '')) pos += 1;
    const t = tokens[pos];
    if (t?.kind === 'operand') { pos += 1; return undefined; }
    if (t?.kind === 'open') {
      pos += 1;
      const inner = expression();
      if (inner) return inner;
      while (tokens[pos]?.kind === 'comma') {
        pos += 1;
        const more = expression();
        if (more) return more;
      }
      if (tokens[pos]?.kind !== 'close') return `expected ")" but found ${describe(tokens[pos])}`;
      pos += 1;
      return undefined;
    }
    return `expected a value but found ${describe(t)}`;
  }
  const problem = expression();
  if (problem) return problem;
  if (pos < tokens.length) return `expected an operator but found ${describe(tokens[pos])}`;
  return undefined;
}
