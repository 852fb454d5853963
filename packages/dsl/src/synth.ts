import { firstUserFrame } from './_internal/source.js';
import { type Diagnostic, DiagnosticError, type SourceLocation } from './diagnostic.js';
import { generatedHeader, toYaml } from './emit/yaml.js';
import { SYNTH, type SynthesizedResource, isSynthesizable } from './synthesizable.js';
import { validateResources } from './validate/index.js';
import { validateEventResources } from './events/validate/validate-event-resources.js';

export { isSynthesizable };

export interface SynthInput {
  readonly value: unknown;
  readonly exportName: string;
  readonly file: string;
}

export interface SynthOptions {
  /** Validate every object (schema and Argo's rules) before writing anything. Default true. */
  readonly validate?: boolean;
  /** How to treat templateRefs to templates outside the inputs. Default `'error'`. */
  readonly externalTemplates?: 'error' | 'warn';
  /**
   * Resources synthesised before from other inputs (by `argots compile --watch`, which re-synthesises only the
   * modules an edit touched): templateRefs and Sensors resolve against them and a name they already use is a
   * duplicate, but they are neither validated again nor emitted.
   */
  readonly context?: readonly Readonly<Record<string, unknown>>[];
}

export interface EmittedFile {
  /** `<kind-kebab>/<metadata.name>.yaml`, e.g. `workflow-template/shop-api-dev.yaml`. */
  readonly path: string;
  readonly content: string;
  readonly object: Readonly<Record<string, unknown>>;
  readonly kind: string;
  readonly name: string;
  readonly source: SourceLocation | undefined;
}

export interface SynthResult {
  /** Empty when any diagnostic is an error: nothing half-written. */
  readonly files: readonly EmittedFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** `WorkflowTemplate` → `workflow-template`. */
export function kindToKebab(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

interface Collected {
  readonly input: SynthInput;
  readonly resource: SynthesizedResource;
  readonly kind: string;
  readonly name: string;
}

function pathKey(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

function locateIn(resource: SynthesizedResource, path: readonly (string | number)[]): SourceLocation | undefined {
  const locations = resource.locations;
  if (locations) {
    for (let n = path.length; n >= 0; n--) {
      const ref = locations.get(pathKey(path.slice(0, n)));
      if (ref) {
        const loc = ref.resolve();
        if (loc) return loc;
      }
    }
  }
  return resource.source?.resolve();
}

function inputDiagnostic(input: SynthInput, code: string, message: string, hint: string, source?: SourceLocation): Diagnostic {
  return Object.freeze({
    code,
    severity: 'error' as const,
    message,
    path: input.exportName,
    source: source ?? { file: input.file, line: 1, column: 1 },
    hint,
  });
}

/**
 * Turns pipeline exports into Argo YAML files: emits every synthesizable value, checks that no two
 * resources share a kind and name, validates the objects, and returns the files and every diagnostic.
 * Files are only returned when there is no error.
 *
 * @example
 * const { files, diagnostics } = synth([{ value: mod.default, exportName: 'default', file: 'pipelines/shop.ts' }]);
 */
export function synth(inputs: readonly SynthInput[], options: SynthOptions = {}): SynthResult {
  const diagnostics: Diagnostic[] = [];
  let collected: Collected[] = [];
  for (const input of inputs) {
    if (!isSynthesizable(input.value)) {
      diagnostics.push(
        inputDiagnostic(input, 'ARG208', `export "${input.exportName}" of ${input.file} is not a pipeline or an Argo resource builder`, 'export a value made by pipeline(), workflowTemplate(), cronWorkflow(), … or leave it out of the inputs'),
      );
      continue;
    }
    let resources: readonly SynthesizedResource[];
    try {
      resources = input.value[SYNTH]();
    } catch (error) {
      if (error instanceof DiagnosticError) diagnostics.push(...error.diagnostics);
      else {
        const message = error instanceof Error ? error.message : String(error);
        const at = error instanceof Error ? firstUserFrame(error.stack ?? '') : undefined;
        diagnostics.push(inputDiagnostic(input, 'ARG209', `export "${input.exportName}" could not be built: ${message}`, 'fix the builder call named above', at));
      }
      continue;
    }
    for (const resource of resources) {
      diagnostics.push(...(resource.diagnostics ?? []));
      const metadata = (resource.object['metadata'] ?? {}) as Record<string, unknown>;
      const kind = String(resource.object['kind'] ?? '');
      const name = String(metadata['name'] ?? metadata['generateName'] ?? '');
      collected.push({ input, resource, kind, name });
    }
  }
  // An EventSource is shared infrastructure: several pipelines' triggers may each bring the same one, and it
  // is written once. Any other two resources under one kind and name (even identical: a copied pipeline that
  // was not renamed) are an error.
  // Objects are serialised for comparison only when two share a kind and name (the usual compile has none).
  const seen = new Map<string, Collected>();
  const duplicates = new Set<Collected>();
  const contextKeys = new Map<string, Readonly<Record<string, unknown>>>();
  for (const o of options.context ?? []) {
    const metadata = (o['metadata'] ?? {}) as Record<string, unknown>;
    contextKeys.set(`${String(o['kind'] ?? '')}/${String(metadata['name'] ?? metadata['generateName'] ?? '')}`, o);
  }
  for (const c of collected) {
    const key = `${c.kind}/${c.name}`;
    const other = contextKeys.get(key);
    if (other) {
      duplicates.add(c);
      const same = JSON.stringify(other) === JSON.stringify(c.resource.object);
      if (c.kind === 'EventSource' && same) continue;
      const here = c.resource.source?.resolve();
      diagnostics.push(
        Object.freeze({
          code: 'ARG204',
          severity: 'error' as const,
          message: `two ${same ? '' : 'different '}resources are both ${c.kind} "${c.name}": export "${c.input.exportName}" of ${c.input.file} and a resource of another module`,
          path: 'metadata.name',
          ...(here ? { source: here } : {}),
          hint: 'every resource needs its own name within its kind: rename one of them (an identical EventSource shared by several pipelines is written once)',
        }),
      );
      continue;
    }
    const first = seen.get(key);
    if (!first) {
      seen.set(key, c);
      continue;
    }
    duplicates.add(c);
    const identical = JSON.stringify(first.resource.object) === JSON.stringify(c.resource.object);
    if (c.kind === 'EventSource' && identical) continue;
    const at = first.resource.source?.resolve();
    const here = c.resource.source?.resolve();
    diagnostics.push(
      Object.freeze({
        code: 'ARG204',
        severity: 'error' as const,
        message: `two ${identical ? '' : 'different '}resources are both ${c.kind} "${c.name}": export "${first.input.exportName}" of ${first.input.file}${at ? ` (line ${at.line})` : ''} and export "${c.input.exportName}" of ${c.input.file}`,
        path: 'metadata.name',
        ...(here ? { source: here } : {}),
        hint: 'every resource needs its own name within its kind: rename one of them (an identical EventSource shared by several pipelines is written once)',
      }),
    );
  }
  if (duplicates.size > 0) collected = collected.filter((c) => !duplicates.has(c));
  if (options.validate !== false && !diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.push(
      ...validateResources(
        collected.map((c) => c.resource.object),
        {
          locate: (index, path) => {
            const c = collected[index];
            return c ? locateIn(c.resource, path) : undefined;
          },
          ...(options.externalTemplates ? { externalTemplates: options.externalTemplates } : {}),
          ...(options.context ? { context: options.context } : {}),
        },
      ),
    );
    // Sensors and EventSources: their own rules, and agreement with the WorkflowTemplates emitted with them.
    diagnostics.push(
      ...validateEventResources(
        collected.map((c) => c.resource.object),
        {
          locate: (index, path) => { const c = collected[index]; return c ? locateIn(c.resource, path) : undefined; },
          ...(options.context ? { context: options.context } : {}),
        },
      ),
    );
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { files: [], diagnostics };
  const files = collected
    .map((c): EmittedFile => {
      const file = {
        path: `${kindToKebab(c.kind)}/${c.name}.yaml`,
        content: toYaml(c.resource.object, { header: generatedHeader(c.input.file) }),
        object: c.resource.object,
        kind: c.kind,
        name: c.name,
      };
      // Resolved on first read: finding a line in a large bundled module is costly, and most callers
      // (the CLI writing files) never ask.
      const ref = c.resource.source;
      let source: SourceLocation | undefined | null = null;
      return Object.defineProperty(file, 'source', {
        enumerable: true,
        get: () => (source === null ? (source = ref?.resolve()) : source),
      }) as EmittedFile;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics };
}
