import { isMap, isScalar, LineCounter, parseAllDocuments, visit, type Document, type Tags } from 'yaml';

/**
 * Reading YAML as Argo does. Argo Workflows, Argo Events and kubectl read manifests with `sigs.k8s.io/yaml`
 * (a fork of go-yaml v2, YAML 1.1, converted to JSON before Go's `encoding/json` decodes it). What that
 * means, and what this reader does about it:
 *
 * - YAML 1.1 scalars: `0755` is octal (493), `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0x1F` hex,
 *   `0b101` binary, `1_000` an integer. Not 1.1's sexagesimal numbers (`12:30:00` stays text) nor
 *   timestamps (go-yaml v2 keeps them as text when decoding into an interface), which go-yaml never
 *   resolves.
 * - A multi-line quoted string whose continuation lines are indented no deeper than its parent (`"]` on a
 *   line of its own, as in several Argo examples) is accepted by go-yaml and rejected by YAML 1.2's
 *   indentation rule: those continuation lines are indented before parsing (line numbers are unchanged; a
 *   quoted scalar's leading spaces on a continuation line are folded away, so the value is the same).
 * - Duplicate keys: go-yaml v2 decoding into a map keeps the last one silently; we keep the last one too and
 *   report each duplicate (ARG006, a warning) naming the line that wins.
 */
export interface GoYamlDocument {
  readonly index: number;
  readonly doc: Document;
  /** The first syntax error, when the document is not YAML even as go-yaml reads it. */
  readonly error?: { readonly message: string; readonly offset: number };
}

export interface DuplicateKey {
  readonly document: number;
  readonly key: string;
  /** 1-based lines of every occurrence; the last one wins. */
  readonly lines: readonly number[];
  readonly line: number;
  readonly column: number;
}

export interface GoYamlFile {
  readonly lineCounter: LineCounter;
  readonly documents: readonly GoYamlDocument[];
  readonly duplicates: readonly DuplicateKey[];
  /** Lines whose quoted-string continuation was re-indented (1-based). */
  readonly reindented: readonly number[];
}

const goYamlTags = (tags: Tags): Tags =>
  tags.filter((t) => {
    const tag = typeof t === 'string' ? t : t.tag;
    const format = typeof t === 'string' ? undefined : t.format;
    return format !== 'TIME' && !tag.endsWith(':timestamp');
  });

/** Parses every document of one file as `sigs.k8s.io/yaml` (go-yaml v2) would, keeping node positions. */
export function readYamlAsGo(content: string): GoYamlFile {
  const { text, reindented } = reindentQuotedContinuations(content);
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    merge: true,
    prettyErrors: false,
    version: '1.1',
    uniqueKeys: false,
    customTags: goYamlTags,
  });
  const list = Array.isArray(parsed) ? parsed : [];
  const documents: GoYamlDocument[] = [];
  const duplicates: DuplicateKey[] = [];
  list.forEach((doc, index) => {
    const first = doc.errors[0];
    if (first) {
      documents.push({ index, doc, error: { message: first.message.split('\n')[0] ?? '', offset: first.pos[0] } });
      return;
    }
    documents.push({ index, doc });
    visit(doc, {
      Map(_key, map) {
        const seen = new Map<string, { lines: number[]; line: number; column: number }>();
        for (const pair of map.items) {
          const key = pair.key;
          if (!isScalar(key) || key.range === undefined || key.range === null) continue;
          const name = key.value === null ? 'null' : String(key.value);
          if (name === '<<') continue;
          const at = lineCounter.linePos(key.range[0]);
          const entry = seen.get(name);
          if (entry) {
            entry.lines.push(at.line);
            entry.line = at.line;
            entry.column = at.col;
          } else seen.set(name, { lines: [at.line], line: at.line, column: at.col });
        }
        for (const [key, entry] of seen) {
          if (entry.lines.length > 1) duplicates.push({ document: index, key, lines: entry.lines, line: entry.line, column: entry.column });
        }
      },
    });
  });
  return { lineCounter, documents, duplicates, reindented };
}

/** True when `value` is a YAML mapping node (re-exported for callers that walk documents). */
export const isYamlMap = isMap;

interface Block {
  readonly indent: number;
}

/**
 * Indents the continuation lines of multi-line quoted scalars that sit at or left of the indentation of the
 * line the scalar starts on (go-yaml accepts them; YAML 1.2 does not). Block scalars and comments are skipped.
 */
export function reindentQuotedContinuations(content: string): { text: string; reindented: number[] } {
  const lines = content.split('\n');
  const reindented: number[] = [];
  let quote: { char: '"' | "'"; indent: number } | undefined;
  let block: Block | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const indent = (/^[ \t]*(?:-[ \t]+)*/.exec(line)?.[0] ?? '').length;
    if (block) {
      if (line.trim() === '' || indent > block.indent) continue;
      block = undefined;
    }
    let from = 0;
    if (quote) {
      if (indent <= quote.indent && line.trim() !== '') {
        const fixed = ' '.repeat(quote.indent + 1) + line.trimStart();
        lines[i] = fixed;
        reindented.push(i + 1);
      }
      const current = lines[i] ?? '';
      const end = closingQuote(current, 0, quote.char);
      if (end < 0) continue;
      const startIndent = quote.indent;
      quote = undefined;
      from = end + 1;
      const rest = scanLine(current, from, startIndent);
      if (rest.open) quote = rest.open;
      else if (rest.block) block = rest.block;
      continue;
    }
    const state = scanLine(line, from, indent);
    if (state.open) quote = state.open;
    else if (state.block) block = state.block;
  }
  return { text: lines.join('\n'), reindented };
}

/** Index of the quote closing a scalar that continues on `line` from `from`, or -1 when it stays open. */
function closingQuote(line: string, from: number, char: '"' | "'"): number {
  for (let j = from; j < line.length; j++) {
    const c = line[j];
    if (char === '"' && c === '\\') {
      j++;
      continue;
    }
    if (c === char) {
      if (char === "'" && line[j + 1] === "'") {
        j++;
        continue;
      }
      return j;
    }
  }
  return -1;
}

/** Scans one line outside any quoted scalar: does a quoted scalar open and stay open, or a block scalar start? */
function scanLine(line: string, from: number, indent: number): { open?: { char: '"' | "'"; indent: number }; block?: Block } {
  let atScalarStart = from === 0 || /[\s[{,:-]$/.test(line.slice(0, from));
  for (let j = from; j < line.length; j++) {
    const c = line[j] ?? '';
    if (c === '#' && (j === 0 || /\s/.test(line[j - 1] ?? ''))) return {};
    if ((c === '"' || c === "'") && atScalarStart) {
      const end = closingQuote(line, j + 1, c);
      if (end < 0) return { open: { char: c, indent } };
      j = end;
      atScalarStart = false;
      continue;
    }
    if (/\s/.test(c) || c === '[' || c === '{' || c === ',') {
      atScalarStart = true;
      continue;
    }
    if ((c === ':' || c === '-' || c === '?') && /\s/.test(line[j + 1] ?? ' ')) {
      atScalarStart = true;
      continue;
    }
    if ((c === '|' || c === '>') && atScalarStart && /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(j))) {
      return { block: { indent } };
    }
    atScalarStart = false;
  }
  return {};
}
