import type { Document, LineCounter } from 'yaml';
import { anyStringsAsText } from './go-any-string.js';
import { withGoStringFields } from '../validate/rules/schema.js';
import type { WorkflowKind } from '../validate/_internal/context.js';
import { readYamlAsGo } from './read-yaml-as-go.js';
import type { Diagnostic, SourceLocation } from '../diagnostic.js';
import { validateResourcesInMode } from '../validate/validate-resources.js';
import { locateNode } from './locate-node.js';
import { validateEventResources } from '../events/validate/validate-event-resources.js';

export interface LintFile {
  readonly path: string;
  readonly content: string;
}

/** A document `lintYaml` passed over: not an Argo Workflows resource, or one it does not validate yet. */
export interface SkippedDocument {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly document: number;
  /** `apiVersion/kind` of the document, `(no kind)` when it has none. */
  readonly kind: string;
}

/**
 * The extension point for Argo Events documents (Sensor, EventSource). Receives them, followed by the Argo
 * Workflows documents linted with them (for cross-checks: the templates a Sensor submits), with a `locate`
 * into the YAML, and returns their diagnostics. Without it, Argo Events documents are reported in `skipped`.
 */
export type EventResourceValidator = (
  objects: readonly Readonly<Record<string, unknown>>[],
  options: { readonly locate: (objectIndex: number, path: readonly (string | number)[]) => SourceLocation | undefined },
) => Diagnostic[];

export interface LintOptions {
  /** templateRef / workflowTemplateRef targets outside the files given: error (default, as Argo) or warn. */
  readonly externalTemplates?: 'error' | 'warn';
  /** Validates Sensor / EventSource documents; see {@link EventResourceValidator}. Default: argots' own
   * `validateEventResources`; `false` passes them over (listed in `skipped`). */
  readonly eventResources?: EventResourceValidator | false;
}

export interface LintResult {
  readonly diagnostics: Diagnostic[];
  readonly skipped: SkippedDocument[];
}

export const EVENT_KINDS: readonly string[] = ['Sensor', 'EventSource', 'EventBus'];
const WORKFLOW_KINDS: readonly string[] = ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate', 'CronWorkflow'];

interface Parsed {
  readonly file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly value: Readonly<Record<string, unknown>>;
}

function kindOf(value: unknown): { apiVersion: string; kind: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  return { apiVersion: typeof record['apiVersion'] === 'string' ? record['apiVersion'] : '', kind: typeof record['kind'] === 'string' ? record['kind'] : '' };
}

function locator(parsed: readonly Parsed[]) {
  return (objectIndex: number, path: readonly (string | number)[]): SourceLocation | undefined => {
    const p = parsed[objectIndex];
    if (!p) return undefined;
    const pos = locateNode(p.doc, p.lineCounter, path);
    return pos ? { file: p.file, line: pos.line, column: pos.column } : { file: p.file, line: 1, column: 1 };
  };
}

/**
 * Lints hand-written Argo YAML: every document of every file is read as Argo's Go code reads it
 * (`readYamlAsGo`: YAML 1.1, lax quoted continuations, duplicate keys warned, ARG006), keeping node positions; Argo
 * Workflows resources are validated together (templateRefs resolve across all files) with the same rules as
 * `validateResources`; each diagnostic points at its YAML node. A YAML syntax error is an ARG005 diagnostic.
 * Other documents are passed over and listed in `skipped`. Pure: give it the file contents.
 */
export function lintYaml(files: readonly LintFile[], lintOptions: LintOptions = {}): LintResult {
  const options = { ...lintOptions, eventResources: lintOptions.eventResources === false ? undefined : lintOptions.eventResources ?? validateEventResources };
  const diagnostics: Diagnostic[] = [];
  const skipped: SkippedDocument[] = [];
  const workflows: Parsed[] = [];
  const events: Parsed[] = [];
  for (const file of files) {
    const read = readYamlAsGo(file.content);
    const lineCounter = read.lineCounter;
    for (const dup of read.duplicates) {
      diagnostics.push({
        code: 'ARG006',
        severity: 'warning',
        message: `document ${dup.document + 1}: key "${dup.key}" appears ${dup.lines.length} times in one mapping (lines ${dup.lines.join(', ')}); Argo (go-yaml) keeps the last one, line ${dup.line}, silently`,
        path: '',
        source: { file: file.path, line: dup.line, column: dup.column },
        hint: `remove the earlier "${dup.key}" entries so the file says what Argo will read`,
      });
    }
    read.documents.forEach(({ doc, index, error }) => {
      if (error) {
        const at = lineCounter.linePos(error.offset);
        diagnostics.push({
          code: 'ARG005',
          severity: 'error',
          message: `document ${index + 1}: expected valid YAML, received a syntax error: ${error.message}`,
          path: '',
          source: { file: file.path, line: at.line, column: at.col },
          hint: 'fix the YAML syntax (indentation, quoting, a missing ":"); nothing else in this document was checked',
        });
        return;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 1000 });
      } catch (problem) {
        const at = lineCounter.linePos(doc.range?.[0] ?? 0);
        diagnostics.push({
          code: 'ARG005',
          severity: 'error',
          message: `document ${index + 1}: expected valid YAML, received a document that cannot be read: ${problem instanceof Error ? problem.message : String(problem)}`,
          path: '',
          source: { file: file.path, line: at.line, column: at.col },
          hint: 'check the anchors and aliases (*name) of this document',
        });
        return;
      }
      if (value === null || value === undefined) return;
      const k = kindOf(value);
      const label = k && k.kind ? `${k.apiVersion}/${k.kind}` : '(no kind)';
      if (k && k.apiVersion === 'argoproj.io/v1alpha1' && WORKFLOW_KINDS.includes(k.kind)) {
        workflows.push({ file: file.path, doc, lineCounter, value: withGoStringFields(k.kind as WorkflowKind, anyStringsAsText(value) as Record<string, unknown>) });
      } else if (k && k.apiVersion.startsWith('argoproj.io/') && EVENT_KINDS.includes(k.kind) && options.eventResources && k.kind !== 'EventBus') {
        events.push({ file: file.path, doc, lineCounter, value: value as Readonly<Record<string, unknown>> });
      } else {
        skipped.push({ file: file.path, document: index, kind: label });
      }
    });
  }
  const objects = workflows.map((p) => p.value);
  diagnostics.push(...validateResourcesInMode(objects, {
    locate: locator(workflows),
    ...(options.externalTemplates ? { externalTemplates: options.externalTemplates } : {}),
  }, { lint: true }));
  if (options.eventResources && events.length > 0) {
    // The workflows go too: the Sensor ↔ WorkflowTemplate checks (ARG331/332/334) and the injection check
    // (ARG350) need the templates the triggers submit.
    const together = [...events, ...workflows];
    diagnostics.push(...options.eventResources(together.map((p) => p.value), { locate: locator(together) }));
  }
  return { diagnostics, skipped };
}
