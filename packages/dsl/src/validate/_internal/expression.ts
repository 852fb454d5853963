/**
 * Reads an expr-lang expression (`{{= … }}`) far enough to check it: strings and brackets balance, and which
 * variable chains it reads (`inputs.parameters['x']` → `inputs.parameters.x`). Not an evaluator.
 */
import { CHECKED_ROOTS } from './scope.js';

export interface ExpressionReading {
  readonly problem: string | undefined;
  /** Dotted variable chains rooted at one of Argo's checked roots. */
  readonly chains: readonly string[];
}

const ROOTS: readonly string[] = CHECKED_ROOTS;
const CLOSER: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

export function readExpression(text: string): ExpressionReading {
  const chains: string[] = [];
  const stack: string[] = [];
  let i = 0;
  let previous = '';
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '"' || ch === "'" || ch === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return { problem: `unterminated string starting at column ${i + 1}`, chains };
      i = j + 1;
      previous = 'string';
      continue;
    }
    if (ch in CLOSER) { stack.push(CLOSER[ch] ?? ''); i += 1; previous = ch; continue; }
    if (ch === ')' || ch === ']' || ch === '}') {
      const expected = stack.pop();
      if (expected !== ch) return { problem: `unbalanced "${ch}" at column ${i + 1}`, chains };
      i += 1;
      previous = ch;
      continue;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
    if (word) {
      const afterMember = previous === '.';
      i += word[0].length;
      previous = 'word';
      if (afterMember || !ROOTS.includes(word[0])) continue;
      const parts = [word[0]];
      for (;;) {
        const member = /^\s*\.\s*([A-Za-z_$][-\w$]*)/.exec(text.slice(i));
        if (member) { parts.push(member[1] ?? ''); i += member[0].length; continue; }
        const index = /^\s*\[\s*(['"])((?:(?!\1).)*)\1\s*\]/.exec(text.slice(i));
        if (index) { parts.push(index[2] ?? ''); i += index[0].length; continue; }
        break;
      }
      chains.push(parts.join('.'));
      continue;
    }
    if (!/\s/.test(ch)) previous = ch;
    i += 1;
  }
  if (stack.length > 0) return { problem: `expected "${stack[stack.length - 1] ?? ''}" before the end of the expression`, chains };
  return { problem: undefined, chains };
}
