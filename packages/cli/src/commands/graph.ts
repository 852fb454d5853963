import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from '../io.js';
import type { Command } from '../_internal/command.js';
import { standardExitCodes } from '../_internal/command.js';
import { stringFlag } from '../_internal/command-spec.js';
import type { ParsedArgs } from '../_internal/command-spec.js';
import { compileSources } from '../_internal/compile-sources.js';
import { renderDot, renderMermaid } from '../_internal/graph/render-graph.js';
import { workflowGraph, workflowKinds } from '../_internal/graph/workflow-graph.js';
import { hasErrors, printDiagnostics, printJson } from '../_internal/report.js';
import { UserError } from '../_internal/user-error.js';

type Obj = Readonly<Record<string, unknown>>;

function readYamlObjects(file: string, shown: string, parseAllDocuments: typeof import('yaml').parseAllDocuments): Obj[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`"${shown}" does not exist or cannot be read`, 'pass a pipeline .ts file or a compiled .yaml file');
  }
  const objects: Obj[] = [];
  for (const doc of parseAllDocuments(text)) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      throw new UserError(`"${shown}"${at ? `:${at.line}:${at.col}` : ''} is not valid YAML: ${error.message.split('\n')[0]}`, 'fix the YAML, or run argots lint on it');
    }
    const value: unknown = doc.toJS();
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) objects.push(value as Obj);
  }
  return objects;
}

function nameOf(o: Obj): string {
  const m = o['metadata'];
  if (typeof m !== 'object' || m === null) return '?';
  const meta = m as Obj;
  return String(meta['name'] ?? meta['generateName'] ?? '?');
}

async function run(args: ParsedArgs, io: Io): Promise<number> {
  const input = args.positionals[0]!;
  const file = resolve(io.cwd, input);
  let objects: Obj[];
  if (/\.m?ts$/.test(input)) {
    const compiled = await compileSources([input], io.cwd);
    if (hasErrors(compiled.diagnostics)) {
      if (args.json) await printJson(io, 'graph', 1, compiled.diagnostics, { graph: null });
      else await printDiagnostics(io, compiled.diagnostics);
      return 1;
    }
    objects = compiled.files.map((f) => f.object);
  } else if (/\.ya?ml$/.test(input)) {
    // Loaded here, not with the CLI: the other commands do not pay for it.
    objects = readYamlObjects(file, input, (await import('yaml')).parseAllDocuments);
  } else {
    throw new UserError(`"${input}" is neither a pipeline (.ts, .mts) nor compiled YAML (.yaml, .yml)`, 'pass one pipeline file or one YAML file');
  }
  const workflows = objects.filter((o) => workflowKinds.has(String(o['kind'])));
  const wanted = stringFlag(args, 'pipeline');
  const names = workflows.map((o) => `"${nameOf(o)}" (${String(o['kind'])})`).join(', ');
  const chosen = wanted === undefined ? workflows : workflows.filter((o) => nameOf(o) === wanted);
  if (workflows.length === 0) throw new UserError(`"${input}" defines no Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow`, 'graph draws the DAG and steps of a workflow; pass a file that defines one');
  if (chosen.length === 0) throw new UserError(`--pipeline "${wanted}" is not in "${input}"; it defines ${names}`, 'pass one of those names to --pipeline');
  if (chosen.length > 1) throw new UserError(`"${input}" defines ${chosen.length} workflows: ${names}`, 'choose one with --pipeline NAME');
  const graph = workflowGraph(chosen[0]!);
  const format = stringFlag(args, 'format') ?? 'mermaid';
  const text = format === 'dot' ? renderDot(graph) : renderMermaid(graph);
  if (args.json) await printJson(io, 'graph', 0, [], { pipeline: graph.name, kind: graph.kind, format, graph: text });
  else io.stdout.write(text);
  return 0;
}

/** `argots graph <file> [--pipeline NAME] --format mermaid|dot` */
export const graphCommand: Command = {
  spec: {
    name: 'graph',
    summary: 'print a DAG (and steps) as Mermaid or Graphviz source',
    usage: 'argots graph <file> [--pipeline NAME] [--format mermaid|dot] [--json]',
    description: [
      'Draws the templates of one workflow — a pipeline .ts file (compiled in memory) or compiled YAML — as a',
      'picture source on stdout: one box per dag or steps template, one node per task or step, and the',
      'conditions (depends results, when expressions) on the edges. Both inputs go through the same code: the',
      'emitted Argo objects.',
    ].join('\n'),
    flags: {
      pipeline: { type: 'string', valueName: 'NAME', description: 'the workflow to draw (metadata.name), when the file defines several' },
      format: { type: 'string', valueName: 'FORMAT', choices: ['mermaid', 'dot'], default: 'mermaid', description: 'the picture language' },
    },
    minPositionals: 1,
    maxPositionals: 1,
    positionalsName: 'file (a pipeline .ts or a compiled .yaml)',
    examples: ['argots graph pipelines/shop-api.ts --format mermaid', 'argots graph manifests/workflow-template/shop-api-dev.yaml --format dot | dot -Tsvg > dag.svg'],
    exitCodes: { ...standardExitCodes },
  },
  run,
};
