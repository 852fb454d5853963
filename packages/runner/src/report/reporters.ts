/**
 * How a run is shown while it runs: `plainReporter` (one line per node change, for logs and CI),
 * `treeReporter` (a live tree on a terminal, like `argo watch`), `jsonReporter` (one JSON object per event).
 */
import type { RunNode } from '../model/node.js';
import type { RunEvent } from '../scheduler/run-types.js';
import { duration, isStructural, phaseSymbol } from './format-node.js';

export type Write = (text: string) => void;

export function plainReporter(write: Write, options: { logs?: boolean } = {}): (e: RunEvent) => void {
  const last = new Map<string, string>();
  return (e) => {
    if (e.type === 'log') {
      if (options.logs) for (const line of e.text.replace(/\n$/, '').split('\n')) write(`  ${e.node}: ${line}\n`);
      return;
    }
    if (e.type === 'workflow') return;
    const n = e.node;
    if (isStructural(n) || n.phase === 'Pending') return;
    const key = `${n.phase}|${n.message}`;
    if (last.get(n.id) === key) return;
    last.set(n.id, key);
    const done = n.finishedAt !== undefined ? ` (${duration(n)})` : '';
    write(`${phaseSymbol(n.phase, false)} ${n.name} ${n.phase}${done}${n.message ? `: ${n.message}` : ''}\n`);
  };
}

export function jsonReporter(write: Write): (e: RunEvent) => void {
  return (e) => {
    if (e.type === 'log') return;
    if (e.type === 'workflow') {
      write(`${JSON.stringify({ type: 'workflow', phase: e.phase, message: e.message })}\n`);
      return;
    }
    const n = e.node;
    write(
      `${JSON.stringify({ type: 'node', id: n.id, name: n.name, displayName: n.displayName, nodeType: n.type, templateName: n.templateName, phase: n.phase, message: n.message, startedAt: new Date(n.startedAt).toISOString(), finishedAt: n.finishedAt === undefined ? null : new Date(n.finishedAt).toISOString(), ...(n.podName ? { podName: n.podName } : {}), ...(n.outputs ? { outputs: n.outputs } : {}) })}\n`,
    );
  };
}

/** A live tree, redrawn in place (at most every 100 ms), as `argo watch` shows a workflow. */
export function treeReporter(write: Write, nodes: () => Iterable<RunNode>, options: { color: boolean; title: string }): { onEvent: (e: RunEvent) => void; finish: () => void } {
  let lines = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    timer = undefined;
    const all = [...nodes()];
    const byParent = new Map<string | undefined, RunNode[]>();
    for (const n of all) {
      const list = byParent.get(n.parentId) ?? [];
      list.push(n);
      byParent.set(n.parentId, list);
    }
    const out: string[] = [options.title];
    const walk = (parent: string | undefined, prefix: string): void => {
      const kids = byParent.get(parent) ?? [];
      kids.forEach((n, i) => {
        const lastKid = i === kids.length - 1;
        const branch = parent === undefined ? '' : lastKid ? '└─ ' : '├─ ';
        out.push(`${prefix}${branch}${phaseSymbol(n.phase, options.color)} ${n.displayName}  ${n.phase === 'Running' || n.finishedAt !== undefined ? duration(n) : ''}${n.message ? `  ${n.message}` : ''}`);
        walk(n.id, parent === undefined ? '' : `${prefix}${lastKid ? '   ' : '│  '}`);
      });
    };
    walk(undefined, '');
    const columns = process.stdout.columns ?? 120;
    const text = out.map((l) => (l.length > columns + 20 ? `${l.slice(0, columns - 1)}…` : l));
    write(`${lines > 0 ? `\x1b[${lines}A` : ''}\x1b[0J${text.join('\n')}\n`);
    lines = text.length;
  };
  return {
    onEvent: (e) => {
      if (e.type === 'log') return;
      timer ??= setTimeout(draw, 100);
    },
    finish: () => {
      if (timer) clearTimeout(timer);
      draw();
    },
  };
}
