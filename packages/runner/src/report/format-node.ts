import type { RunNode } from '../model/node.js';

const SYMBOL: Record<string, string> = { Succeeded: '✔', Failed: '✖', Error: '⚠', Skipped: '○', Omitted: '-', Running: '●', Pending: '◷' };
const COLOR: Record<string, string> = { Succeeded: '32', Failed: '31', Error: '31', Skipped: '90', Omitted: '90', Running: '36', Pending: '33' };

export function phaseSymbol(phase: string, color: boolean): string {
  const s = SYMBOL[phase] ?? '?';
  return color ? `\x1b[${COLOR[phase] ?? '0'}m${s}\x1b[0m` : s;
}

export function duration(node: RunNode, now: number = Date.now()): string {
  const ms = (node.finishedAt ?? now) - (node.runningAt ?? node.startedAt);
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

/** Nodes that are structure, not work: not printed as lines of their own in plain output. */
export function isStructural(node: RunNode): boolean {
  return node.type === 'StepGroup' || node.type === 'TaskGroup';
}
