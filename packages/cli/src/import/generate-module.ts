import { IndentationText, Project, QuoteKind } from 'ts-morph';
import { evaluateModule } from './evaluate-module.js';
import { mapEventSource, mapSensor } from './map-events.js';
import { mapWorkflow, Unmapped } from './map-workflow.js';
import type { EscapeHatch, MapContext, MappedCode } from './map-workflow.js';
import { differingPaths, normaliseDocument } from './normalise.js';
import type { ReadDocument } from './read-documents.js';
import { isRecord, literal, str } from './source-text.js';

export type { EscapeHatch } from './map-workflow.js';

/** A file's verdict: builders only; builders plus escape hatches (listed); or lossy, with the fields that differ. */
export type Verdict = 'lossless' | 'lossless with escape hatches' | 'lossy';

/** One generated TypeScript module, what it kept through escape hatches, and whether it reproduces the original. */
export interface GeneratedModule {
  readonly resource: string;
  /** Where the document starts in its YAML file. */
  readonly source: { readonly file: string; readonly line: number };
  readonly fileName: string;
  readonly content: string;
  readonly escapeHatches: readonly EscapeHatch[];
  readonly verdict: Verdict;
  /** For a lossy module: the paths where the compiled document differs from the original. */
  readonly lossyFields: readonly string[];
  /** Why the builder mapping was not used (the document is then kept through `.patch()`), if it was not. */
  readonly fallback: string | undefined;
}

/** Names the generated modules import from `@argots/dsl`; no local identifier may take them. */
const dslNames = ['env', 'container', 'script', 'resource', 'suspend', 'http', 'containerSet', 'dag', 'stepsTemplate', 'param', 'output', 'artifact', 'text', 'and', 'or', 'not', 'vars', 'templateRef', 'workflow', 'workflowTemplate', 'clusterWorkflowTemplate', 'cronWorkflow', 'pipeline', 'sensor', 'eventSource', 'github', 'patchResource'];

function newContext(): MapContext {
  return { taken: new Set(dslNames), imports: new Set(), escapeHatches: [] };
}

/** The whole document through `.patch()`: the builder call with the name, everything else kept exactly. */
function patchWorkflow(doc: ReadDocument, ctx: MapContext): MappedCode {
  const builder = { Workflow: 'workflow', WorkflowTemplate: 'workflowTemplate', ClusterWorkflowTemplate: 'clusterWorkflowTemplate', CronWorkflow: 'cronWorkflow' }[doc.kind as 'Workflow'];
  ctx.imports.add(builder);
  ctx.imports.add('type ResourcePatch');
  const patch: Record<string, unknown> = {};
  const metadata = isRecord(doc.object['metadata']) ? doc.object['metadata'] : {};
  const restMeta = Object.fromEntries(Object.entries(metadata).filter(([k]) => k !== (doc.generated ? 'generateName' : 'name')));
  if (Object.keys(restMeta).length) patch['metadata'] = restMeta;
  for (const k of Object.keys(restMeta)) ctx.escapeHatches.push({ path: `metadata.${k}`, why: 'kept through .patch() with the whole document' });
  if (doc.object['spec'] !== undefined) patch['spec'] = doc.object['spec'];
  if (isRecord(doc.object['spec'])) for (const k of Object.keys(doc.object['spec'])) ctx.escapeHatches.push({ path: `spec.${k}`, why: 'kept through .patch() with the whole document' });
  for (const [k, v] of Object.entries(doc.object)) {
    if (['apiVersion', 'kind', 'metadata', 'spec'].includes(k)) continue;
    patch[k] = v;
    ctx.escapeHatches.push({ path: k, why: 'a top-level field outside metadata and spec' });
  }
  const nameArg = doc.generated ? `{ generateName: ${str(doc.name)} }` : str(doc.name);
  const options = doc.kind === 'CronWorkflow' ? '{ schedules: [] }' : '{}';
  return { statements: [], expression: `${builder}(${nameArg}, ${options})\n// Escape hatch: the document uses shapes the builders do not express (see the report).\n// (typed loosely: it may hold fields Argo's model does not declare, which Argo ignores)\n.patch(${literal(patch)} as ResourcePatch)`, imports: ctx.imports, escapeHatches: ctx.escapeHatches };
}

function moduleText(doc: ReadDocument, code: MappedCode): string {
  return [
    `// Imported by 'argots import' from ${doc.file}:${doc.line}. Edit freely: this module is now the source.`,
    `import { ${[...code.imports].sort((a, b) => (a.replace(/^type /, '') < b.replace(/^type /, '') ? -1 : 1)).join(', ')} } from '@argots/dsl';`,
    '',
    ...code.statements,
    '',
    `export default ${code.expression};`,
    '',
  ].join('\n');
}

/** Compiles `source` in this process and compares it with the document: undefined when equal, else why not. */
function check(doc: ReadDocument, source: string): { fields: string[]; reason: string } | undefined {
  let evaluated;
  try {
    evaluated = evaluateModule(source);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { fields: ['(document)'], reason: `the builders refuse it: ${message}` };
  }
  if (evaluated.errors.length) return { fields: ['(document)'], reason: `the builders report ${evaluated.errors[0]}` };
  const meta = (o: Record<string, unknown>): Record<string, unknown> => (isRecord(o['metadata']) ? o['metadata'] : {});
  const emitted = evaluated.objects.find((o) => o['kind'] === doc.kind && (doc.generated ? meta(o)['generateName'] : meta(o)['name']) === doc.name);
  if (!emitted) return { fields: ['(document)'], reason: 'the module does not emit the resource' };
  const a = normaliseDocument(emitted);
  const b = normaliseDocument(doc.object);
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  const fields = differingPaths(a, b);
  return { fields, reason: `the builders write ${fields.join(', ')} differently` };
}

const prefixOf: Record<ReadDocument['kind'], string> = { Workflow: 'workflow-', WorkflowTemplate: '', ClusterWorkflowTemplate: 'cluster-', CronWorkflow: 'cron-', Sensor: 'sensor-', EventSource: 'event-source-' };

/**
 * Generates the module for one document: the builder mapping first; if it cannot express the document, or
 * what it compiles to differs from the original, the document is kept through the escape hatch instead. Every
 * candidate is compiled in this process and compared with the original after normalisation, so the verdict is
 * measured, not assumed.
 */
export function generateModule(doc: ReadDocument): GeneratedModule {
  const candidates: ((ctx: MapContext) => MappedCode)[] =
    doc.kind === 'Sensor' ? [(c) => mapSensor(doc, c)] :
    doc.kind === 'EventSource' ? [(c) => mapEventSource(doc, c, true), (c) => mapEventSource(doc, c, false)] :
    [(c) => mapWorkflow(doc, c), (c) => patchWorkflow(doc, c)];
  let chosen: { source: string; hatches: EscapeHatch[]; problem: { fields: string[]; reason: string } | undefined } | undefined;
  let fallback: string | undefined;
  for (const candidate of candidates) {
    const ctx = newContext();
    let code: MappedCode;
    try {
      code = candidate(ctx);
    } catch (error) {
      if (!(error instanceof Unmapped)) throw error;
      fallback ??= error.message;
      continue;
    }
    const source = moduleText(doc, code);
    const problem = check(doc, source);
    if (!problem || !chosen) chosen = { source, hatches: [...code.escapeHatches], problem };
    if (!problem) break;
    fallback ??= problem.reason;
  }
  if (!chosen) throw new Error(`no module could be generated for ${doc.kind}/${doc.name}`);
  if (chosen.problem === undefined && chosen.hatches.length === 0) fallback = undefined;
  const fileName = `${prefixOf[doc.kind]}${doc.name.replace(/-+$/, '')}.ts`;
  const content = chosen.source;
  const escapeHatches = [...chosen.hatches].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    resource: `${doc.kind}/${doc.name}`,
    source: { file: doc.file, line: doc.line },
    fileName,
    content,
    escapeHatches,
    verdict: chosen.problem ? 'lossy' : escapeHatches.length ? 'lossless with escape hatches' : 'lossless',
    lossyFields: chosen.problem?.fields ?? [],
    fallback: chosen.problem ? chosen.problem.reason : escapeHatches.some((h) => h.why.startsWith('kept through .patch() with the whole')) ? fallback : undefined,
  };
}

let formatted = 0;
const MARKER = '// @@argots-import: next module@@';

/**
 * Formats a batch of generated modules with ts-morph in one pass (one in-memory source file holding them all,
 * split again at marker comments): formatting file by file cost more than the rest of the import together.
 */
export function formatModules<M extends { readonly content: string }>(modules: readonly M[], project: Project = newProject()): M[] {
  if (modules.length === 0) return [];
  // A fresh in-memory name every time: ts-morph's document registry keeps the text of a removed file, and
  // formatting a new file under the same name applied the old file's edits to the new text.
  const file = project.createSourceFile(`batch-${++formatted}.ts`, modules.map((m) => m.content).join(`\n${MARKER}\n`));
  file.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  const parts = file.getFullText().split(`${MARKER}\n`);
  project.removeSourceFile(file);
  if (parts.length !== modules.length) throw new Error(`formatting ${modules.length} modules gave ${parts.length}`);
  return modules.map((m, i) => ({ ...m, content: `${parts[i]!.replace(/\n{3,}/g, '\n\n').replace(/\s+$/, '')}\n` }));
}

/** One in-memory ts-morph project reused for a whole batch. */
export function newProject(): Project {
  return new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single } });
}
