/**
 * A purpose-built, deterministic YAML emitter for JSON data: block style, keys in a canonical order
 * (apiVersion, kind, metadata, spec first; names before bodies; the rest alphabetical), strings quoted
 * whenever any YAML 1.1 or 1.2 reader could take them for something else. Much faster than a general
 * YAML library because it never builds a document tree.
 */

const EARLY = [
  'apiVersion', 'kind', 'metadata', 'spec',
  'name', 'generateName', 'namespace', 'labels', 'annotations',
  'schedules', 'timezone', 'concurrencyPolicy', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'suspend',
  'workflowSpec', 'workflowMetadata',
  'entrypoint', 'workflowTemplateRef', 'template', 'templateRef', 'inputs', 'outputs', 'arguments', 'parameters', 'artifacts',
  'depends', 'dependencies', 'when', 'withItems', 'withParam', 'withSequence',
  'value', 'valueFrom', 'default', 'enum', 'description',
  'image', 'command', 'args', 'source', 'env',
];
const LATE = ['templates'];
const rank = new Map<string, number>();
EARLY.forEach((k, i) => rank.set(k, i - EARLY.length - 1));
LATE.forEach((k, i) => rank.set(k, i + 1));

function compareKeys(a: string, b: string): number {
  const ra = rank.get(a) ?? 0;
  const rb = rank.get(b) ?? 0;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The canonical order of an object's keys (most objects the emitter builds are in it already: no sort). */
export function orderedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  for (let i = 1; i < keys.length; i++) if (compareKeys(keys[i - 1] as string, keys[i] as string) > 0) return keys.sort(compareKeys);
  return keys;
}

const NOT_PRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;
/** Anywhere in a plain scalar: control and special characters, `: ` and ` #`. */
const UNSAFE_INSIDE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]|: | #/;
/** Words YAML 1.1 or 1.2 reads as null or booleans (at most five characters). */
const KEYWORD = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** `e48`: some YAML 1.1 readers take it for a float. */
const EXPONENT = /^[eE][-+]?[0-9]+$/;
const ESCAPE_EXTRA = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
const WHITESPACE = /\s/;

/** ASCII characters a plain scalar may not start with: indicators, digits and signs (numbers), `.` `~` `<` `=`. */
const UNSAFE_FIRST = new Uint8Array(128);
for (const c of ' \t-?:,[]{}#&*!|>\'"%@`+.0123456789<=~') UNSAFE_FIRST[c.charCodeAt(0)] = 1;
for (let c = 0; c < 32; c++) UNSAFE_FIRST[c] = 1;
UNSAFE_FIRST[127] = 1;

function isPlainSafe(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const first = s.charCodeAt(0);
  if (first < 128 ? UNSAFE_FIRST[first] === 1 : WHITESPACE.test(s[0] as string)) return false;
  const last = s.charCodeAt(n - 1);
  if (last === 58 /* : */ || (last < 128 ? last <= 32 : WHITESPACE.test(s[n - 1] as string))) return false;
  if (UNSAFE_INSIDE.test(s)) return false;
  if (n <= 5 && KEYWORD.test(s)) return false;
  return !((first === 101 || first === 69) && EXPONENT.test(s));
}

/** A double-quoted YAML scalar (JSON's escapes are YAML's too; a few more characters are escaped). */
function quoted(s: string): string {
  const json = JSON.stringify(s);
  return ESCAPE_EXTRA.test(json)
    ? json.replace(ESCAPE_EXTRA, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : json;
}

/** Multi-line text that a literal block keeps exactly. */
function literalBlockOk(s: string): boolean {
  if (!s.includes('\n') || NOT_PRINTABLE.test(s) || s.includes('\r')) return false;
  let i = 0;
  while (s.charCodeAt(i) === 10) i++;
  if (i >= s.length) return false;
  const c = s.charCodeAt(i);
  return c !== 32 && c !== 9;
}

function literalBlock(s: string, indent: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 10) end--;
  const trailing = s.length - end;
  const header = trailing === 0 ? '|-' : trailing === 1 ? '|' : '|+';
  let out = header;
  const lines = s.slice(0, end).split('\n');
  for (const line of lines) out += line === '' ? '\n' : `\n${indent}${line}`;
  for (let k = 1; k < trailing; k++) out += '\n';
  return out;
}

// Keys repeat across every object of a kind (name, template, arguments, …): each is checked once.
const keys = new Map<string, string>();
function key(k: string): string {
  let written = keys.get(k);
  if (written === undefined) {
    written = isPlainSafe(k) ? k : quoted(k);
    if (keys.size < 10_000) keys.set(k, written);
  }
  return written;
}

/** A scalar after `key: ` or `- `; `indent` is where a literal block's lines go. */
function scalar(v: unknown, indent: string): string {
  switch (typeof v) {
    case 'string':
      if (isPlainSafe(v)) return v;
      return literalBlockOk(v) ? literalBlock(v, indent) : quoted(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      if (v === null) return 'null';
      break;
    default:
      break;
  }
  throw new TypeError(`cannot write a ${typeof v} as YAML`);
}

function isCollection(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function isEmpty(v: object): boolean {
  if (Array.isArray(v)) return v.length === 0;
  for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return false;
  return true;
}

/** Appends a block mapping; its first line starts with `first` (the indent, or an item's `- `) instead of `indent`. */
function mapping(out: string[], obj: Record<string, unknown>, indent: string, first: string = indent): void {
  let lead = first;
  const child = `${indent}  `;
  for (const k of orderedKeys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    out.push(lead, key(k), ':');
    lead = indent;
    if (!isCollection(v)) out.push(' ', scalar(v, child), '\n');
    else if (isEmpty(v)) out.push(Array.isArray(v) ? ' []\n' : ' {}\n');
    else {
      out.push('\n');
      if (Array.isArray(v)) sequence(out, v, child);
      else mapping(out, v as Record<string, unknown>, child);
    }
  }
}

/** Appends a block sequence; its first line starts with `first` instead of `indent`. */
function sequence(out: string[], arr: readonly unknown[], indent: string, first: string = indent): void {
  let lead = first;
  const child = `${indent}  `;
  for (const v of arr) {
    const dash = `${lead}- `;
    lead = indent;
    if (!isCollection(v)) out.push(dash, scalar(v, child), '\n');
    else if (isEmpty(v)) out.push(dash, Array.isArray(v) ? '[]\n' : '{}\n');
    else if (Array.isArray(v)) sequence(out, v, child, dash);
    else mapping(out, v as Record<string, unknown>, child, dash);
  }
}

/**
 * Writes JSON data as deterministic block YAML, with an optional comment header.
 * @example toYaml({ apiVersion: 'v1', kind: 'ConfigMap' }, { header: 'Generated.' })
 */
export function toYaml(value: unknown, options: { readonly header?: string } = {}): string {
  const head = options.header ? `${options.header.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n')}\n` : '';
  if (!isCollection(value)) {
    return `${head}${typeof value === 'string' ? quoted(value) : scalar(value, '')}\n`;
  }
  if (isEmpty(value)) return `${head}${Array.isArray(value) ? '[]' : '{}'}\n`;
  const out: string[] = [head];
  if (Array.isArray(value)) sequence(out, value, '');
  else mapping(out, value as Record<string, unknown>, '');
  return out.join('');
}

/** The header every generated file starts with. */
export function generatedHeader(file: string): string {
  return `Generated by argots from ${file}. Do not edit: change the source and run 'argots compile'.`;
}
