/**
 * The check behind "nothing else in the file changes": an edited YAML text is parsed again and compared,
 * node by node, with the original. A value may differ only where it lies wholly inside text the edit
 * wrote; a key, list entry or document may be added only as written text; nothing may disappear but an
 * entry whose whole text a splice removed. Embedded YAML (Helm `values: |`) is checked on its own and must
 * read back as its checked edit. A failure is an
 * editing bug: it is reported (RUN703) instead of committing a file whose meaning changed.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parse as parseYaml, parseAllDocuments } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { RuntimeError } from '../../runtime-error.js';

export interface WrittenSplice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Where in the edited text the splices' own text lies. */
function writtenRegions(splices: readonly WrittenSplice[]): readonly (readonly [number, number])[] {
  const sorted = [...splices].sort((a, b) => a.start - b.start);
  const regions: [number, number][] = [];
  let delta = 0;
  for (const s of sorted) {
    const start = s.start + delta;
    regions.push([start, start + s.text.length]);
    delta += s.text.length - (s.end - s.start);
  }
  return regions;
}

class Mismatch extends Error {}

/** The value at `path` (map keys, list indexes) in a plain value. */
function valueAt(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (Array.isArray(v)) v = v[Number(key)];
    else if (v instanceof Map) v = v.get(key);
    else if (v !== null && typeof v === 'object') v = (v as Record<string, unknown>)[key];
    else return undefined;
  }
  return v;
}

/**
 * Throws RUN703 unless `edited` reads as `original` (its text, or its parsed documents) wherever the splices did not write. `embedded` maps the
 * start offset (in `original`) of a block scalar holding YAML to the checked text it must now read as.
 */
export function checkEdit(
  file: string,
  original: string | readonly Document.Parsed[],
  edited: string,
  splices: readonly WrittenSplice[],
  embedded: ReadonlyMap<number, string>,
): void {
  const regions = writtenRegions(splices);
  const written = (from: number, to: number): boolean => regions.some(([s, e]) => s <= from && to <= e);
  const nodeWritten = (n: Node | null | undefined): boolean => {
    const r = n?.range;
    return r !== undefined && r !== null && written(r[0], r[1]);
  };
  const pairWritten = (p: Pair): boolean => {
    const key = p.key as Node | null;
    const value = p.value as Node | null;
    const from = key?.range?.[0] ?? value?.range?.[0];
    const to = value?.range?.[1] ?? key?.range?.[1];
    return from !== undefined && to !== undefined && written(from, to);
  };
  // An entry of the original may disappear only where a splice removed its whole text (key to value).
  const pairRemoved = (p: Pair): boolean => {
    const from = (p.key as Node | null)?.range?.[0];
    const to = (p.value as Node | null)?.range?.[1] ?? (p.key as Node | null)?.range?.[1];
    return from !== undefined && to !== undefined && splices.some((s) => s.text === '' && s.start <= from && to <= s.end);
  };
  const keyOf = (p: Pair): string => (isScalar(p.key) ? String(p.key.value) : JSON.stringify(p.key));
  const at = (path: readonly string[]): string => (path.length === 0 ? 'the document' : `"${path.join('.')}"`);

  /** The two documents being compared, as plain values (aliases resolved): made when an alias is met. */
  let docs: { readonly before: Document.Parsed | undefined; readonly after: Document.Parsed } | undefined;
  let plain: { readonly before: unknown; readonly after: unknown } | undefined;
  const plainDocs = (): { readonly before: unknown; readonly after: unknown } =>
    (plain ??= { before: docs?.before?.toJS({ maxAliasCount: -1 }), after: docs?.after.toJS({ maxAliasCount: -1 }) });
  const compare = (before: unknown, after: unknown, path: readonly string[]): void => {
    if (after === null || after === undefined) {
      if (before !== null && before !== undefined && !(isScalar(before) && before.value === null)) throw new Mismatch(`${at(path)} lost its value`);
      return;
    }
    if (nodeWritten(after as Node)) return;
    if (isScalar(after)) {
      const start = isScalar(before) ? before.range?.[0] : undefined;
      const inner = start === undefined ? undefined : embedded.get(start);
      if (inner !== undefined) {
        if (!isDeepStrictEqual(parseYaml(String(after.value)), parseYaml(inner))) throw new Mismatch(`the YAML embedded at ${at(path)} does not read as its edit`);
        return;
      }
      const old = before === null || before === undefined ? null : isScalar(before) ? before.value : undefined;
      if (old === undefined || !isDeepStrictEqual(old, after.value)) throw new Mismatch(`${at(path)} would change`);
      return;
    }
    if (isAlias(after)) {
      if (!isAlias(before) || before.source !== after.source) throw new Mismatch(`${at(path)} would change`);
      // The same alias, but its anchor's value may have been edited where it stands: what the alias reads
      // must not change (that would be an edit of this place too).
      if (!isDeepStrictEqual(valueAt(plainDocs().before, path), valueAt(plainDocs().after, path))) throw new Mismatch(`${at(path)} (an alias of &${after.source}) would change`);
      return;
    }
    if (isMap(after)) {
      if (!isMap(before)) throw new Mismatch(`${at(path)} would no longer be what it was`);
      const old = new Map<string, Pair>();
      for (const p of before.items) if (isPair(p)) old.set(keyOf(p), p);
      const seen = new Set<string>();
      for (const p of after.items) {
        if (!isPair(p)) continue;
        const key = keyOf(p);
        seen.add(key);
        const was = old.get(key);
        if (was) compare(was.value, p.value, [...path, key]);
        else if (!pairWritten(p)) throw new Mismatch(`${at([...path, key])} would appear`);
      }
      for (const [key, p] of old) if (!seen.has(key) && !pairRemoved(p)) throw new Mismatch(`${at([...path, key])} would disappear`);
      return;
    }
    if (isSeq(after)) {
      if (!isSeq(before)) throw new Mismatch(`${at(path)} would no longer be a list`);
      if (after.items.length < before.items.length) throw new Mismatch(`${at(path)} would lose entries`);
      after.items.forEach((item, i) => {
        if (i < before.items.length) compare(before.items[i], item, [...path, String(i)]);
        else if (!nodeWritten(item as Node) && !(isPair(item) && pairWritten(item))) throw new Mismatch(`${at([...path, String(i)])} would appear`);
      });
    }
  };

  const fail = (what: string): never => {
    throw new RuntimeError('RUN703', `"${file}": the edit would change more than the image (${what}); nothing was written`, {
      hint: 'this is a bug in argots: please report it with the file; set the image in this file by hand meanwhile',
    });
  };
  const after = [...parseAllDocuments(edited, { keepSourceTokens: false, uniqueKeys: false })];
  const before = typeof original === 'string' ? [...parseAllDocuments(original, { keepSourceTokens: false, uniqueKeys: false })] : original;
  const error = after.flatMap((d) => d.errors)[0];
  if (error) fail(`it would not be valid YAML: ${error.message.split('\n')[0] ?? ''}`);
  if (after.length !== before.length) fail(`${before.length} documents would become ${after.length}`);
  try {
    after.forEach((doc, i) => {
      docs = { before: before[i] as Document.Parsed | undefined, after: doc as Document.Parsed };
      plain = undefined;
      compare(before[i]?.contents, doc.contents, []);
    });
  } catch (e) {
    if (e instanceof Mismatch) fail(e.message);
    throw e;
  }
}
