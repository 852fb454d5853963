import { IndentationText, Project, QuoteKind } from 'ts-morph';
import type { ReadDocument } from './read-documents.js';

/** An Argo field the builders do not express yet, kept through `.patch(…)`. */
export interface EscapeHatch {
  readonly path: string;
  readonly why: string;
}

/** One generated TypeScript module and what it had to keep through escape hatches. */
export interface GeneratedModule {
  readonly resource: string;
  readonly fileName: string;
  readonly content: string;
  readonly escapeHatches: readonly EscapeHatch[];
}

const builderOf = { Workflow: 'workflow', WorkflowTemplate: 'workflowTemplate', ClusterWorkflowTemplate: 'clusterWorkflowTemplate' } as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A single-quoted TypeScript string literal. */
export function str(value: string): string {
  return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** `name` first, then the other keys alphabetically: the same order whatever order the YAML had (a fixed point). */
function byKey([a]: [string, unknown], [b]: [string, unknown]): number {
  return a === b ? 0 : a === 'name' ? -1 : b === 'name' ? 1 : a < b ? -1 : 1;
}

/** A TypeScript literal for a JSON value (keys quoted only where needed, in a canonical order). */
export function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (isRecord(value)) {
    const entries = Object.entries(value).sort(byKey).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : str(k)}: ${literal(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return typeof value === 'string' ? str(value) : JSON.stringify(value ?? null);
}

/** A camelCase identifier for a template name, unique among `taken`. */
function identifier(name: string, taken: Set<string>): string {
  const parts = name.split(/[^A-Za-z0-9]+/).filter((p) => p !== '');
  let id = parts.map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1))).join('') || 'template';
  if (/^\d/.test(id)) id = `t${id}`;
  const reserved = new Set(['default', 'new', 'delete', 'function', 'class', 'const', 'let', 'var', 'return', 'import', 'export', 'switch', 'case', 'for', 'while', 'do', 'if', 'else', 'in', 'of', 'this', 'void', 'with', 'yield', 'try', 'catch', 'finally', 'throw', 'typeof', 'instanceof', 'enum', 'super', 'extends', 'break', 'continue', 'debugger', 'null', 'true', 'false', 'container', 'workflow', 'workflowTemplate', 'clusterWorkflowTemplate']);
  let unique = id;
  for (let n = 2; taken.has(unique) || reserved.has(unique); n++) unique = `${id}${n}`;
  taken.add(unique);
  return unique;
}

/** A template the `container()` builder expresses exactly: a name and a container, nothing else. */
function isPlainContainer(t: unknown): t is { name: string; container: Record<string, unknown> } {
  return isRecord(t) && typeof t['name'] === 'string' && isRecord(t['container']) && Object.keys(t).every((k) => k === 'name' || k === 'container');
}

/**
 * Generates the module for one Workflow, WorkflowTemplate or ClusterWorkflowTemplate: plain container templates
 * become `container()` builders, the entrypoint a reference to one of them, and every other field is kept by
 * `.patch(…)` (the DSL's typed escape hatch) with a comment saying why.
 */
export function generateModule(doc: ReadDocument, project: Project = newProject()): GeneratedModule {
  const spec = isRecord(doc.object['spec']) ? doc.object['spec'] : {};
  const templates = Array.isArray(spec['templates']) ? spec['templates'] : [];
  const mapped = templates.length > 0 && templates.every(isPlainContainer) && new Set(templates.map((t) => t.name)).size === templates.length;
  const entry = spec['entrypoint'];
  const taken = new Set<string>();
  const idOf = new Map<string, string>();
  const lines: string[] = [];
  if (mapped) {
    for (const t of templates) {
      const id = identifier(t.name, taken);
      idOf.set(t.name, id);
      lines.push(`const ${id} = container(${str(t.name)}, { container: () => (${literal(t.container)}) });`);
    }
  }
  const options: string[] = [];
  const entryId = mapped && typeof entry === 'string' ? idOf.get(entry) : undefined;
  if (entryId !== undefined) options.push(`entrypoint: ${entryId}`);
  const others = mapped ? templates.filter((t) => t.name !== entry).map((t) => idOf.get(t.name)!) : [];
  if (others.length > 0) options.push(`templates: [${others.join(', ')}]`);

  const escapeHatches: EscapeHatch[] = [];
  const patch: Record<string, unknown> = {};
  const metadata = isRecord(doc.object['metadata']) ? doc.object['metadata'] : {};
  const restMeta = Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== (doc.generated ? 'generateName' : 'name')));
  if (Object.keys(restMeta).length > 0) {
    patch['metadata'] = restMeta;
    for (const k of Object.keys(restMeta)) escapeHatches.push({ path: `metadata.${k}`, why: 'metadata beyond the name is not mapped to builder options by import yet' });
  }
  const restSpec = Object.fromEntries(Object.entries(spec).filter(([k]) => !(mapped && (k === 'templates' || (k === 'entrypoint' && entryId !== undefined)))));
  if (Object.keys(restSpec).length > 0) {
    patch['spec'] = restSpec;
    for (const k of Object.keys(restSpec)) {
      escapeHatches.push({ path: `spec.${k}`, why: k === 'templates' || k === 'entrypoint' ? 'templates other than a plain container (inputs, outputs, dag, steps, script, resource…) are not mapped to builders by import yet' : 'this workflow spec field is not mapped to builder options by import yet' });
    }
  }
  const top = Object.fromEntries(Object.entries(doc.object).filter(([k]) => !['apiVersion', 'kind', 'metadata', 'spec'].includes(k)));
  for (const [k, v] of Object.entries(top)) {
    patch[k] = v;
    escapeHatches.push({ path: k, why: 'a top-level field outside metadata and spec' });
  }

  escapeHatches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const builder = builderOf[doc.kind];
  let expression = `${builder}(${doc.generated ? `{ generateName: ${str(doc.name)} }` : str(doc.name)}, { ${options.join(', ')} })`;
  if (Object.keys(patch).length > 0) {
    const why = [...new Set(escapeHatches.map((e) => e.why))].map((w) => `// Escape hatch: ${w}.`).join('\n');
    expression = `${expression}\n${why}\n// Kept exactly: ${escapeHatches.map((e) => e.path).join(', ')}.\n.patch(${literal(patch)})`;
  }
  const names = [builder, ...(mapped ? ['container'] : [])].sort();
  const fileName = `${doc.kind === 'ClusterWorkflowTemplate' ? 'cluster-' : doc.kind === 'Workflow' ? 'workflow-' : ''}${doc.name.replace(/-+$/, '')}.ts`;
  const source = project.createSourceFile(fileName, [
    `// Imported by 'argots import' from ${doc.file}:${doc.line}. Edit freely: this module is now the source.`,
    `import { ${names.join(', ')} } from '@argots/dsl';`,
    '',
    ...lines,
    '',
    `export default ${expression};`,
    '',
  ].join('\n'), { overwrite: true });
  source.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  const content = source.getFullText().replace(/\n{3,}/g, '\n\n');
  project.removeSourceFile(source);
  return { resource: `${doc.kind}/${doc.name}`, fileName, content, escapeHatches };
}

/** One in-memory ts-morph project reused for a whole batch. */
export function newProject(): Project {
  return new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single } });
}
