import { createHash } from 'node:crypto';
/**
 * Go's `text/template` + sprig, as Sensors use them in `dataTemplate`, `contextTemplate` and data filter
 * `template`: text with `{{ … }}` actions (and `{{-`/`-}}` trimming), field chains (`.Input.body.ref`), `$`
 * and variables (`$x := …`, `$x = …`, scoped to their control structure), literals, pipelines, parenthesised
 * calls, `if`/`else if`/`else`, `range` (lists, maps by sorted key, integers; `$i, $v :=`; `else`; `break`,
 * `continue`), `with`/`else with`, Go's builtins and most of sprig. Reported as unsupported, never guessed:
 * `define`/`template`/`block`, and the sprig functions whose result cannot be known offline (the clock,
 * randomness, the pod's environment) or that are not reproduced (semver, crypto). Values print as Go's `fmt`
 * prints them (`%v`): numbers from JSON are float64 (`1.86853002e+08`), a missing map key is `<no value>`.
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
  | { readonly kind: 'variable'; readonly name: string; readonly chain: readonly string[] }
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'call'; readonly name: string }
  | { readonly kind: 'pipeline'; readonly pipeline: Pipeline; readonly chain: readonly string[] };
type Command = readonly Arg[];
type Pipeline = readonly Command[];
/** A pipeline with its optional variable declaration (`$x := …`) or assignment (`$x = …`). */
interface Action {
  readonly pipeline: Pipeline;
  readonly vars: readonly string[];
  readonly assign: boolean;
}
interface Branch {
  readonly action: Action;
  readonly body: readonly Node[];
}
type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly action: Action }
  | { readonly kind: 'if' | 'with'; readonly branches: readonly Branch[]; readonly otherwise: readonly Node[] | undefined }
  | { readonly kind: 'range'; readonly action: Action; readonly body: readonly Node[]; readonly otherwise: readonly Node[] | undefined }
  | { readonly kind: 'break' | 'continue' };

const NO_VALUE = Symbol('no value');
const UNSUPPORTED_KEYWORDS = new Set(['define', 'template', 'block']);
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

/** Go's json.Marshal of decoded JSON: map keys sorted, `<>&` escaped unless `raw`; `indent` as MarshalIndent. */
function goMarshal(value: unknown, raw = false, indent = ''): string {
  const sortKeys = (v: unknown): unknown => {
    if (v === NO_VALUE || v === undefined) return null;
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(record).sort().map((k) => [k, sortKeys(record[k])]));
    }
    return v;
  };
  const text = JSON.stringify(sortKeys(value), null, indent || undefined);
  return raw ? text : text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const list = (v: unknown, fn: string): unknown[] => {
  if (Array.isArray(v)) return v;
  throw new TemplateError(`${fn}: Cannot find ${fn} on type ${goTypeName(v)}`);
};
const dict = (v: unknown, fn: string): Record<string, unknown> => {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new TemplateError(`${fn}: expected a dict (map[string]interface {}), received ${goTypeName(v)}`);
};
const float = (v: unknown): number => {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = Number.parseFloat(str(v));
  return Number.isNaN(n) ? 0 : n;
};
const deepEqual = (a: unknown, b: unknown): boolean => goMarshal(a) === goMarshal(b);
/** sprig's word splitting for the case functions (xstrings). */
const words = (s: string): string[] => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
const goPathClean = (p: string): string => {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
};
const compare = (a: unknown, b: unknown, fn: string): number => {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new TemplateError(`error calling ${fn}: incompatible types for comparison`);
};
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32Encode(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(acc << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
function base32Decode(text: string): string {
  const clean = text.replace(/=+$/, '');
  let bits = 0;
  let acc = 0;
  const bytes: number[] = [];
  for (let i = 0; i < clean.length; i += 1) {
    const v = BASE32.indexOf(clean[i] as string);
    if (v < 0) return `illegal base32 data at input byte ${i}`;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bytes.push((acc >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
const splitMap = (parts: readonly string[]): Record<string, string> => Object.fromEntries(parts.map((p, k) => [`_${k}`, p]));
const regexAll = (re: unknown, fn: string): RegExp => {
  const r = regex(re, fn);
  return new RegExp(r.source, `${r.flags}g`);
};

/**
 * sprig functions that are not evaluated: they depend on the clock, on randomness or on the Sensor pod's
 * environment (their result is not knowable offline), or on libraries not reproduced here.
 */
const UNSUPPORTED_FUNCTIONS: Record<string, string> = Object.fromEntries([
  ...['now', 'date', 'dateInZone', 'dateModify', 'mustDateModify', 'ago', 'toDate', 'mustToDate', 'unixEpoch', 'htmlDate', 'htmlDateInZone', 'duration', 'durationRound'].map((n) => [n, 'reads the clock']),
  ...['randAlpha', 'randAlphaNum', 'randAscii', 'randNumeric', 'randInt', 'randBytes', 'uuidv4', 'shuffle'].map((n) => [n, 'is random']),
  ...['env', 'expandenv', 'getHostByName'].map((n) => [n, "reads the Sensor pod's environment"]),
  ...['semver', 'semverCompare', 'genPrivateKey', 'derivePassword', 'buildCustomCert', 'genCA', 'genCAWithKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey', 'genSignedCert', 'genSignedCertWithKey', 'encryptAES', 'decryptAES', 'bcrypt', 'htpasswd', 'call', 'osBase', 'osDir', 'osClean', 'osExt', 'osIsAbs'].map((n) => [n, 'is not reproduced']),
]);

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
  toJson: (v) => goMarshal(v),
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
  // Go text/template builtins
  lt: (a, b) => compare(a, b, 'lt') < 0,
  le: (a, b) => compare(a, b, 'le') <= 0,
  gt: (a, b) => compare(a, b, 'gt') > 0,
  ge: (a, b) => compare(a, b, 'ge') >= 0,
  print: (...vs) => vs.map((v, k) => (k > 0 && typeof v !== 'string' && typeof vs[k - 1] !== 'string' ? ' ' : '') + printValue(v)).join(''),
  println: (...vs) => `${vs.map(printValue).join(' ')}\n`,
  slice: (v, ...ix) => {
    const [a = 0, b] = ix.map((x) => toInt64(x));
    if (typeof v === 'string') return v.slice(a, b);
    return list(v, 'slice').slice(a, b);
  },
  urlquery: (...vs) => encodeURIComponent(vs.map(str).join('')).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  html: (...vs) => vs.map(str).join('').replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c] as string),
  js: (...vs) => vs.map(str).join('').replace(/[\\'"<>&=\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string),
  // sprig: strings
  trimall: (cut, s) => (FUNCTIONS['trimAll'] as (...a: unknown[]) => unknown)(cut, s),
  abbrevboth: (left, right, s) => {
    const l = toInt64(left);
    const r = toInt64(right);
    const text = str(s);
    if (r < 4 || (l > 0 && r < 7) || text.length <= r) return text;
    const start = Math.max(0, Math.min(l, text.length));
    const cut = start > 0 ? `...${text.slice(start)}` : text;
    return cut.length <= r ? cut : `${cut.slice(0, r - 3)}...`;
  },
  initials: (s) => str(s).split(/\s+/).filter((w) => w !== '').map((w) => [...w][0]).join(''),
  wrap: (n, s) => wrapText(str(s), toInt64(n), '\n'),
  wrapWith: (n, sep, s) => wrapText(str(s), toInt64(n), str(sep)),
  plural: (one, many, n) => (toInt64(n) === 1 ? str(one) : str(many)),
  snakecase: (s) => words(str(s)).map((w) => w.toLowerCase()).join('_'),
  kebabcase: (s) => words(str(s)).map((w) => w.toLowerCase()).join('-'),
  camelcase: (s) => str(s).split('_').filter((w) => w !== '').map((w) => (w[0] as string).toUpperCase() + w.slice(1)).join(''),
  swapcase: (s) => [...str(s)].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  split: (sep, s) => splitMap(str(s).split(str(sep))),
  splitn: (sep, n, s) => {
    const limit = toInt64(n);
    const parts = str(s).split(str(sep));
    return splitMap(limit > 0 && parts.length > limit ? [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(str(sep))] : parts);
  },
  toStrings: (v) => (Array.isArray(v) ? v.map(str) : [str(v)]),
  sortAlpha: (v) => (Array.isArray(v) ? v.map(str).sort() : [str(v)]),
  regexFindAll: (re, s, n) => {
    const found = str(s).match(regexAll(re, 'regexFindAll')) ?? [];
    const limit = toInt64(n);
    return limit < 0 ? found : found.slice(0, limit);
  },
  regexSplit: (re, s, n) => {
    const text = str(s);
    const limit = toInt64(n);
    if (limit === 0) return [];
    const out: string[] = [];
    let last = 0;
    for (const m of text.matchAll(regexAll(re, 'regexSplit'))) {
      if (limit > 0 && out.length === limit - 1) break;
      if (m[0] === '' && (m.index === 0 || m.index === text.length)) continue;
      out.push(text.slice(last, m.index));
      last = (m.index ?? 0) + m[0].length;
    }
    out.push(text.slice(last));
    return out;
  },
  regexReplaceAllLiteral: (re, s, repl) => str(s).replace(regexAll(re, 'regexReplaceAllLiteral'), () => str(repl)),
  regexQuoteMeta: (s) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
  mustRegexMatch: (re, s) => regex(re, 'mustRegexMatch').test(str(s)),
  mustRegexFind: (re, s) => regex(re, 'mustRegexFind').exec(str(s))?.[0] ?? '',
  // sprig: conversions and defaults
  int: (v) => toInt64(v),
  int64: (v) => toInt64(v),
  float64: (v) => float(v),
  toDecimal: (v) => {
    const n = Number.parseInt(str(v), 8);
    return Number.isNaN(n) ? 0 : n;
  },
  ternary: (a, b, cond) => (cond === true ? a : b),
  coalesce: (...vs) => vs.find((v) => !empty(v)) ?? null,
  all: (...vs) => vs.every((v) => !empty(v)),
  any: (...vs) => vs.some((v) => !empty(v)),
  fail: (message) => {
    throw new TemplateError(str(message));
  },
  // sprig: lists
  list: (...vs) => vs,
  tuple: (...vs) => vs,
  rest: (v) => list(v, 'rest').slice(1),
  initial: (v) => list(v, 'initial').slice(0, -1),
  append: (v, x) => [...list(v, 'append'), x],
  push: (v, x) => [...list(v, 'push'), x],
  prepend: (v, x) => [x, ...list(v, 'prepend')],
  concat: (...vs) => vs.flatMap((v) => list(v, 'concat')),
  reverse: (v) => [...list(v, 'reverse')].reverse(),
  uniq: (v) => list(v, 'uniq').filter((x, k, all) => all.findIndex((y) => deepEqual(x, y)) === k),
  without: (v, ...xs) => list(v, 'without').filter((x) => !xs.some((y) => deepEqual(x, y))),
  has: (x, v) => list(v, 'has').some((y) => deepEqual(x, y)),
  compact: (v) => list(v, 'compact').filter((x) => !empty(x)),
  chunk: (size, v) => {
    const n = toInt64(size);
    const items = list(v, 'chunk');
    const out: unknown[][] = [];
    for (let k = 0; k < items.length; k += n) out.push(items.slice(k, k + n));
    return out;
  },
  until: (n) => {
    const count = toInt64(n);
    return Array.from({ length: Math.abs(count) }, (_v, k) => (count < 0 ? -k : k));
  },
  untilStep: (start, stop, step) => {
    const [a, b, c] = [toInt64(start), toInt64(stop), toInt64(step)];
    const out: number[] = [];
    if (c === 0 || (c > 0 && a >= b) || (c < 0 && a <= b)) return out;
    for (let k = a; c > 0 ? k < b : k > b; k += c) out.push(k);
    return out;
  },
  seq: (...xs) => {
    const ns = xs.map(toInt64);
    const [first, step, last] = ns.length === 1 ? [1, 1, ns[0] as number] : ns.length === 2 ? [ns[0] as number, (ns[0] as number) <= (ns[1] as number) ? 1 : -1, ns[1] as number] : [ns[0] as number, ns[1] as number, ns[2] as number];
    const out: number[] = [];
    if (step === 0) return '';
    for (let k = first; step > 0 ? k <= last : k >= last; k += step) out.push(k);
    return out.join(' ');
  },
  // sprig: dicts
  dict: (...kv) => {
    const out: Record<string, unknown> = {};
    for (let k = 0; k < kv.length; k += 2) out[str(kv[k])] = k + 1 < kv.length ? kv[k + 1] : '';
    return out;
  },
  get: (d, key) => {
    const record = dict(d, 'get');
    return Object.prototype.hasOwnProperty.call(record, str(key)) ? record[str(key)] : '';
  },
  set: (d, key, v) => {
    dict(d, 'set')[str(key)] = v;
    return d;
  },
  unset: (d, key) => {
    delete dict(d, 'unset')[str(key)];
    return d;
  },
  hasKey: (d, key) => Object.prototype.hasOwnProperty.call(dict(d, 'hasKey'), str(key)),
  pluck: (key, ...ds) => ds.map((d) => dict(d, 'pluck')).filter((d) => Object.prototype.hasOwnProperty.call(d, str(key))).map((d) => d[str(key)]),
  dig: (...args) => {
    const d = dict(args[args.length - 1], 'dig');
    const fallback = args[args.length - 2];
    let cur: unknown = d;
    for (const key of args.slice(0, -2)) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, str(key))) return fallback;
      cur = (cur as Record<string, unknown>)[str(key)];
    }
    return cur;
  },
  merge: (dst, ...srcs) => {
    const into = (a: Record<string, unknown>, b: Record<string, unknown>): void => {
      for (const [k, v] of Object.entries(b)) {
        const cur = a[k];
        if (!Object.prototype.hasOwnProperty.call(a, k) || empty(cur)) a[k] = v;
        else if (cur && v && typeof cur === 'object' && typeof v === 'object' && !Array.isArray(cur) && !Array.isArray(v)) into(cur as Record<string, unknown>, v as Record<string, unknown>);
      }
    };
    const target = dict(dst, 'merge');
    for (const src of srcs) into(target, dict(src, 'merge'));
    return target;
  },
  // Go maps have no order: sprig's keys/values come in random order; sorted here (use sortAlpha for a stable list).
  keys: (...ds) => ds.flatMap((d) => Object.keys(dict(d, 'keys'))).sort(),
  values: (d) => Object.keys(dict(d, 'values')).sort().map((k) => dict(d, 'values')[k]),
  pick: (d, ...ks) => Object.fromEntries(Object.entries(dict(d, 'pick')).filter(([k]) => ks.map(str).includes(k))),
  omit: (d, ...ks) => Object.fromEntries(Object.entries(dict(d, 'omit')).filter(([k]) => !ks.map(str).includes(k))),
  deepCopy: (v) => (v === NO_VALUE ? null : structuredClone(v)),
  // sprig: math
  addf: (...xs) => xs.reduce<number>((a, x) => a + float(x), 0),
  add1f: (x) => float(x) + 1,
  subf: (a, ...bs) => bs.reduce<number>((acc, x) => acc - float(x), float(a)),
  mulf: (...xs) => xs.reduce<number>((a, x) => a * float(x), 1),
  divf: (a, ...bs) => bs.reduce<number>((acc, x) => acc / float(x), float(a)),
  maxf: (...xs) => Math.max(...xs.map(float)),
  minf: (...xs) => Math.min(...xs.map(float)),
  floor: (x) => Math.floor(float(x)),
  ceil: (x) => Math.ceil(float(x)),
  round: (x, places, half) => {
    const p = 10 ** toInt64(places);
    const h = half === undefined ? 0.5 : float(half);
    const v = float(x) * p;
    const fraction = v - Math.trunc(v);
    const rounded = Math.abs(fraction) >= h ? Math.trunc(v) + Math.sign(v) : Math.trunc(v);
    return rounded / p;
  },
  // sprig: encodings and hashes
  b32enc: (s) => base32Encode(str(s)),
  b32dec: (s) => base32Decode(str(s)),
  sha512sum: (s) => createHash('sha512').update(str(s)).digest('hex'),
  adler32sum: (s) => {
    let a = 1;
    let b = 0;
    for (const byte of Buffer.from(str(s), 'utf8')) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    return String(((b << 16) | a) >>> 0);
  },
  toPrettyJson: (v) => goMarshal(v, false, '  '),
  toRawJson: (v) => goMarshal(v, true),
  mustToJson: (v) => goMarshal(v),
  fromJson: (s) => {
    try {
      return JSON.parse(str(s)) as unknown;
    } catch {
      return {};
    }
  },
  mustFromJson: (s) => {
    try {
      return JSON.parse(str(s)) as unknown;
    } catch (error) {
      throw new TemplateError(`mustFromJson: ${(error as Error).message}`);
    }
  },
  // sprig: paths (Go's path package)
  dir: (s) => {
    const text = str(s);
    const cut = text.lastIndexOf('/');
    return goPathClean(cut < 0 ? '' : text.slice(0, cut + 1));
  },
  clean: (s) => goPathClean(str(s)),
  ext: (s) => {
    const text = str(s);
    const m = /\.[^./]*$/.exec(text);
    return m ? m[0] : '';
  },
  isAbs: (s) => str(s).startsWith('/'),
  // sprig: reflection
  typeOf: (v) => (v === null || v === NO_VALUE ? '<nil>' : Array.isArray(v) ? '[]interface {}' : typeof v === 'object' ? 'map[string]interface {}' : goTypeName(v)),
  kindOf: (v) => (v === null || v === NO_VALUE ? 'invalid' : Array.isArray(v) ? 'slice' : typeof v === 'object' ? 'map' : goTypeName(v)),
  typeIs: (t, v) => str(t) === (FUNCTIONS['typeOf'] as (x: unknown) => unknown)(v),
  kindIs: (k, v) => str(k) === (FUNCTIONS['kindOf'] as (x: unknown) => unknown)(v),
  deepEqual: (a, b) => deepEqual(a, b),
};

function wrapText(text: string, width: number, sep: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    let current = '';
    for (const word of line.split(/ +/)) {
      if (current === '') current = word;
      else if (current.length + 1 + word.length > width) {
        out.push(current);
        current = word;
      } else current += ` ${word}`;
    }
    out.push(current);
  }
  return out.join(sep);
}

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

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fieldChain(text: string, word: string): string[] {
  if (text === '') return [];
  const chain = text.split('.');
  if (chain.some((p) => !IDENT.test(p))) throw new TemplateError(`bad character in field chain "${word}" (use index for array elements or keys that are not identifiers)`);
  return chain;
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
      const chainText = /^(\.[A-Za-z_][A-Za-z0-9_]*)+/.exec(text.slice(j + 1))?.[0] ?? '';
      args.push({ kind: 'pipeline', pipeline: parsePipeline(text.slice(i + 1, j)), chain: fieldChain(chainText.slice(1), chainText) });
      i = j + 1 + chainText.length;
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
    if (c === "'") {
      const m = /^'(\\.|[^'\\])'/.exec(text.slice(i));
      if (!m) throw new TemplateError(`malformed character constant in "${text}"`);
      args.push({ kind: 'literal', value: (JSON.parse(`"${m[1] as string}"`) as string).codePointAt(0) });
      i += m[0].length;
      continue;
    }
    const m = /^[^\s()]+/.exec(text.slice(i)) as RegExpExecArray;
    const word = m[0];
    i += word.length;
    if (word === '.') args.push({ kind: 'field', chain: [] });
    else if (word.startsWith('.')) args.push({ kind: 'field', chain: fieldChain(word.slice(1), word) });
    else if (word.startsWith('$')) {
      const [name, ...rest] = word.split('.');
      if (!/^\$[A-Za-z0-9_]*$/.test(name as string)) throw new TemplateError(`bad variable name "${word}"`);
      args.push({ kind: 'variable', name: name as string, chain: fieldChain(rest.join('.'), word) });
    } else if (/^[+-]?(\d+|0[xX][0-9a-fA-F]+)$/.test(word)) args.push({ kind: 'literal', value: Number(word) });
    else if (/^[+-]?(\d*\.\d+|\d+\.\d*)([eE][+-]?\d+)?$|^[+-]?\d+[eE][+-]?\d+$/.test(word)) args.push({ kind: 'literal', value: Number(word) });
    else if (word === 'true' || word === 'false') args.push({ kind: 'literal', value: word === 'true' });
    else if (word === 'nil') args.push({ kind: 'literal', value: null });
    else if (KEYWORDS.has(word)) throw new TemplateError(`unexpected "${word}" in operand`);
    else if (Object.hasOwn(FUNCTIONS, word)) args.push({ kind: 'call', name: word });
    else if (Object.hasOwn(UNSUPPORTED_FUNCTIONS, word)) throw new TemplateError(`function "${word}" ${UNSUPPORTED_FUNCTIONS[word] as string}: not evaluated by simulate`, true);
    else throw new TemplateError(`function "${word}" not defined`);
  }
  return args;
}

function parsePipeline(text: string): Pipeline {
  const commands = splitTop(text, '|').map((part) => parseArgs(part));
  if (commands.some((c) => c.length === 0)) throw new TemplateError(`missing command in "${text}"`);
  return commands;
}

/** `[$a[, $b] :=|=] pipeline`. */
function parseAction(text: string): Action {
  const decl = /^\s*(\$[A-Za-z0-9_]*)(\s*,\s*(\$[A-Za-z0-9_]*))?\s*(:=|=)(?!=)\s*/.exec(text);
  if (decl) {
    const vars = [decl[1] as string, ...(decl[3] ? [decl[3]] : [])];
    return { pipeline: parsePipeline(text.slice(decl[0].length)), vars, assign: decl[4] === '=' };
  }
  return { pipeline: parsePipeline(text), vars: [], assign: false };
}

type Token = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'action'; readonly body: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      tokens.push({ kind: 'text', text: source.slice(i) });
      break;
    }
    let text = source.slice(i, open);
    let inner = open + 2;
    if (source.startsWith('- ', inner) || source.startsWith('-\t', inner) || source.startsWith('-\n', inner) || source.startsWith('-\r', inner)) {
      text = text.replace(/\s+$/, '');
      inner += 1;
    }
    if (text) tokens.push({ kind: 'text', text });
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
    if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) tokens.push({ kind: 'action', body: trimmed });
    i = after;
  }
  return tokens;
}

function keyword(body: string): { word: string; rest: string } | undefined {
  const m = /^([a-z]+)\b\s*([\s\S]*)$/.exec(body);
  return m && KEYWORDS.has(m[1] as string) ? { word: m[1] as string, rest: m[2] as string } : undefined;
}

/** Parses tokens into nodes until one of `stops` (an `else…` or `end` action), which it returns. */
function parseList(tokens: readonly Token[], at: { i: number }, stops: ReadonlySet<string>, loop: boolean): { nodes: Node[]; stop?: { word: string; rest: string } } {
  const nodes: Node[] = [];
  while (at.i < tokens.length) {
    const token = tokens[at.i] as Token;
    at.i += 1;
    if (token.kind === 'text') {
      nodes.push(token);
      continue;
    }
    const kw = keyword(token.body);
    if (!kw) {
      nodes.push({ kind: 'action', action: parseAction(token.body) });
      continue;
    }
    if (stops.has(kw.word)) return { nodes, stop: kw };
    switch (kw.word) {
      case 'if':
      case 'with': {
        const branches: Branch[] = [];
        let otherwise: Node[] | undefined;
        let action = parseAction(kw.rest);
        for (;;) {
          const inner = parseList(tokens, at, new Set(['else', 'end']), loop);
          branches.push({ action, body: inner.nodes });
          if (!inner.stop) throw new TemplateError(`unexpected EOF: {{${kw.word}}} without {{end}}`);
          if (inner.stop.word === 'end') break;
          const chained = new RegExp(`^${kw.word}\\b\\s*([\\s\\S]*)$`).exec(inner.stop.rest);
          if (chained) {
            action = parseAction(chained[1] as string);
            continue;
          }
          if (inner.stop.rest !== '') throw new TemplateError(`unexpected "${inner.stop.rest}" after {{else}}`);
          const last = parseList(tokens, at, new Set(['end']), loop);
          if (!last.stop) throw new TemplateError(`unexpected EOF: {{${kw.word}}} without {{end}}`);
          otherwise = last.nodes;
          break;
        }
        nodes.push({ kind: kw.word, branches, otherwise });
        break;
      }
      case 'range': {
        const action = parseAction(kw.rest);
        const body = parseList(tokens, at, new Set(['else', 'end']), true);
        if (!body.stop) throw new TemplateError('unexpected EOF: {{range}} without {{end}}');
        let otherwise: Node[] | undefined;
        if (body.stop.word === 'else') {
          const last = parseList(tokens, at, new Set(['end']), loop);
          if (!last.stop) throw new TemplateError('unexpected EOF: {{range}} without {{end}}');
          otherwise = last.nodes;
        }
        nodes.push({ kind: 'range', action, body: body.nodes, otherwise });
        break;
      }
      case 'break':
      case 'continue':
        if (!loop) throw new TemplateError(`{{${kw.word}}} outside {{range}}`);
        nodes.push({ kind: kw.word });
        break;
      default:
        if (UNSUPPORTED_KEYWORDS.has(kw.word)) throw new TemplateError(`"{{${kw.word}}}" actions are not evaluated by simulate`, true);
        throw new TemplateError(`unexpected {{${kw.word}}}`);
    }
  }
  return { nodes };
}

const cache = new Map<string, Node[] | TemplateError>();

/** Parses a Go template; throws {@link TemplateError}. */
export function parseGoTemplate(source: string): Node[] {
  const hit = cache.get(source);
  if (hit instanceof TemplateError) throw hit;
  if (hit) return hit;
  try {
    const at = { i: 0 };
    const { nodes, stop } = parseList(tokenize(source), at, new Set(['else', 'end']), false);
    if (stop) throw new TemplateError(`unexpected {{${stop.word}}}`);
    if (cache.size > 10_000) cache.clear();
    cache.set(source, nodes);
    return nodes;
  } catch (error) {
    if (error instanceof TemplateError) cache.set(source, error);
    throw error;
  }
}

/** Variables in scope: each control structure opens a frame, dropped at its `end`. */
class Scope {
  private readonly frames: Map<string, unknown>[];
  constructor(root: unknown) {
    this.frames = [new Map([['$', root]])];
  }
  push(): void {
    this.frames.push(new Map());
  }
  pop(): void {
    this.frames.pop();
  }
  declare(name: string, value: unknown): void {
    (this.frames[this.frames.length - 1] as Map<string, unknown>).set(name, value);
  }
  assign(name: string, value: unknown): void {
    for (let k = this.frames.length - 1; k >= 0; k -= 1) {
      const frame = this.frames[k] as Map<string, unknown>;
      if (frame.has(name)) {
        frame.set(name, value);
        return;
      }
    }
    throw new TemplateError(`undefined variable: ${name}`);
  }
  get(name: string): unknown {
    for (let k = this.frames.length - 1; k >= 0; k -= 1) {
      const frame = this.frames[k] as Map<string, unknown>;
      if (frame.has(name)) return frame.get(name);
    }
    throw new TemplateError(`undefined variable: ${name}`);
  }
}

function goTypeName(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'interface {}';
}

function walkChain(start: unknown, chain: readonly string[]): unknown {
  let cur = start;
  for (const name of chain) {
    if (cur === NO_VALUE || cur === null || cur === undefined) throw new TemplateError(`nil pointer evaluating interface {}.${name}`);
    if (typeof cur !== 'object' || Array.isArray(cur)) throw new TemplateError(`can't evaluate field ${name} in type ${goTypeName(cur)}`);
    const record = cur as Record<string, unknown>;
    cur = Object.prototype.hasOwnProperty.call(record, name) ? record[name] : NO_VALUE;
  }
  return cur;
}

function evalArg(arg: Arg, dot: unknown, scope: Scope, extra: readonly unknown[]): unknown {
  switch (arg.kind) {
    case 'literal':
      return arg.value;
    case 'pipeline':
      return walkChain(evalPipeline(arg.pipeline, dot, scope), arg.chain);
    case 'call':
      return (FUNCTIONS[arg.name] as (...args: unknown[]) => unknown)(...extra);
    case 'variable':
      return walkChain(scope.get(arg.name), arg.chain);
    case 'field':
      return walkChain(dot, arg.chain);
  }
}

function evalPipeline(pipeline: Pipeline, dot: unknown, scope: Scope): unknown {
  let previous: unknown[] = [];
  for (const command of pipeline) {
    const [head, ...rest] = command as [Arg, ...Arg[]];
    const args = [...rest.map((a) => evalArg(a, dot, scope, [])), ...previous];
    let value: unknown;
    if (head.kind === 'call') value = evalArg(head, dot, scope, args);
    else {
      if (args.length > 0) throw new TemplateError(`can't give argument to non-function ${head.kind === 'field' ? `.${head.chain.join('.')}` : printValue(evalArg(head, dot, scope, []))}`);
      value = evalArg(head, dot, scope, []);
    }
    previous = [value];
  }
  return previous[0];
}

function evalAction(action: Action, dot: unknown, scope: Scope): unknown {
  const value = evalPipeline(action.pipeline, dot, scope);
  for (const name of action.vars) {
    if (action.assign) scope.assign(name, value);
    else scope.declare(name, value);
  }
  return value;
}

const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
let steps = 0;
const STEP_LIMIT = 1_000_000;

/** Writes `nodes` to `out`; returns BREAK or CONTINUE when a loop body was cut short. */
function execute(nodes: readonly Node[], dot: unknown, scope: Scope, out: string[]): typeof BREAK | typeof CONTINUE | undefined {
  for (const node of nodes) {
    steps += 1;
    if (steps > STEP_LIMIT) throw new TemplateError(`the template ran more than ${STEP_LIMIT.toLocaleString('en-US')} steps; simulate stops there`, true);
    switch (node.kind) {
      case 'text':
        out.push(node.text);
        break;
      case 'action': {
        const value = evalAction(node.action, dot, scope);
        if (node.action.vars.length === 0) out.push(printValue(value));
        break;
      }
      case 'if':
      case 'with': {
        scope.push();
        try {
          let taken = false;
          for (const branch of node.branches) {
            const value = evalAction(branch.action, dot, scope);
            if (!empty(value)) {
              taken = true;
              const r = execute(branch.body, node.kind === 'with' ? value : dot, scope, out);
              if (r) return r;
              break;
            }
          }
          if (!taken && node.otherwise) {
            const r = execute(node.otherwise, dot, scope, out);
            if (r) return r;
          }
        } finally {
          scope.pop();
        }
        break;
      }
      case 'range': {
        scope.push();
        try {
          const value = evalPipeline(node.action.pipeline, dot, scope);
          const entries: [unknown, unknown][] = [];
          if (Array.isArray(value)) value.forEach((v, k) => entries.push([k, v]));
          else if (typeof value === 'number' && Number.isInteger(value)) for (let k = 0; k < value; k += 1) entries.push([k, k]);
          else if (value !== null && typeof value === 'object') for (const k of Object.keys(value).sort()) entries.push([k, (value as Record<string, unknown>)[k]]);
          else if (!(value === NO_VALUE || value === null || value === undefined)) throw new TemplateError(`range can't iterate over ${printValue(value)}`);
          if (entries.length === 0) {
            if (node.otherwise) {
              const r = execute(node.otherwise, dot, scope, out);
              if (r) return r;
            }
            break;
          }
          for (const [key, element] of entries) {
            scope.push();
            try {
              const [first, second] = node.action.vars;
              if (second !== undefined) {
                scope.declare(first as string, key);
                scope.declare(second, element);
              } else if (first !== undefined) scope.declare(first, element);
              const r = execute(node.body, element, scope, out);
              if (r === BREAK) break;
            } finally {
              scope.pop();
            }
          }
        } finally {
          scope.pop();
        }
        break;
      }
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
    }
  }
  return undefined;
}

/** Executes a Go template with `{ Input: input }` as its data, as Argo Events does. */
export function executeGoTemplate(source: string, input: unknown): string {
  const nodes = parseGoTemplate(source);
  const dot = { Input: input };
  const out: string[] = [];
  steps = 0;
  execute(nodes, dot, new Scope(dot), out);
  return out.join('');
}

const TEMPLATE_BUILTINS = new Set(['and', 'eq', 'index', 'len', 'ne', 'not', 'or', 'printf']);

/**
 * The sprig functions of FUNCTIONS (without Go template's own builtins), by name, for the other languages that
 * offer sprig: Argo Workflows' expressions call them as `sprig.trim(x)`.
 */
export function sprigFunction(name: string): ((...args: unknown[]) => unknown) | undefined {
  return TEMPLATE_BUILTINS.has(name) || !Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? undefined : FUNCTIONS[name];
}
