import { readYamlAsGo } from '@argots/dsl';

/** The kinds `argots import` turns into builder calls. */
export const importableKinds = ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow', 'Sensor', 'EventSource'] as const;
export type ImportableKind = (typeof importableKinds)[number];

/** One Argo document read from a file, with where it starts. */
export interface ReadDocument {
  readonly file: string;
  readonly line: number;
  readonly kind: ImportableKind;
  /** metadata.name, or metadata.generateName when `generated`. */
  readonly name: string;
  readonly generated: boolean;
  readonly object: Readonly<Record<string, unknown>>;
}

/** A document that cannot be imported: the file, the line, what is wrong and what to do. */
export interface ImportProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
  readonly hint: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses every document of one YAML file; a syntax error or an unknown kind is a problem naming the line. */
export function readDocuments(file: string, text: string): { documents: ReadDocument[]; problems: ImportProblem[] } {
  // Read as Argo reads it (go-yaml: YAML 1.1, lax quoted continuations), the same reader as `argots lint`.
  const read = readYamlAsGo(text);
  const counter = read.lineCounter;
  const documents: ReadDocument[] = [];
  const problems: ImportProblem[] = [];
  for (const { doc, error } of read.documents) {
    const start = counter.linePos(doc.range?.[0] ?? 0).line;
    if (error) {
      problems.push({ file, line: counter.linePos(error.offset).line, message: `invalid YAML: ${error.message}`, hint: 'fix the YAML syntax (argots lint shows the same error)' });
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      problems.push({ file, line: start, message: `expected a Kubernetes object (a mapping), received ${Array.isArray(value) ? 'a list' : typeof value}`, hint: 'each YAML document must be one Argo resource' });
      continue;
    }
    const kind = value['kind'];
    const meta = value['metadata'];
    const name = isRecord(meta) ? meta['name'] : undefined;
    if (typeof kind !== 'string' || !(importableKinds as readonly string[]).includes(kind)) {
      problems.push({ file, line: start, message: `unknown kind ${JSON.stringify(kind ?? null)}, expected one of ${importableKinds.join(', ')}`, hint: 'argots import reads Argo Workflows and Argo Events resources; leave other documents out' });
      continue;
    }
    const generateName = isRecord(meta) && kind === 'Workflow' && typeof meta['generateName'] === 'string' && meta['generateName'] !== '' ? meta['generateName'] : undefined;
    if ((typeof name !== 'string' || name === '') && generateName === undefined) {
      problems.push({ file, line: start, message: `${kind} without metadata.name${kind === 'Workflow' ? ' or metadata.generateName' : ''}`, hint: 'give the resource a metadata.name' });
      continue;
    }
    documents.push({ file, line: start, kind: kind as ImportableKind, name: typeof name === 'string' && name !== '' ? name : generateName!, generated: typeof name !== 'string' || name === '', object: value });
  }
  return { documents, problems };
}
