/**
 * What a finished node gives the nodes after it (operator.go buildLocalScope, processAggregateNodeOutputs):
 * `<prefix>.id|status|startedAt|finishedAt|exitCode|outputs.result|outputs.parameters.<n>|outputs.artifacts.<n>`
 * where prefix is `tasks.<name>` or `steps.<name>`; a loop's node gives JSON lists instead.
 */
import type { RunNode } from '../model/node.js';
import type { Scope } from '../variables/scope.js';
import type { WorkflowRun } from './workflow-run.js';

const iso = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z'));

export function addNodeToScope(scope: Scope, prefix: string, node: RunNode): void {
  scope.set(`${prefix}.id`, node.id);
  scope.set(`${prefix}.status`, node.phase);
  scope.set(`${prefix}.startedAt`, iso(node.startedAt));
  scope.set(`${prefix}.finishedAt`, iso(node.finishedAt));
  scope.set(`${prefix}.ip`, '127.0.0.1');
  scope.set(`${prefix}.hostNodeName`, 'localhost');
  const o = node.outputs;
  if (!o) return;
  if (o.result !== undefined) scope.set(`${prefix}.outputs.result`, o.result);
  if (o.exitCode !== undefined) scope.set(`${prefix}.exitCode`, o.exitCode);
  for (const p of o.parameters) scope.set(`${prefix}.outputs.parameters.${p.name}`, p.value);
  for (const a of o.artifacts) scope.set(`${prefix}.outputs.artifacts.${a.name}`, a.path);
}

/** A loop's outputs: `outputs.result` a JSON list (objects parsed), `outputs.parameters` a list of maps, each parameter a list. */
export function addAggregateToScope(scope: Scope, prefix: string, group: RunNode, children: readonly RunNode[]): void {
  scope.set(`${prefix}.id`, group.id);
  scope.set(`${prefix}.status`, group.phase);
  scope.set(`${prefix}.startedAt`, iso(group.startedAt));
  scope.set(`${prefix}.finishedAt`, iso(group.finishedAt));
  const results: unknown[] = [];
  const paramMaps: Record<string, string>[] = [];
  const byName = new Map<string, string[]>();
  for (const child of children) {
    const o = child.outputs;
    if (!o) continue;
    if (o.result !== undefined) {
      let item: unknown = o.result;
      try {
        const parsed: unknown = JSON.parse(o.result);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) item = parsed;
      } catch {
        // a plain string
      }
      results.push(item);
    }
    if (o.parameters.length > 0) {
      const map: Record<string, string> = {};
      for (const p of o.parameters) {
        map[p.name] = p.value;
        const list = byName.get(p.name) ?? [];
        list.push(p.value);
        byName.set(p.name, list);
      }
      paramMaps.push(map);
    }
  }
  if (results.length > 0) scope.set(`${prefix}.outputs.result`, JSON.stringify(results));
  if (paramMaps.length > 0) scope.set(`${prefix}.outputs.parameters`, JSON.stringify(paramMaps));
  for (const [name, values] of byName) scope.set(`${prefix}.outputs.parameters.${name}`, JSON.stringify(values));
}

/** Children of a loop node, in item order. */
export function loopChildren(run: WorkflowRun, group: RunNode): RunNode[] {
  const index = (n: RunNode): number => Number(/\((\d+):/.exec(n.name.slice(group.name.length))?.[1] ?? 0);
  return group.children.map((id) => run.nodes.get(id)).filter((n): n is RunNode => n !== undefined && n.name.startsWith(`${group.name}(`)).sort((a, b) => index(a) - index(b));
}
