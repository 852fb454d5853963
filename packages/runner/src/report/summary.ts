/**
 * The end of a run: the phase, the duration, the workflow's outputs and, when it failed, the node that failed
 * first, its exit code and the last lines of its log; every node's record and logs stay under the run folder.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunNode } from '../model/node.js';
import type { RunResult } from '../scheduler/run-types.js';

const LAST_LINES = 15;

export function failedNode(result: RunResult): RunNode | undefined {
  const failed = result.nodes.filter((n) => (n.phase === 'Failed' || n.phase === 'Error') && n.children.length === 0);
  return failed.sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0))[0];
}

export function lastLogLines(result: RunResult, node: RunNode, count: number = LAST_LINES): string[] {
  if (!node.logFile) return [];
  const file = join(result.runDir, node.logFile);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').replace(/\n$/, '').split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).slice(-count);
}

export function formatSummary(result: RunResult, options: { cwd: string; startedAt: number }): string {
  const took = ((Date.now() - options.startedAt) / 1000).toFixed(1);
  const lines: string[] = [];
  const where = relative(options.cwd, result.runDir) || result.runDir;
  if (result.phase === 'Succeeded') lines.push(`✔ workflow ${result.name} Succeeded in ${took}s`);
  else lines.push(`✖ workflow ${result.name} ${result.phase} in ${took}s${result.message ? `: ${result.message}` : ''}`);
  const params = Object.entries(result.outputs.parameters);
  if (params.length > 0) lines.push('  outputs:', ...params.map(([k, v]) => `    ${k} = ${JSON.stringify(v)}`));
  if (result.phase !== 'Succeeded') {
    const node = failedNode(result);
    if (node) {
      lines.push(`  failed node: "${node.name}" (template "${node.templateName}")${node.outputs?.exitCode !== undefined ? `, exit code ${node.outputs.exitCode}` : ''}: ${node.message}`);
      const log = lastLogLines(result, node);
      if (log.length > 0) lines.push(`  last ${log.length} log line${log.length === 1 ? '' : 's'}:`, ...log.map((l) => `    | ${l}`));
    }
  }
  lines.push(`  logs and outputs: ${where}`);
  return `${lines.join('\n')}\n`;
}

/** `run.json` in the run folder: the result with every node (for tools and for looking back). */
export function writeRunRecord(result: RunResult): void {
  writeFileSync(join(result.runDir, 'run.json'), `${JSON.stringify({ name: result.name, phase: result.phase, message: result.message, outputs: result.outputs, starts: result.starts, nodes: result.nodes }, null, 2)}\n`);
}
