import type { WorkflowGraph } from './workflow-graph.js';

function mermaidId(id: string): string {
  return `n_${id.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}_`)}`;
}
function mermaidText(text: string): string {
  return `"${text.replace(/"/g, '#quot;').replace(/\n/g, '<br/>')}"`;
}

/** Mermaid `flowchart` source: one subgraph per dag/steps template, conditions on the edges. */
export function renderMermaid(graph: WorkflowGraph): string {
  const lines = ['flowchart TD', `  %% ${graph.kind} ${graph.name}${graph.entrypoint ? `, entrypoint ${graph.entrypoint}` : ''}`];
  for (const c of graph.clusters) {
    lines.push(`  subgraph ${mermaidId(`cluster/${c.id}`)}[${mermaidText(c.id === graph.entrypoint ? `${c.label} — entrypoint` : c.label)}]`);
    for (const n of c.nodes) lines.push(`    ${mermaidId(n.id)}[${mermaidText([n.name, n.runs, ...n.notes].join('\n'))}]`);
    lines.push('  end');
    for (const e of c.edges) lines.push(`  ${mermaidId(e.from)} -->${e.label ? `|${mermaidText(e.label)}|` : ''} ${mermaidId(e.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

function dotText(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Graphviz `digraph` source: one cluster per dag/steps template, conditions on the edges. */
export function renderDot(graph: WorkflowGraph): string {
  const lines = [`digraph ${dotText(graph.name)} {`, '  rankdir=TB;', '  node [shape=box];', `  label=${dotText(`${graph.kind} ${graph.name}`)};`];
  for (const c of graph.clusters) {
    lines.push(`  subgraph ${dotText(`cluster_${c.id}`)} {`, `    label=${dotText(c.id === graph.entrypoint ? `${c.label} — entrypoint` : c.label)};`);
    for (const n of c.nodes) lines.push(`    ${dotText(n.id)} [label=${dotText([n.name, n.runs, ...n.notes].join('\n'))}];`);
    lines.push('  }');
    for (const e of c.edges) lines.push(`  ${dotText(e.from)} -> ${dotText(e.to)}${e.label ? ` [label=${dotText(e.label)}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
