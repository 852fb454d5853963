/**
 * `withItems`, `withParam` and `withSequence` expanded as Argo does (`workflow/controller/steps.go` processItem,
 * expandSequence): each item gives a node named `name(index:value)` and the variables `item` and `item.<key>`.
 */
import { formatGoFloat } from '@argots/expr';
import type { Item, NodeCall, Sequence } from '../model/workflow.js';

export interface ExpandedItem {
  /** `name(0:value)` */
  readonly name: string;
  readonly vars: ReadonlyMap<string, string>;
}

export class LoopError extends Error {
  override readonly name = 'LoopError';
}

/** Go's `%v` of a JSON value as Argo's Item prints it. */
function goValue(v: Item): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatGoFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${(v as readonly Item[]).map(goValue).join(' ')}]`;
  const entries = Object.entries(v as Record<string, Item>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, x]) => `${k}:${goValue(x)}`).join(' ')}]`;
}

export function expandItem(base: string, index: number, item: Item): ExpandedItem {
  const vars = new Map<string, string>();
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const vals: string[] = [];
    for (const [k, v] of Object.entries(item as Record<string, Item>)) {
      const text = typeof v === 'object' && v !== null ? JSON.stringify(v) : goValue(v);
      vars.set(`item.${k}`, text);
      vals.push(`${k}:${goValue(v)}`);
    }
    vars.set('item', JSON.stringify(item));
    vals.sort();
    return { name: `${base}(${index}:${vals.join(',')})`, vars };
  }
  if (Array.isArray(item)) {
    vars.set('item', JSON.stringify(item));
    return { name: `${base}(${index}:${goValue(item)})`, vars };
  }
  vars.set('item', goValue(item));
  return { name: `${base}(${index}:${goValue(item)})`, vars };
}

function int(value: string | number | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) throw new LoopError(`withSequence.${field} "${value}" is not an integer`);
  return n;
}

function sprintfInt(format: string, n: number): string {
  return format.replace(/%(0?)(\d*)d/g, (_, zero: string, width: string) => {
    const s = String(Math.abs(n));
    const padded = width ? s.padStart(Number(width) - (n < 0 ? 1 : 0), zero ? '0' : ' ') : s;
    return n < 0 ? `-${padded}` : padded;
  });
}

export function expandSequence(seq: Sequence): Item[] {
  const start = int(seq.start, 'start') ?? 0;
  const count = int(seq.count, 'count');
  const end = int(seq.end, 'end');
  if (count !== undefined && end !== undefined) throw new LoopError('withSequence takes count or end, not both');
  const format = seq.format ?? '%d';
  const items: Item[] = [];
  if (count !== undefined) for (let i = 0; i < count; i += 1) items.push(sprintfInt(format, start + i));
  else {
    const last = end ?? start;
    if (last >= start) for (let i = start; i <= last; i += 1) items.push(sprintfInt(format, i));
    else for (let i = start; i >= last; i -= 1) items.push(sprintfInt(format, i));
  }
  return items;
}

/** The items of a call, or undefined when it does not loop. `withParam` must already be substituted. */
export function loopItems(call: NodeCall): Item[] | undefined {
  if (call.withItems !== undefined) return [...call.withItems];
  if (call.withParam !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(call.withParam);
    } catch (error) {
      throw new LoopError(`withParam value could not be parsed as a JSON list: ${call.withParam.trim()}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!Array.isArray(parsed)) throw new LoopError(`withParam value could not be parsed as a JSON list: ${call.withParam.trim()}`);
    return parsed as Item[];
  }
  if (call.withSequence !== undefined) return expandSequence(call.withSequence);
  return undefined;
}
