/**
 * The functions buildx gives bake files (docker/buildx `bake/hclparser/stdlib.go`: go-cty's stdlib, some of
 * go-cty-funcs, and buildx's own `basename`, `dirname`, `indexof`, `sanitize`, `timestamp`), each following
 * its go-cty definition. The few that bake files do not use in practice (bcrypt, the cidr family,
 * rsadecrypt, uuidv5, csvdecode, convert, bytes*, timeadd, setproduct) are refused by name with an error
 * rather than evaluated approximately. `try` and `can` are special forms in `hcl-evaluate.ts`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { HclEvalError, asBool, asNumber, asString, equal, formatNumber, isList, isMap, typeName } from './hcl-evaluate.js';
import type { HclFunction, HclValue } from './hcl-evaluate.js';

type List = readonly HclValue[];
type Obj = { readonly [key: string]: HclValue };

function arity(args: List, min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new HclEvalError(`takes ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} argument(s), received ${args.length}`);
  }
}
const str = (args: List, i: number): string => asString(args[i] ?? null, `argument ${i + 1}`);
const num = (args: List, i: number): number => asNumber(args[i] ?? null, `argument ${i + 1}`);
function list(args: List, i: number): List {
  const v = args[i] ?? null;
  if (!isList(v)) throw new HclEvalError(`argument ${i + 1} must be a list, received ${typeName(v)}`);
  return v;
}
function obj(args: List, i: number): Obj {
  const v = args[i] ?? null;
  if (!isMap(v)) throw new HclEvalError(`argument ${i + 1} must be an object (a map), received ${typeName(v)}`);
  return v;
}
const s1 = (f: (s: string) => HclValue): HclFunction => (a) => (arity(a, 1), f(str(a, 0)));
const n1 = (f: (n: number) => HclValue): HclFunction => (a) => (arity(a, 1), f(num(a, 0)));
const n2 = (f: (x: number, y: number) => HclValue): HclFunction => (a) => (arity(a, 2), f(num(a, 0), num(a, 1)));
const hash = (algo: string): HclFunction => s1((s) => createHash(algo).update(s).digest('hex'));
const distinct = (l: List): HclValue[] => l.filter((v, i) => l.findIndex((w) => equal(v, w)) === i);

/** Go's `fmt` verbs as go-cty's `format` accepts them: %v %s %d %f %e %g %t %q %x %X %o %b %%, with flags, width and precision. */
function format(spec: string, args: List): string {
  let next = 0;
  return spec.replace(/%([-+# 0]*)(\d+|\*)?(?:\.(\d+))?(?:\[(\d+)\])?([a-zA-Z%])/g, (whole, flags: string, width: string | undefined, prec: string | undefined, idx: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const i = idx !== undefined ? Number(idx) - 1 : next;
    next = i + 1;
    if (i >= args.length) throw new HclEvalError(`not enough arguments for "${whole}" in the format "${spec}"`);
    const v = args[i] ?? null;
    let out: string;
    switch (verb) {
      case 'v':
        out = flags.includes('#') ? JSON.stringify(v) : isList(v) || isMap(v) ? JSON.stringify(v) : v === null ? 'null' : asString(v, `the value for ${whole}`);
        break;
      case 's':
        out = asString(v, `the value for ${whole}`);
        break;
      case 'q':
        out = JSON.stringify(asString(v, `the value for ${whole}`));
        break;
      case 't':
        out = String(asBool(v, `the value for ${whole}`));
        break;
      case 'd':
        out = formatNumber(Math.trunc(asNumber(v, `the value for ${whole}`)));
        if (flags.includes('+') && !out.startsWith('-')) out = `+${out}`;
        break;
      case 'f':
      case 'e':
      case 'g': {
        const n = asNumber(v, `the value for ${whole}`);
        const p = prec !== undefined ? Number(prec) : 6;
        out = verb === 'f' ? n.toFixed(p) : verb === 'e' ? n.toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2') : String(n);
        break;
      }
      case 'x':
      case 'X':
      case 'o':
      case 'b': {
        const radix = { x: 16, X: 16, o: 8, b: 2 }[verb];
        out = typeof v === 'string' && verb !== 'o' && verb !== 'b' ? Buffer.from(v).toString('hex') : Math.trunc(asNumber(v, `the value for ${whole}`)).toString(radix);
        if (verb === 'X') out = out.toUpperCase();
        break;
      }
      default:
        throw new HclEvalError(`unsupported format verb "%${verb}" in "${spec}"`);
    }
    if (verb === 's' && prec !== undefined) out = out.slice(0, Number(prec));
    const w = width !== undefined && width !== '*' ? Number(width) : 0;
    if (out.length < w) out = flags.includes('-') ? out.padEnd(w) : out.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ');
    return out;
  });
}

/** go-cty's `formatdate` (a subset of its spec: years, months, days, weekdays, 24- and 12-hour clocks, minutes, seconds, zones, quoted text). */
function formatDate(spec: string, iso: string): string {
  const t = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(iso) || Number.isNaN(t.getTime())) {
    throw new HclEvalError(`"${iso}" is not a timestamp in RFC 3339 form (2006-01-02T15:04:05Z)`);
  }
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const h = t.getUTCHours();
  const tokens: Record<string, () => string> = {
    YYYY: () => pad(t.getUTCFullYear(), 4), YY: () => pad(t.getUTCFullYear() % 100),
    MMMM: () => months[t.getUTCMonth()] ?? '', MMM: () => (months[t.getUTCMonth()] ?? '').slice(0, 3), MM: () => pad(t.getUTCMonth() + 1), M: () => String(t.getUTCMonth() + 1),
    DD: () => pad(t.getUTCDate()), D: () => String(t.getUTCDate()),
    EEEE: () => days[t.getUTCDay()] ?? '', EEE: () => (days[t.getUTCDay()] ?? '').slice(0, 3),
    hh: () => pad(h), h: () => String(h), HH: () => pad(h % 12 || 12), H: () => String(h % 12 || 12),
    AA: () => (h < 12 ? 'AM' : 'PM'), aa: () => (h < 12 ? 'am' : 'pm'),
    mm: () => pad(t.getUTCMinutes()), m: () => String(t.getUTCMinutes()),
    ss: () => pad(t.getUTCSeconds()), s: () => String(t.getUTCSeconds()),
    ZZZZZ: () => '+00:00', ZZZZ: () => '+0000', ZZZ: () => 'UTC', Z: () => 'Z',
  };
  let out = '';
  let i = 0;
  while (i < spec.length) {
    if (spec[i] === "'") {
      if (spec[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      const end = spec.indexOf("'", i + 1);
      if (end < 0) throw new HclEvalError(`unterminated quoted text in the date format "${spec}"`);
      out += spec.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    const run = /^([A-Za-z])\1*/.exec(spec.slice(i))?.[0];
    if (run) {
      const f = tokens[run];
      if (!f) throw new HclEvalError(`invalid date format sequence "${run}" in "${spec}"`);
      out += f();
      i += run.length;
      continue;
    }
    out += spec[i];
    i++;
  }
  return out;
}

/** Go RE2 named groups `(?P<n>` are JavaScript's `(?<n>`. */
function regExp(pattern: string, flags = ''): RegExp {
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), flags);
  } catch (e) {
    throw new HclEvalError(`invalid regular expression "${pattern}": ${(e as Error).message}`);
  }
}

function regexResult(m: RegExpExecArray): HclValue {
  if (m.groups) return { ...m.groups } as Obj;
  return m.length > 1 ? m.slice(1).map((x) => x ?? '') : m[0];
}

function flatten(l: List): HclValue[] {
  return l.flatMap((v) => (isList(v) ? flatten(v) : [v]));
}

function sortKeys(o: Obj): string[] {
  return Object.keys(o).sort();
}

const UNSUPPORTED = ['bcrypt', 'bytesslice', 'byteslen', 'cidrhost', 'cidrnetmask', 'cidrsubnet', 'cidrsubnets', 'convert', 'csvdecode', 'rsadecrypt', 'setproduct', 'timeadd', 'uuidv5'];

const FUNCTIONS: Readonly<Record<string, HclFunction>> = {
  absolute: n1(Math.abs),
  add: n2((a, b) => a + b),
  and: (a) => (arity(a, 2), asBool(a[0] ?? null, 'argument 1') && asBool(a[1] ?? null, 'argument 2')),
  base64decode: s1((s) => Buffer.from(s, 'base64').toString('utf8')),
  base64encode: s1((s) => Buffer.from(s, 'utf8').toString('base64')),
  basename: s1((s) => posix.basename(s) || (s.startsWith('/') ? '/' : '.')),
  ceil: n1(Math.ceil),
  chomp: s1((s) => s.replace(/(\r\n|\n|\r)+$/, '')),
  chunklist: (a) => {
    arity(a, 2);
    const l = list(a, 0);
    const size = num(a, 1);
    if (size < 0) throw new HclEvalError('the chunk size must not be negative');
    if (size === 0) return [l];
    const out: HclValue[] = [];
    for (let i = 0; i < l.length; i += size) out.push(l.slice(i, i + size));
    return out;
  },
  coalesce: (a) => {
    const v = a.find((x) => x !== null && x !== '');
    if (v === undefined) throw new HclEvalError('no non-null, non-empty argument');
    return v;
  },
  coalescelist: (a) => a.find((x) => isList(x) && x.length > 0) ?? (() => { throw new HclEvalError('no non-empty list argument'); })(),
  compact: (a) => (arity(a, 1), list(a, 0).filter((x) => x !== null && x !== '')),
  concat: (a) => a.flatMap((_, i) => list(a, i)),
  contains: (a) => (arity(a, 2), list(a, 0).some((x) => equal(x, a[1] ?? null))),
  dirname: s1((s) => posix.dirname(s)),
  distinct: (a) => (arity(a, 1), distinct(list(a, 0))),
  divide: n2((x, y) => {
    if (y === 0) throw new HclEvalError('division by zero');
    return x / y;
  }),
  element: (a) => {
    arity(a, 2);
    const l = list(a, 0);
    if (l.length === 0) throw new HclEvalError('cannot use element() on an empty list');
    const i = Math.trunc(num(a, 1));
    if (i < 0) throw new HclEvalError('the index must not be negative');
    return l[i % l.length] ?? null;
  },
  equal: (a) => (arity(a, 2), equal(a[0] ?? null, a[1] ?? null)),
  flatten: (a) => (arity(a, 1), flatten(list(a, 0))),
  floor: n1(Math.floor),
  format: (a) => (arity(a, 1, Infinity), format(str(a, 0), a.slice(1))),
  formatdate: (a) => (arity(a, 2), formatDate(str(a, 0), str(a, 1))),
  formatlist: (a) => {
    arity(a, 1, Infinity);
    const rest = a.slice(1);
    const lengths = rest.filter(isList).map((l) => l.length);
    if (lengths.length === 0) return [format(str(a, 0), rest)];
    if (new Set(lengths).size > 1) throw new HclEvalError(`all list arguments must have the same length, received lengths ${lengths.join(', ')}`);
    return Array.from({ length: lengths[0] ?? 0 }, (_, i) => format(str(a, 0), rest.map((v) => (isList(v) ? (v[i] ?? null) : v))));
  },
  greaterthan: n2((x, y) => x > y),
  greaterthanorequalto: n2((x, y) => x >= y),
  hasindex: (a) => {
    arity(a, 2);
    const c = a[0] ?? null;
    if (isList(c)) return Number.isInteger(num(a, 1)) && num(a, 1) >= 0 && num(a, 1) < c.length;
    if (isMap(c)) return Object.hasOwn(c, str(a, 1));
    throw new HclEvalError(`argument 1 must be a list or an object, received ${typeName(c)}`);
  },
  indent: (a) => (arity(a, 2), str(a, 1).replace(/\n/g, `\n${' '.repeat(num(a, 0))}`)),
  index: (a) => {
    arity(a, 2);
    const c = a[0] ?? null;
    if (isList(c)) {
      const i = num(a, 1);
      if (!Number.isInteger(i) || i < 0 || i >= c.length) throw new HclEvalError(`index ${i} is out of range`);
      return c[i] ?? null;
    }
    const o = obj(a, 0);
    const k = str(a, 1);
    if (!Object.hasOwn(o, k)) throw new HclEvalError(`the object has no key "${k}"`);
    return o[k] ?? null;
  },
  indexof: (a) => {
    arity(a, 2);
    const l = list(a, 0);
    if (l.length === 0) throw new HclEvalError('cannot search an empty list');
    const i = l.findIndex((x) => equal(x, a[1] ?? null));
    if (i < 0) throw new HclEvalError('item not found');
    return i;
  },
  int: n1(Math.trunc),
  join: (a) => (arity(a, 2, Infinity), a.slice(1).flatMap((_, i) => list(a, i + 1)).map((v, i) => asString(v, `element ${i + 1}`)).join(str(a, 0))),
  jsondecode: s1((s) => {
    try {
      return JSON.parse(s) as HclValue;
    } catch (e) {
      throw new HclEvalError(`invalid JSON: ${(e as Error).message}`);
    }
  }),
  jsonencode: (a) => (arity(a, 1), JSON.stringify(a[0] ?? null)),
  keys: (a) => (arity(a, 1), sortKeys(obj(a, 0))),
  length: (a) => {
    arity(a, 1);
    const v = a[0] ?? null;
    if (isList(v)) return v.length;
    if (isMap(v)) return Object.keys(v).length;
    return [...asString(v, 'argument 1')].length;
  },
  lessthan: n2((x, y) => x < y),
  lessthanorequalto: n2((x, y) => x <= y),
  log: n2((x, base) => Math.log(x) / Math.log(base)),
  lookup: (a) => {
    arity(a, 2, 3);
    const o = obj(a, 0);
    const k = str(a, 1);
    if (Object.hasOwn(o, k)) return o[k] ?? null;
    if (a.length === 3) return a[2] ?? null;
    throw new HclEvalError(`the object has no key "${k}" and no default was given`);
  },
  lower: s1((s) => s.toLowerCase()),
  max: (a) => (arity(a, 1, Infinity), Math.max(...a.map((_, i) => num(a, i)))),
  md5: hash('md5'),
  merge: (a) => {
    const out: Record<string, HclValue> = {};
    for (const [i, v] of a.entries()) {
      if (v === null) continue;
      if (!isMap(v)) throw new HclEvalError(`argument ${i + 1} must be an object, received ${typeName(v)}`);
      Object.assign(out, v);
    }
    return out;
  },
  min: (a) => (arity(a, 1, Infinity), Math.min(...a.map((_, i) => num(a, i)))),
  modulo: n2((x, y) => {
    if (y === 0) throw new HclEvalError('modulo by zero');
    return x % y;
  }),
  multiply: n2((x, y) => x * y),
  negate: n1((n) => -n),
  not: (a) => (arity(a, 1), !asBool(a[0] ?? null, 'argument 1')),
  notequal: (a) => (arity(a, 2), !equal(a[0] ?? null, a[1] ?? null)),
  or: (a) => (arity(a, 2), asBool(a[0] ?? null, 'argument 1') || asBool(a[1] ?? null, 'argument 2')),
  parseint: (a) => {
    arity(a, 2);
    const base = num(a, 1);
    const s = str(a, 0);
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
    if (base < 2 || base > 62 || !new RegExp(`^[-+]?[${digits}]+$`, 'i').test(s)) throw new HclEvalError(`cannot parse "${s}" as a base ${base} integer`);
    return parseInt(s, base);
  },
  pow: n2((x, y) => x ** y),
  range: (a) => {
    arity(a, 1, 3);
    const [start, end, step] = a.length === 1 ? [0, num(a, 0), 1] : [num(a, 0), num(a, 1), a.length === 3 ? num(a, 2) : num(a, 0) <= num(a, 1) ? 1 : -1];
    if (step === 0) throw new HclEvalError('the step must not be zero');
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      if (out.length >= 1024) throw new HclEvalError('more than 1024 elements');
      out.push(i);
    }
    return out;
  },
  regex: (a) => {
    arity(a, 2);
    const m = regExp(str(a, 0)).exec(str(a, 1));
    if (!m) throw new HclEvalError(`the pattern "${str(a, 0)}" does not match "${str(a, 1)}"`);
    return regexResult(m);
  },
  regexall: (a) => (arity(a, 2), [...str(a, 1).matchAll(regExp(str(a, 0), 'g'))].map((m) => regexResult(m as RegExpExecArray))),
  regex_replace: (a) => (arity(a, 3), str(a, 0).replace(regExp(str(a, 1), 'g'), str(a, 2).replace(/\$\{?(\w+)\}?/g, (_, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`)))),
  replace: (a) => (arity(a, 3), str(a, 0).split(str(a, 1)).join(str(a, 2))),
  reverse: s1((s) => [...s].reverse().join('')),
  reverselist: (a) => (arity(a, 1), [...list(a, 0)].reverse()),
  sanitize: s1((s) => s.replace(/[^a-zA-Z0-9_-]/gu, '_')),
  sethaselement: (a) => (arity(a, 2), list(a, 0).some((x) => equal(x, a[1] ?? null))),
  setintersection: (a) => (arity(a, 1, Infinity), distinct(list(a, 0)).filter((x) => a.every((_, i) => list(a, i).some((y) => equal(x, y))))),
  setsubtract: (a) => (arity(a, 2), distinct(list(a, 0)).filter((x) => !list(a, 1).some((y) => equal(x, y)))),
  setsymmetricdifference: (a) => {
    arity(a, 1, Infinity);
    const all = distinct(a.flatMap((_, i) => list(a, i)));
    return all.filter((x) => a.filter((_, i) => list(a, i).some((y) => equal(x, y))).length % 2 === 1);
  },
  setunion: (a) => (arity(a, 1, Infinity), distinct(a.flatMap((_, i) => list(a, i)))),
  sha1: hash('sha1'),
  sha256: hash('sha256'),
  sha512: hash('sha512'),
  signum: n1(Math.sign),
  slice: (a) => {
    arity(a, 3);
    const l = list(a, 0);
    const from = num(a, 1);
    const to = num(a, 2);
    if (from < 0 || to > l.length || from > to) throw new HclEvalError(`slice(${from}, ${to}) is out of range for a list of ${l.length}`);
    return l.slice(from, to);
  },
  sort: (a) => (arity(a, 1), list(a, 0).map((v, i) => asString(v, `element ${i + 1}`)).sort()),
  split: (a) => (arity(a, 2), str(a, 1).split(str(a, 0))),
  strlen: s1((s) => [...s].length),
  substr: (a) => {
    arity(a, 3);
    const chars = [...str(a, 0)];
    let offset = num(a, 1);
    const length = num(a, 2);
    if (offset < 0) offset = Math.max(0, chars.length + offset);
    return chars.slice(offset, length < 0 ? undefined : offset + length).join('');
  },
  subtract: n2((x, y) => x - y),
  timestamp: (a) => (arity(a, 0), new Date().toISOString().replace(/\.\d+Z$/, 'Z')),
  title: s1((s) => s.replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_, b: string, c: string) => b + c.toUpperCase())),
  trim: (a) => {
    arity(a, 2);
    const cut = new Set([...str(a, 1)]);
    const chars = [...str(a, 0)];
    let s = 0;
    let e = chars.length;
    while (s < e && cut.has(chars[s] ?? '')) s++;
    while (e > s && cut.has(chars[e - 1] ?? '')) e--;
    return chars.slice(s, e).join('');
  },
  trimprefix: (a) => (arity(a, 2), str(a, 0).startsWith(str(a, 1)) ? str(a, 0).slice(str(a, 1).length) : str(a, 0)),
  trimspace: s1((s) => s.trim()),
  trimsuffix: (a) => (arity(a, 2), str(a, 1) !== '' && str(a, 0).endsWith(str(a, 1)) ? str(a, 0).slice(0, -str(a, 1).length) : str(a, 0)),
  upper: s1((s) => s.toUpperCase()),
  urlencode: s1((s) => encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)),
  uuidv4: (a) => (arity(a, 0), randomUUID()),
  values: (a) => (arity(a, 1), sortKeys(obj(a, 0)).map((k) => obj(a, 0)[k] ?? null)),
  zipmap: (a) => {
    arity(a, 2);
    const k = list(a, 0);
    const v = list(a, 1);
    if (k.length !== v.length) throw new HclEvalError(`${k.length} keys and ${v.length} values`);
    return Object.fromEntries(k.map((key, i) => [asString(key, `key ${i + 1}`), v[i] ?? null]));
  },
};

/** The buildx function named `name`: implemented, refused by name (buildx has it, argots does not evaluate it), or unknown. */
export function hclFunction(name: string): HclFunction | undefined {
  if (Object.hasOwn(FUNCTIONS, name)) return FUNCTIONS[name];
  if (UNSUPPORTED.includes(name)) {
    return () => {
      throw new HclEvalError(`buildx has this function, but argots does not evaluate it; compute the value outside the bake file and pass it as a variable`);
    };
  }
  return undefined;
}

export const HCL_FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS).sort();
