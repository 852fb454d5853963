import { createHash } from 'node:crypto';
/**
 * The subset of Go `text/template` + sprig that Sensors use in `dataTemplate`, `contextTemplate` and data
 * filter `template`: text with `{{ … }}` actions (and `{{-`/`-}}` trimming), field chains (`.Input.body.ref`),
 * string/number/boolean literals, pipelines (`.Input.ref | lower`), parenthesised calls, and the functions
 * listed in FUNCTIONS. `if`/`range`/`with`/`define` and other functions are reported as unsupported.
 * Values print as Go's `fmt` prints them (`%v`): numbers from JSON are float64 (`1.86853002e+08`), a missing
 * map key is `<no value>`.
 */
import { formatGoFloat } from './go-values.js';
import { compileRe2 } from './re2.js';

export class TemplateError extends Error {
  constructor(message: string, readonly unsupported = false) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Arg =
  | { readonly kind: 'field'; readonly chain: readonly string[] }
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'call'; readonly name: string }
  | { readonly kind: 'pipeline'; readonly pipeline: Pipeline };
type Command = readonly Arg[];
type Pipeline = readonly Command[];
type Node = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'action'; readonly pipeline: Pipeline };

const NO_VALUE = Symbol('no value');
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

function printValue(value: unknown): string {
  if (value === NO_VALUE || value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(printValue).join(' ')}]`;
  const record = value as Record<string, unknown>;
  return `map[${Object.keys(record).sort().map((k) => `${k}:${printValue(record[k])}`).join(' ')}]`;
}

const str = (v: unknown): string => (v === NO_VALUE || v === undefined || v === null ? '' : printValue(v));
const int = (v: unknown, fn: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TemplateError(`${fn}: expected an integer, received ${printValue(v)}`);
  return v;
};
const empty = (v: unknown): boolean =>
  v === NO_VALUE || v === undefined || v === null || v === '' || v === 0 || v === false ||
  (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
const regex = (pattern: unknown, fn: string): RegExp => {
  const re = compileRe2(str(pattern));
  if (!re.ok) throw new TemplateError(`${fn}: ${re.error}`, re.unsupported === true);
  return re.regex;
};

/** Go's base64.StdEncoding.DecodeString (strict: padding required); sprig's b64dec returns the error text. */
function base64Decode(text: string): string {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) return `illegal base64 data at input byte ${bad.index}`;
  const firstPad = text.indexOf('=');
  if (text.length % 4 !== 0 || (firstPad >= 0 && (firstPad < text.length - 2 || /[^=]/.test(text.slice(firstPad))))) {
    return `illegal base64 data at input byte ${firstPad >= 0 && firstPad < text.length - 2 ? firstPad : Math.max(0, text.length - (text.length % 4 || 4))}`;
  }
  return Buffer.from(text, 'base64').toString('utf8');
}

const toInt64 = (v: unknown): number => {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number.parseInt(str(v), 10);
  return Number.isNaN(n) ? 0 : n;
};

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  // sprig (Argo Events registers sprig.FuncMap / TxtFuncMap): encodings, hashes, string helpers, integer math
  b64enc: (s) => Buffer.from(str(s), 'utf8').toString('base64'),
  b64dec: (s) => base64Decode(str(s)),
  sha256sum: (s) => createHash('sha256').update(str(s)).digest('hex'),
  sha1sum: (s) => createHash('sha1').update(str(s)).digest('hex'),
  repeat: (n, s) => str(s).repeat(Math.max(0, int(n, 'repeat'))),
  nospace: (s) => str(s).replace(/\s/g, ''),
  title: (s) => str(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase()),
  untitle: (s) => str(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, a: string, b: string) => a + b.toLowerCase()),
  abbrev: (n, s) => {
    const width = int(n, 'abbrev');
    const text = str(s);
    return width < 4 || text.length <= width ? text : `${text.slice(0, width - 3)}...`;
  },
  indent: (n, s) => str(s).split('\n').map((l) => ' '.repeat(int(n, 'indent')) + l).join('\n'),
  nindent: (n, s) => `\n${str(s).split('\n').map((l) => ' '.repeat(int(n, 'nindent')) + l).join('\n')}`,
  add: (...xs) => xs.reduce<number>((a, x) => a + toInt64(x), 0),
  add1: (x) => toInt64(x) + 1,
  sub: (a, b) => toInt64(a) - toInt64(b),
  mul: (...xs) => xs.reduce<number>((a, x) => a * toInt64(x), 1),
  div: (a, b) => {
    const d = toInt64(b);
    if (d === 0) throw new TemplateError('div: integer divide by zero');
    return Math.trunc(toInt64(a) / d);
  },
  mod: (a, b) => {
    const d = toInt64(b);
    if (d === 0) throw new TemplateError('mod: integer divide by zero');
    return toInt64(a) % d;
  },
  max: (...xs) => Math.max(...xs.map(toInt64)),
  min: (...xs) => Math.min(...xs.map(toInt64)),
  atoi: (s) => {
    const n = Number.parseInt(str(s), 10);
    return /^[+-]?\d+$/.test(str(s)) && !Number.isNaN(n) ? n : 0;
  },
  toInt: (v) => toInt64(v),
  lower: (s) => str(s).toLowerCase(),
  upper: (s) => str(s).toUpperCase(),
  trim: (s) => str(s).trim(),
  trimPrefix: (p, s) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  trimSuffix: (x, s) => (str(x) !== '' && str(s).endsWith(str(x)) ? str(s).slice(0, -str(x).length) : str(s)),
  trimAll: (cut, s) => {
    const set = new Set(str(cut));
    const chars = [...str(s)];
    let a = 0;
    let b = chars.length;
    while (a < b && set.has(chars[a] as string)) a += 1;
    while (b > a && set.has(chars[b - 1] as string)) b -= 1;
    return chars.slice(a, b).join('');
  },
  replace: (from, to, s) => str(s).split(str(from)).join(str(to)),
  substr: (start, end, s) => {
    const a = int(start, 'substr');
    const b = int(end, 'substr');
    const text = str(s);
    if (a < 0) return text.slice(0, b);
    if (b < 0 || b > text.length) return text.slice(a);
    return text.slice(a, b);
  },
  trunc: (n, s) => {
    const c = int(n, 'trunc');
    const text = str(s);
    if (c < 0 && text.length + c > 0) return text.slice(text.length + c);
    if (c >= 0 && text.length > c) return text.slice(0, c);
    return text;
  },
  default: (d, v) => (empty(v) ? d : v),
  empty: (v) => empty(v),
  quote: (...xs) => xs.map((x) => JSON.stringify(str(x))).join(' '),
  squote: (...xs) => xs.map((x) => `'${str(x)}'`).join(' '),
  contains: (sub, s) => str(s).includes(str(sub)),
  hasPrefix: (p, s) => str(s).startsWith(str(p)),
  hasSuffix: (x, s) => str(s).endsWith(str(x)),
  splitList: (sep, s) => str(s).split(str(sep)),
  join: (sep, list) => (Array.isArray(list) ? list.map(str).join(str(sep)) : str(list)),
  first: (list) => (Array.isArray(list) ? list[0] ?? null : null),
  last: (list) => (Array.isArray(list) ? list[list.length - 1] ?? null : null),
  base: (s) => {
    const parts = str(s).replace(/\/+$/, '').split('/');
    return parts[parts.length - 1] || (str(s).startsWith('/') ? '/' : '.');
  },
  regexMatch: (re, s) => regex(re, 'regexMatch').test(str(s)),
  regexFind: (re, s) => regex(re, 'regexFind').exec(str(s))?.[0] ?? '',
  regexReplaceAll: (re, s, repl) => str(s).replace(new RegExp(regex(re, 'regexReplaceAll').source, `${regex(re, 'regexReplaceAll').flags}g`), str(repl).replace(/\$\{?(\w+)\}?/g, '$<$1>').replace(/\$<(\d+)>/g, '$$$1')),
  toJson: (v) => JSON.stringify(v === NO_VALUE ? null : v),
  toString: (v: unknown) => str(v),
  len: (v) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v !== null && typeof v === 'object') return Object.keys(v).length;
    throw new TemplateError(`len of ${printValue(v)}`);
  },
  index: (v, ...keys) => {
    let cur = v;
    for (const key of keys) {
      if (Array.isArray(cur) && typeof key === 'number') cur = cur[key];
      else if (cur !== null && typeof cur === 'object' && typeof key === 'string') cur = (cur as Record<string, unknown>)[key] ?? NO_VALUE;
      else throw new TemplateError(`index of ${printValue(cur)} with ${printValue(key)}`);
    }
    return cur;
  },
  eq: (a, ...bs) => bs.some((b) => a === b),
  ne: (a, b) => a !== b,
  not: (v) => empty(v),
  and: (...vs) => vs.find((v) => empty(v)) ?? vs[vs.length - 1],
  or: (...vs) => vs.find((v) => !empty(v)) ?? vs[vs.length - 1],
  cat: (...vs) => vs.filter((v) => v !== null && v !== NO_VALUE).map(str).join(' '),
  printf: (format, ...vs) => {
    let k = 0;
    return str(format).replace(/%([%svdq])/g, (_, verb: string) => {
      if (verb === '%') return '%';
      const v = vs[k++];
      if (verb === 'q') return JSON.stringify(str(v));
      if (verb === 'd') return typeof v === 'number' ? String(Math.trunc(v)) : `%!d(${printValue(v)})`;
      return printValue(v);
    });
  },
};

/** The names of the sprig/Go functions simulate evaluates. */
export const TEMPLATE_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS).sort();

function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quote) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote || depth !== 0) throw new TemplateError(`unterminated ${quote ? 'quoted string' : 'parenthesis'} in "${text}"`);
  out.push(text.slice(start));
  return out;
}

function parseArgs(text: string): Arg[] {
  const args: Arg[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === '(') {
      let depth = 0;
      let j = i;
      for (; j < text.length; j += 1) {
        if (text[j] === '(') depth += 1;
        else if (text[j] === ')' && --depth === 0) break;
      }
      args.push({ kind: 'pipeline', pipeline: parsePipeline(text.slice(i + 1, j)) });
      i = j + 1;
      continue;
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i));
      if (!m) throw new TemplateError(`unterminated quoted string in "${text}"`);
      args.push({ kind: 'literal', value: JSON.parse(m[0]) as string });
      i += m[0].length;
      continue;
    }
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      args.push({ kind: 'literal', value: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const m = /^[^\s()]+/.exec(text.slice(i)) as RegExpExecArray;
    const word = m[0];
    i += word.length;
    if (word === '.') args.push({ kind: 'field', chain: [] });
    else if (word.startsWith('.')) {
      const chain = word.slice(1).split('.');
      if (chain.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) throw new TemplateError(`bad character in field chain "${word}" (use index for array elements or keys that are not identifiers)`);
      args.push({ kind: 'field', chain });
    } else if (word.startsWith('$')) throw new TemplateError(`variables ("${word}") are not supported by simulate`, true);
    else if (/^-?\d+$/.test(word)) args.push({ kind: 'literal', value: Number(word) });
    else if (/^-?\d*\.\d+$/.test(word)) args.push({ kind: 'literal', value: Number(word) });
    else if (word === 'true' || word === 'false') args.push({ kind: 'literal', value: word === 'true' });
    else if (word === 'nil') args.push({ kind: 'literal', value: null });
    else if (KEYWORDS.has(word)) throw new TemplateError(`"{{${word}}}" actions are not supported by simulate`, true);
    else if (Object.hasOwn(FUNCTIONS, word)) args.push({ kind: 'call', name: word });
    else throw new TemplateError(`function "${word}" not defined (or not supported by simulate)`, true);
  }
  return args;
}

function parsePipeline(text: string): Pipeline {
  const commands = splitTop(text, '|').map((part) => parseArgs(part));
  if (commands.some((c) => c.length === 0)) throw new TemplateError(`missing command in "${text}"`);
  return commands;
}

const cache = new Map<string, Node[] | TemplateError>();

/** Parses a Go template; throws {@link TemplateError}. */
export function parseGoTemplate(source: string): Node[] {
  const hit = cache.get(source);
  if (hit instanceof TemplateError) throw hit;
  if (hit) return hit;
  try {
    const nodes: Node[] = [];
    let i = 0;
    while (i < source.length) {
      const open = source.indexOf('{{', i);
      if (open < 0) {
        nodes.push({ kind: 'text', text: source.slice(i) });
        break;
      }
      let text = source.slice(i, open);
      let inner = open + 2;
      if (source.startsWith('- ', inner) || source.startsWith('-\t', inner) || source.startsWith('-\n', inner)) {
        text = text.replace(/\s+$/, '');
        inner += 1;
      }
      if (text) nodes.push({ kind: 'text', text });
      const close = source.indexOf('}}', inner);
      if (close < 0) throw new TemplateError(`unclosed action in "${source}"`);
      let body = source.slice(inner, close);
      let after = close + 2;
      if (/\s-$/.test(body)) {
        body = body.slice(0, -1);
        const m = /^\s*/.exec(source.slice(after)) as RegExpExecArray;
        after += m[0].length;
      }
      const trimmed = body.trim();
      if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) nodes.push({ kind: 'action', pipeline: parsePipeline(trimmed) });
      i = after;
    }
    cache.set(source, nodes);
    return nodes;
  } catch (error) {
    if (error instanceof TemplateError) cache.set(source, error);
    throw error;
  }
}

function evalArg(arg: Arg, dot: unknown, extra: readonly unknown[]): unknown {
  switch (arg.kind) {
    case 'literal':
      return arg.value;
    case 'pipeline':
      return evalPipeline(arg.pipeline, dot);
    case 'call':
      return FUNCTIONS[arg.name]?.(...extra);
    case 'field': {
      let cur: unknown = dot;
      for (const name of arg.chain) {
        if (cur === NO_VALUE || cur === null || cur === undefined) throw new TemplateError(`nil pointer evaluating interface {}.${name}`);
        if (typeof cur !== 'object' || Array.isArray(cur)) {
          throw new TemplateError(`can't evaluate field ${name} in type ${Array.isArray(cur) ? '[]interface {}' : typeof cur === 'number' ? 'float64' : typeof cur === 'boolean' ? 'bool' : 'string'}`);
        }
        const record = cur as Record<string, unknown>;
        cur = Object.prototype.hasOwnProperty.call(record, name) ? record[name] : NO_VALUE;
      }
      return cur;
    }
  }
}

function evalPipeline(pipeline: Pipeline, dot: unknown): unknown {
  let previous: unknown[] = [];
  for (const command of pipeline) {
    const [head, ...rest] = command as [Arg, ...Arg[]];
    const args = [...rest.map((a) => evalArg(a, dot, [])), ...previous];
    let value: unknown;
    if (head.kind === 'call') value = evalArg(head, dot, args);
    else {
      if (args.length > 0) throw new TemplateError(`can't give argument to non-function ${head.kind === 'field' ? `.${head.chain.join('.')}` : printValue(evalArg(head, dot, []))}`);
      value = evalArg(head, dot, []);
    }
    previous = [value];
  }
  return previous[0];
}

/** Executes a Go template with `{ Input: input }` as its data, as Argo Events does. */
export function executeGoTemplate(source: string, input: unknown): string {
  const nodes = parseGoTemplate(source);
  const dot = { Input: input };
  let out = '';
  for (const node of nodes) out += node.kind === 'text' ? node.text : printValue(evalPipeline(node.pipeline, dot));
  return out;
}

const TEMPLATE_BUILTINS = new Set(['and', 'eq', 'index', 'len', 'ne', 'not', 'or', 'printf']);

/**
 * The sprig functions of FUNCTIONS (without Go template's own builtins), by name, for the other languages that
 * offer sprig: Argo Workflows' expressions call them as `sprig.trim(x)`.
 */
export function sprigFunction(name: string): ((...args: unknown[]) => unknown) | undefined {
  return TEMPLATE_BUILTINS.has(name) || !Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? undefined : FUNCTIONS[name];
}
