/** A picture of a workflow's templates: one cluster per dag or steps template. Plain data, renderer-agnostic. */
export interface WorkflowGraph {
  readonly name: string;
  readonly kind: string;
  readonly entrypoint: string | undefined;
  readonly clusters: readonly GraphCluster[];
}

export interface GraphCluster {
  readonly id: string;
  /** `build (dag)` */
  readonly label: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface GraphNode {
  readonly id: string;
  readonly name: string;
  /** What the node runs: `template: build`, `templateRef: ci/lint`. */
  readonly runs: string;
  /** A fan-out (`withItems`, `withParam`, `withSequence`), or a condition on a node nothing points to. */
  readonly notes: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** The condition for following the edge: the depends results, and the `when` of the target. */
  readonly label: string | undefined;
}

type Obj = Readonly<Record<string, unknown>>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}
function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

const results = 'Succeeded|Failed|Errored|Skipped|Omitted|Daemoned|AnySucceeded|AllFailed';

/**
 * The tasks a `depends` expression names, each with the results it asks of that task
 * (`a.Succeeded && (b || c.Failed)` → a: [Succeeded], b: [], c: [Failed]).
 */
export function dependsTerms(expression: string): Map<string, string[]> {
  const terms = new Map<string, string[]>();
  const re = new RegExp(`([A-Za-z0-9_][A-Za-z0-9_-]*)(?:\\.(${results}))?`, 'g');
  for (const m of expression.matchAll(re)) {
    const list = terms.get(m[1]!) ?? [];
    if (m[2] && !list.includes(m[2])) list.push(m[2]);
    terms.set(m[1]!, list);
  }
  return terms;
}

function runs(step: Obj): string {
  const ref = step['templateRef'];
  if (isObj(ref)) return `templateRef: ${str(ref['name']) ?? '?'}/${str(ref['template']) ?? '?'}`;
  if (isObj(step['inline'])) return 'inline template';
  return `template: ${str(step['template']) ?? '?'}`;
}

function fanOut(step: Obj): string[] {
  if (step['withItems'] !== undefined) return [`for each of ${arr(step['withItems']).length} items`];
  if (step['withParam'] !== undefined) return [`for each item of ${str(step['withParam']) ?? 'a parameter'}`];
  if (step['withSequence'] !== undefined) return ['for each number of a sequence'];
  return [];
}

function joinLabel(parts: readonly (string | undefined)[]): string | undefined {
  const kept = parts.filter((p): p is string => p !== undefined && p !== '');
  return kept.length > 0 ? kept.join('; ') : undefined;
}

function dagCluster(template: string, dag: Obj): GraphCluster {
  const id = (task: string): string => `${template}/${task}`;
  const tasks = arr(dag['tasks']).filter(isObj);
  const names = new Set(tasks.map((t) => str(t['name']) ?? ''));
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const task of tasks) {
    const name = str(task['name']) ?? '?';
    const when = str(task['when']);
    const depends = str(task['depends']);
    const incoming: GraphEdge[] = [];
    if (depends !== undefined) {
      const terms = dependsTerms(depends);
      const compound = /\|\||!/.test(depends);
      for (const [upstream, wanted] of terms) {
        if (!names.has(upstream)) continue;
        const condition = compound ? depends : wanted.join(' or ');
        incoming.push({ from: id(upstream), to: id(name), label: joinLabel([condition, when && `when ${when}`]) });
      }
    }
    for (const upstream of arr(task['dependencies'])) {
      const u = str(upstream);
      if (u !== undefined) incoming.push({ from: id(u), to: id(name), label: joinLabel([when && `when ${when}`]) });
    }
    const notes = [...fanOut(task), ...(incoming.length === 0 && when ? [`when ${when}`] : [])];
    nodes.push({ id: id(name), name, runs: runs(task), notes });
    edges.push(...incoming);
  }
  return { id: template, label: `${template} (dag)`, nodes, edges };
}

function stepsCluster(template: string, groups: readonly unknown[]): GraphCluster {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  let previous: string[] = [];
  groups.forEach((group, g) => {
    const steps = (Array.isArray(group) ? group : [group]).filter(isObj);
    const current: string[] = [];
    for (const step of steps) {
      const name = str(step['name']) ?? '?';
      const nodeId = `${template}/${g}/${name}`;
      const when = str(step['when']);
      nodes.push({ id: nodeId, name, runs: runs(step), notes: [...fanOut(step), ...(previous.length === 0 && when ? [`when ${when}`] : [])] });
      for (const p of previous) edges.push({ from: p, to: nodeId, label: joinLabel([when && `when ${when}`]) });
      current.push(nodeId);
    }
    previous = current;
  });
  return { id: template, label: `${template} (steps)`, nodes, edges };
}

/** The graph of a Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow object. */
export function workflowGraph(object: Obj): WorkflowGraph {
  const metadata = isObj(object['metadata']) ? object['metadata'] : {};
  const kind = str(object['kind']) ?? '?';
  const spec0 = isObj(object['spec']) ? object['spec'] : {};
  const spec = kind === 'CronWorkflow' && isObj(spec0['workflowSpec']) ? spec0['workflowSpec'] : spec0;
  const clusters: GraphCluster[] = [];
  for (const t of arr(spec['templates']).filter(isObj)) {
    const name = str(t['name']) ?? '?';
    if (isObj(t['dag'])) clusters.push(dagCluster(name, t['dag']));
    else if (Array.isArray(t['steps'])) clusters.push(stepsCluster(name, t['steps']));
  }
  return { name: str(metadata['name']) ?? str(metadata['generateName']) ?? '?', kind, entrypoint: str(spec['entrypoint']), clusters };
}

/** Kinds whose objects have a graph. */
export const workflowKinds: ReadonlySet<string> = new Set(['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow']);
