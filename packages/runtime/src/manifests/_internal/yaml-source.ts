/**
 * Byte-precise YAML edits: the file is parsed only to find where things are; changes are splices of the
 * original text (a scalar's own characters, or entries inserted after a collection's last entry), so comments,
 * blank lines, quoting, key order, document markers and CRLF line endings all survive untouched.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parse as parseYaml, visit } from 'yaml';
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { RuntimeError } from '../../runtime-error.js';
import { checkEdit } from './edit-check.js';

export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type YamlPath = readonly (string | number)[];

export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly docs: readonly Document.Parsed[];
  readonly eol: string;
  private readonly splices: Splice[] = [];
  private readonly embedded = new Map<number, string>();
  private aliasSources: ReadonlySet<string> | undefined;

  constructor(file: string, text: string) {
    this.file = file;
    this.text = text;
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lines = new LineCounter();
    this.docs = parseAllDocuments(text, { lineCounter: lines, keepSourceTokens: false, uniqueKeys: false }) as Document.Parsed[];
    const problems = this.docs.flatMap((d) => d.errors);
    const first = problems[0];
    if (first) {
      const at = lines.linePos(first.pos[0]);
      throw new RuntimeError('RUN700', `"${file}" is not valid YAML at line ${at.line}, column ${at.col}: ${first.message.split('\n')[0] ?? ''}`, {
        hint: 'fix the file in the GitOps repository; nothing was changed',
      });
    }
  }

  /** The documents' plain values (`null` for an empty document). */
  values(): unknown[] {
    return this.docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
  }

  /** The splices made so far (offsets into {@link text}). */
  pending(): readonly Splice[] {
    return this.splices;
  }

  get changed(): boolean {
    return this.splices.length > 0;
  }

  /**
   * The edited text, checked: it parses, and reads as the original wherever the edit did not write
   * (RUN703 otherwise; see {@link checkEdit}).
   */
  checkedResult(): string {
    const out = this.result();
    if (this.splices.length > 0) checkEdit(this.file, this.docs, out, this.splices, this.embedded);
    return out;
  }

  /** Whether an alias (`*name`) anywhere in the file reads the anchor `name`. */
  aliased(name: string): boolean {
    if (!this.aliasSources) {
      const found = new Set<string>();
      for (const doc of this.docs) visit(doc, { Alias: (_, node) => void found.add(node.source) });
      this.aliasSources = found;
    }
    return this.aliasSources.has(name);
  }

  /** Records that the block scalar starting at `start` holds YAML whose checked edit is `text`. */
  embed(start: number, text: string): void {
    this.embedded.set(start, text);
  }

  /** The edited text (unchecked: see {@link checkedResult}). */
  result(): string {
    // Back to front; of two insertions at one place, the one made first ends up first.
    const sorted = this.splices.map((s, i) => ({ s, i })).sort((a, b) => b.s.start - a.s.start || b.i - a.i).map((x) => x.s);
    let out = this.text;
    for (const s of sorted) out = out.slice(0, s.start) + s.text + out.slice(s.end);
    return out;
  }

  addSplice(s: Splice): void {
    if (this.text.slice(s.start, s.end) === s.text) return;
    for (const o of this.splices) {
      if (s.start < o.end && o.start < s.end) throw new Error(`overlapping YAML edits in ${this.file}`);
    }
    this.splices.push(s);
  }

  /** Sets the scalar at `path` (from `node`, a map) to `value`, creating missing keys. Returns true when it changed. */
  setIn(node: YAMLMap, path: readonly string[], value: string): boolean {
    return setAllInMap(this, node, [[path, value]]);
  }

  /** Sets several paths at once (missing keys sharing a parent are created under one new parent). */
  setAll(node: YAMLMap, entries: readonly Assignment[]): boolean {
    return setAllInMap(this, node, entries);
  }

  /** Replaces a scalar's characters with `value`, keeping its quoting style when the value allows it. */
  setScalar(node: Scalar, value: string): boolean {
    return replaceScalar(this, node, value, (o) => o);
  }

  /**
   * Removes the entry `key` of `map`, whose value must be a scalar on the key's line: in a block map its whole
   * line goes (a trailing comment with it; the comments and blank lines around stay), in a flow map the entry
   * and one comma. Returns false when there is no such key. The map must keep another entry (removing the last
   * would turn it into null), and the key must not be anchored or aliased.
   */
  removeKey(map: YAMLMap, key: string): boolean {
    return removePair(this, map, key);
  }
}

function removePair(src: YamlSource, map: YAMLMap, key: string): boolean {
  const index = map.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === key);
  if (index === -1) return false;
  const pair = map.items[index] as Pair;
  const keyNode = pair.key as Scalar;
  const value = pair.value as Node | null;
  const refuse = (why: string): never => {
    throw new RuntimeError('RUN701', `"${src.file}": "${key}" cannot be removed: ${why}`, { hint: `remove "${key}" by hand and run again` });
  };
  if (map.items.length < 2) refuse('it is the only entry of its map');
  if (value !== null && !isScalar(value)) refuse(`expected a plain value, received a ${isMap(value) ? 'map' : isSeq(value) ? 'list' : 'alias'}`);
  if ((value as Scalar | null)?.anchor !== undefined && src.aliased((value as Scalar).anchor!)) refuse('its value is anchored and read elsewhere through an alias');
  const text = src.text;
  const keyStart = keyNode.range?.[0];
  const valueEnd = (value as Scalar | null)?.range?.[1] ?? keyNode.range?.[1];
  if (keyStart === undefined || valueEnd === undefined) throw new Error('map entry without a source range');
  if (map.flow) {
    // `{ a: 1, newTag: x, b: 2 }`: from this entry to the next one; the last entry goes with the comma before it.
    const next = map.items[index + 1] as Pair | undefined;
    const nextStart = (next?.key as Node | null)?.range?.[0];
    if (next && nextStart !== undefined) src.addSplice({ start: keyStart, end: nextStart, text: '' });
    else {
      const prev = map.items[index - 1] as Pair;
      const prevEnd = (prev.value as Node | null)?.range?.[1] ?? (prev.key as Node).range?.[1] ?? keyStart;
      src.addSplice({ start: prevEnd, end: valueEnd, text: '' });
    }
    return true;
  }
  const lineStart = lineStartOf(text, keyStart);
  const afterValue = text.slice(valueEnd).split('\n', 1)[0]!;
  if (text.slice(keyStart, valueEnd).includes('\n') || afterValue.replace(/(^|\s)#.*$/, '').trim() !== '') refuse('its value goes on past its line');
  const nl = text.indexOf('\n', valueEnd);
  const lineEnd = nl === -1 ? text.length : nl + 1;
  if (/^[ \t]*$/.test(text.slice(lineStart, keyStart))) {
    // The key starts its line: the line goes. At the end of a file without a final line break, the break
    // before it goes instead.
    if (nl === -1 && lineStart > 0) src.addSplice({ start: text[lineStart - 2] === '\r' ? lineStart - 2 : lineStart - 1, end: text.length, text: '' });
    else src.addSplice({ start: lineStart, end: lineEnd, text: '' });
    return true;
  }
  // The first entry of a list item (`- newTag: x`): the next entry moves up after the `- `.
  const next = map.items[index + 1] as Pair | undefined;
  const nextStart = (next?.key as Node | null)?.range?.[0];
  if (index !== 0 || nextStart === undefined) refuse('it does not start its line');
  src.addSplice({ start: keyStart, end: nextStart!, text: '' });
  return true;
}

export function nodeAt(doc: Document.Parsed, path: YamlPath): Node | undefined {
  const n = doc.getIn(path, true) as unknown;
  return n && typeof n === 'object' ? (n as Node) : undefined;
}

export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? (node as YAMLMap) : undefined;
}

export function mapKeys(map: YAMLMap): string[] {
  return map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter((k) => k !== '');
}

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

export function seqItems(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

/** A scalar value as YAML would write it plain, or quoted when plain would not read back as the same string. */
export function renderScalar(value: string, style: Scalar['type'] | undefined): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (plainReadsBack(value)) return value;
  return JSON.stringify(value);
}

function plainReadsBack(value: string): boolean {
  if (value === '' || /^\s|\s$/.test(value) || /[\r\n#]|: |^[-?:,[\]{}&*!|>'"%@`]/.test(value)) return false;
  try {
    return (parseYaml(`k: ${value}\n`) as { k?: unknown } | null)?.k === value;
  } catch {
    return false;
  }
}

type MapOffset = (offset: number) => number;

function replaceScalar(src: YamlSource, node: Scalar, value: string, map: MapOffset): boolean {
  if (node.value !== null && String(node.value) === value && typeof node.value === 'string') return false;
  if (node.anchor !== undefined && src.aliased(node.anchor)) {
    throw new RuntimeError('RUN704', `"${src.file}": the value to set is anchored (&${node.anchor}) and read elsewhere through *${node.anchor}: changing it would change those places too`, {
      hint: `give the image its own value instead of sharing it through &${node.anchor}, or set the places that read *${node.anchor} by hand`,
    });
  }
  const range = node.range;
  if (!range) throw new Error('scalar without a source range');
  let style = node.type;
  if (style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED') style = 'QUOTE_DOUBLE';
  // A null written as nothing (`tag:`) has an empty range: write the value there.
  const text = renderScalar(value, style === 'PLAIN' && node.value === null ? 'PLAIN' : style);
  const empty = range[0] === range[1];
  const at = map(range[0]);
  // Written into nothing (`tag:`, `tag:  # note`): spaced from the `:` before and from a comment after,
  // which would otherwise read as part of the value.
  const before = empty && !/\s/.test(src.text[at - 1] ?? ' ') ? ' ' : '';
  const after = empty && src.text[at] === '#' ? ' ' : '';
  // A block scalar (`tag: |`) ends after its line breaks and trailing blank lines: those stay, only the
  // indicator and the content are replaced.
  let end = map(range[1]);
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') while (end > at && /[ \t\r\n]/.test(src.text[end - 1] ?? '')) end--;
  src.addSplice({ start: at, end, text: `${before}${text}${after}` });
  return true;
}

/** An alias stands for its anchor's value elsewhere in the file: editing through it would change that too. */
function aliasRefused(src: YamlSource, key: string, alias: Alias): RuntimeError {
  return new RuntimeError('RUN704', `"${src.file}": "${key}" is an alias (*${alias.source}) of a value set elsewhere in the file`, {
    hint: `set the image where the anchor &${alias.source} is, or give "${key}" its own value`,
  });
}

/** The offset of the `:` that follows `from` past blanks, line breaks and comments, or -1 if something else comes first. */
function indicatorAfter(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '#' && (i === from || /\s/.test(text[i - 1] ?? ''))) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol;
    } else return c === ':' ? i : -1;
  }
  return -1;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export type Assignment = readonly [path: readonly string[], value: string];

function groupByHead(entries: readonly Assignment[]): Map<string, Assignment[]> {
  const groups = new Map<string, Assignment[]>();
  for (const [path, value] of entries) {
    const [head, ...rest] = path;
    if (head === undefined) throw new Error('empty YAML path');
    const list = groups.get(head) ?? [];
    list.push([rest, value]);
    groups.set(head, list);
  }
  return groups;
}

function renderTree(entries: readonly Assignment[], indent: number, step: number): string[] {
  const lines: string[] = [];
  for (const [key, list] of groupByHead(entries)) {
    const pad = ' '.repeat(indent);
    const leaf = list.find(([rest]) => rest.length === 0);
    if (leaf) lines.push(`${pad}${key}: ${renderScalar(leaf[1], 'PLAIN')}`);
    else lines.push(`${pad}${key}:`, ...renderTree(list, indent + step, step));
  }
  return lines;
}

/**
 * Sets nested key paths in a map, creating missing keys (and maps) as new lines after the map's last entry.
 * `text` is the text offsets index; `toSource` maps them into the file (they differ for embedded YAML).
 * Returns true when something changed.
 */
export function setAllInMap(
  src: YamlSource,
  map: YAMLMap,
  entries: readonly Assignment[],
  toSource: MapOffset = (o) => o,
  text: string = src.text,
  eol: string = src.eol,
): boolean {
  let changed = false;
  const missing: Assignment[] = [];
  for (const [key, list] of groupByHead(entries)) {
    const pair = pairOf(map, key);
    if (!pair) {
      for (const [rest, value] of list) missing.push([[key, ...rest], value]);
      continue;
    }
    const leaf = list.find(([rest]) => rest.length === 0);
    if (leaf) {
      if (pair.value !== null && !isScalar(pair.value)) {
        if (isAlias(pair.value)) throw aliasRefused(src, key, pair.value);
        throw new RuntimeError('RUN701', `"${src.file}": "${key}" is expected to be a plain value, received a ${isMap(pair.value) ? 'map' : 'list'}`, {
          hint: 'point the value paths in the layout file at scalars',
        });
      }
      if (pair.value === null) {
        // A key without a value node: `tag:` (the `:` follows, maybe after spaces, or on the next line for an
        // explicit `? tag`), or a flow map's bare `{tag}` / `{tag, …}` (no `:` at all).
        const keyEnd = (pair.key as Scalar).range?.[1] ?? 0;
        const colon = indicatorAfter(text, keyEnd);
        if (colon !== -1) src.addSplice({ start: toSource(colon + 1), end: toSource(colon + 1), text: ` ${renderScalar(leaf[1], 'PLAIN')}` });
        else if (map.flow) src.addSplice({ start: toSource(keyEnd), end: toSource(keyEnd), text: `: ${renderScalar(leaf[1], 'PLAIN')}` });
        else {
          throw new RuntimeError('RUN701', `"${src.file}": "${key}" has no value and no ":" to write one after`, {
            hint: 'write the key as "key:" (or give it any value) and run again',
          });
        }
        changed = true;
      } else if (replaceScalar(src, pair.value as Scalar, leaf[1], toSource)) {
        changed = true;
      }
      continue;
    }
    if (!isMap(pair.value)) {
      if (isAlias(pair.value)) throw aliasRefused(src, key, pair.value);
      throw new RuntimeError('RUN701', `"${src.file}": "${key}" is expected to be a map holding "${list.map(([r]) => r.join('.')).join('", "')}"`, {
        hint: 'check the value paths configured in the layout file',
      });
    }
    if (setAllInMap(src, pair.value as YAMLMap, list, toSource, text, eol)) changed = true;
  }
  if (missing.length > 0) {
    insertIntoMap(src, map, missing, toSource, text, eol);
    changed = true;
  }
  return changed;
}

function insertIntoMap(src: YamlSource, map: YAMLMap, entries: readonly Assignment[], toSource: MapOffset, text: string, eol: string): void {
  const range = map.range;
  if (!range) throw new Error('map without range');
  if (map.anchor !== undefined && src.aliased(map.anchor)) {
    throw new RuntimeError('RUN704', `"${src.file}": the map to add "${entries.map(([p]) => p.join('.')).join('", "')}" to is anchored (&${map.anchor}) and read elsewhere through *${map.anchor}: adding to it would add there too`, {
      hint: `give the image its own map instead of sharing it through &${map.anchor}`,
    });
  }
  if (map.flow) {
    appendToFlow(src, map, renderFlowEntries(entries), toSource, text, eol);
    return;
  }
  const firstKey = map.items[0]?.key as Scalar | undefined;
  const keyStart = firstKey?.range?.[0] ?? range[0];
  // The column of the first key; for an explicit key (`? tag`) the column of its `?`.
  const prefix = text.slice(lineStartOf(text, keyStart), keyStart);
  const explicit = /\?[ \t]+$/.exec(prefix);
  const indent = explicit ? prefix.length - explicit[0].length : prefix.length;
  const block = renderTree(entries, indent, 2).join(eol);
  // After the last entry's own line (its trailing comment included).
  const last = map.items[map.items.length - 1];
  const lastEnd = last ? ((last.value as Node | null)?.range?.[1] ?? (last.key as Node).range?.[2] ?? range[1]) : range[1];
  const nl = text.indexOf('\n', Math.max(lastEnd - 1, 0));
  if (nl === -1) src.addSplice({ start: toSource(text.length), end: toSource(text.length), text: `${eol}${block}` });
  else src.addSplice({ start: toSource(nl + 1), end: toSource(nl + 1), text: `${block}${eol}` });
}

/** Missing keys as flow map entries, one per key (`image: { tag: 1.4.2, digest: sha256:… }`). */
function renderFlowEntries(entries: readonly Assignment[]): string[] {
  return [...groupByHead(entries)].map(([key, list]) => {
    const leaf = list.find(([rest]) => rest.length === 0);
    return `${key}: ${leaf ? renderScalar(leaf[1], 'PLAIN') : `{ ${renderFlowEntries(list).join(', ')} }`}`;
  });
}

/** Where an entry of a flow collection starts and where its value ends (before any comma or comment). */
function flowEntrySpan(item: unknown): readonly [start: number, end: number] | undefined {
  if (isPair(item)) {
    const key = item.key as Node | null;
    const value = item.value as Node | null;
    const start = key?.range?.[0] ?? value?.range?.[0];
    const end = value?.range?.[1] ?? key?.range?.[1];
    return start === undefined || end === undefined ? undefined : [start, end];
  }
  const r = (item as Node | null)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/**
 * Adds rendered entries at the end of a flow map or sequence, at any depth, in the collection's own layout:
 * when its last entry stands on a line of its own, each new entry gets a line of its own (that entry's
 * indentation, `eol`); otherwise they follow the last entry on its line. A trailing comma stays trailing,
 * and comments stay where they are. The collection's own closing bracket is the one just before `range[1]`.
 */
function appendToFlow(src: YamlSource, node: YAMLMap | YAMLSeq, entries: readonly string[], toSource: MapOffset, text: string, eol: string): void {
  const range = node.range;
  if (!range) throw new Error('flow collection without a source range');
  const closer = isMap(node) ? '}' : ']';
  const close = range[1] - 1;
  if (text[close] !== closer) throw new Error(`flow collection in ${src.file} does not end with "${closer}" at offset ${close}`);
  const last = node.items[node.items.length - 1];
  if (last === undefined) {
    // Empty: `{}` → `{ k: v }`, `[]` → `[v]`.
    const pad = isMap(node) ? ' ' : '';
    src.addSplice({ start: toSource(close), end: toSource(close), text: `${text[close - 1] === ' ' ? '' : pad}${entries.join(', ')}${pad}` });
    return;
  }
  const span = flowEntrySpan(last);
  if (!span) throw new Error(`flow collection entry without a source range in ${src.file}`);
  const [start, end] = span;
  // What follows the last entry: spaces, a trailing comma, a comment, then the closer or a line break.
  let at = end;
  const skipBlanks = (): void => {
    while (text[at] === ' ' || text[at] === '\t') at++;
  };
  skipBlanks();
  const trailingComma = text[at] === ',';
  if (trailingComma) at++;
  skipBlanks();
  if (text[at] === '#') at = text.indexOf('\n', at);
  if (text[at] === '\r') at++;
  const indent = text.slice(lineStartOf(text, start), start);
  if (text[at] === '\n' && /^[ \t]*$/.test(indent)) {
    const lines = entries.map((e, i) => `${indent}${e}${i < entries.length - 1 || trailingComma ? ',' : ''}${eol}`).join('');
    if (!trailingComma) src.addSplice({ start: toSource(end), end: toSource(end), text: ',' });
    src.addSplice({ start: toSource(at + 1), end: toSource(at + 1), text: lines });
    return;
  }
  src.addSplice({ start: toSource(end), end: toSource(end), text: `, ${entries.join(', ')}` });
}

/**
 * Edits YAML held in a block scalar (Argo CD `helm.values: |`): parses the inner text, edits it, and maps
 * every splice back into the outer file, re-adding the block's indentation.
 */
export function editEmbeddedYaml(src: YamlSource, node: Scalar, edit: (inner: YamlSource) => boolean): boolean {
  if (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED') {
    throw new RuntimeError('RUN702', `"${src.file}": embedded Helm values are expected as a block scalar ("values: |"), received a ${node.type ?? 'value'}`, {
      hint: 'write the values as a literal block (values: |), or use valuesObject',
    });
  }
  const range = node.range;
  if (!range) throw new Error('scalar without range');
  const bodyStart = src.text.indexOf('\n', range[0]) + 1;
  const body = src.text.slice(bodyStart, range[1]);
  const srcLines = body.split('\n');
  const indent = Math.min(...srcLines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0));
  const removed: number[] = [];
  const innerLines = srcLines.map((l) => {
    const cut = Math.min(indent, /^ */.exec(l)?.[0].length ?? 0);
    removed.push(cut);
    return l.slice(cut);
  });
  const innerText = innerLines.join('\n');
  const innerStarts: number[] = [];
  let acc = 0;
  for (const l of innerLines) {
    innerStarts.push(acc);
    acc += l.length + 1;
  }
  // An offset at the start of an inner line maps to the start of the outer line, before the block's
  // indentation: the splice's text gets that indentation back below.
  const toSource = (o: number, atLineStart = false): number => {
    let k = 0;
    while (k + 1 < innerStarts.length && (innerStarts[k + 1] ?? Infinity) <= o) k++;
    const col = o - (innerStarts[k] ?? 0);
    let srcStart = bodyStart;
    for (let i = 0; i < k; i++) srcStart += (srcLines[i]?.length ?? 0) + 1;
    return atLineStart ? srcStart : srcStart + (removed[k] ?? 0) + col;
  };
  const inner = new YamlSource(`${src.file} (embedded values)`, innerText);
  if (!edit(inner)) return false;
  src.embed(range[0], inner.checkedResult());
  const pad = ' '.repeat(indent);
  for (const s of inner.pending()) {
    const atLineStart = s.start === 0 || innerText[s.start - 1] === '\n';
    const text = s.text
      .split('\n')
      .map((seg, i) => ((i === 0 && !atLineStart) || seg === '' || seg === '\r' ? seg : pad + seg))
      .join('\n');
    src.addSplice({ start: toSource(s.start, atLineStart), end: toSource(s.end, atLineStart && s.end === s.start), text });
  }
  return true;
}

/** Appends `{ name, value }` to a list of such maps (Argo CD `helm.parameters`), in the list's own layout. */
export function appendNameValue(src: YamlSource, seq: YAMLSeq, name: string, value: string): void {
  const text = src.text;
  const entry = `name: ${renderScalar(name, 'PLAIN')}`;
  const val = `value: ${renderScalar(value, 'QUOTE_DOUBLE')}`;
  if (seq.flow) {
    appendToFlow(src, seq, [`{ ${entry}, ${val} }`], (o) => o, text, src.eol);
    return;
  }
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  const lastRange = last?.range;
  if (!last || !lastRange) throw new Error('cannot append to an empty block sequence');
  const lineStart = text.lastIndexOf('\n', lastRange[0] - 1) + 1;
  const dash = text.lastIndexOf('-', lastRange[0]);
  const dashCol = dash >= lineStart ? dash - lineStart : lastRange[0] - lineStart - 2;
  const keyCol = lastRange[0] - lineStart;
  const nl = text.indexOf('\n', Math.max(lastRange[1] - 1, 0));
  const block = `${' '.repeat(dashCol)}-${' '.repeat(Math.max(1, keyCol - dashCol - 1))}${entry}${src.eol}${' '.repeat(keyCol)}${val}`;
  if (nl === -1) src.addSplice({ start: text.length, end: text.length, text: `${src.eol}${block}` });
  else src.addSplice({ start: nl + 1, end: nl + 1, text: `${block}${src.eol}` });
}
