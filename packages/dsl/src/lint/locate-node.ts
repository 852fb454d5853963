import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface NodePosition {
  readonly line: number;
  readonly column: number;
}

function keyMatches(key: unknown, part: string | number): boolean {
  return isScalar(key) ? String(key.value) === String(part) : false;
}

/**
 * The position of the YAML node at `path` inside a parsed document: the key of a map entry, the item of a
 * sequence, or (for a path into a missing field) the deepest existing ancestor.
 */
export function locateNode(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[]): NodePosition | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as Node | null)?.range?.[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyMatches(p.key, part));
      if (!pair) break;
      const keyOffset = (pair.key as Node | null)?.range?.[0];
      node = pair.value;
      offset = keyOffset ?? (node as Node | null)?.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof part === 'number') {
      const item: unknown = node.items[part];
      if (item === undefined) break;
      node = item;
      offset = (item as Node | null)?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}
