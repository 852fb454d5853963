/**
 * Argo's `{{…}}` tags as typed values: `{{inputs.parameters.x}}` → the template's typed input,
 * `{{tasks.build.outputs.parameters.digest}}` → `build.outputs.digest`, `{{workflow.parameters.x}}` → the value
 * `p.param` returned (or `vars.workflowParameter('x')` inside a reusable template), `{{item.k}}` → `item.get('k')`.
 * A tag it does not know stays text, exactly as written.
 */
import { prop, str } from './source-text.js';

/** A task or step in scope: its handle's identifier and what its template declares. */
export interface HandleInfo {
  readonly id: string;
  readonly via: 'tasks' | 'steps';
  /** Declared output parameters (typed) and artifacts. */
  readonly outputs: ReadonlySet<string>;
  readonly artifacts: ReadonlySet<string>;
  /** Whether `.result` exists (container, script, containerSet). */
  readonly hasResult: boolean;
}

export interface TagScope {
  /** The identifier of the template's typed inputs, and the input parameter names. */
  readonly inputs?: { readonly id: string; readonly names: ReadonlySet<string> };
  readonly handles?: ReadonlyMap<string, HandleInfo>;
  /** The loop item: `typed` keys may be read with `.get(k)`; `'any'` for withParam. */
  readonly item?: { readonly id: string; readonly whole: boolean; readonly keys: ReadonlySet<string> | 'any' } | undefined;
  /** Workflow parameters: name → code. */
  readonly workflowParams?: (name: string) => string | undefined;
  /** Records the DSL names the code uses (`text`, `vars`). */
  readonly use: (name: string) => void;
  /** Records which tasks' outputs were read (data-flow edges). */
  readonly read?: (node: string) => void;
}

/** The code for one tag, or undefined to keep it as text. */
function tagCode(tag: string, scope: TagScope): string | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^inputs\.parameters\.([-\w]+)$/.exec(tag)) && scope.inputs?.names.has(m[1]!)) return `${scope.inputs.id}${prop(m[1]!)}`;
  if ((m = /^(tasks|steps)\.([-\w]+)\.outputs\.(parameters\.([-\w]+)|result)$/.exec(tag))) {
    const h = scope.handles?.get(m[2]!);
    if (!h || h.via !== m[1]) return undefined;
    if (m[3] === 'result') {
      if (!h.hasResult) return undefined;
      scope.read?.(m[2]!);
      return `${h.id}.result`;
    }
    if (!h.outputs.has(m[4]!)) return undefined;
    scope.read?.(m[2]!);
    return `${h.id}.outputs${prop(m[4]!)}`;
  }
  if ((m = /^workflow\.parameters\.([-\w]+)$/.exec(tag)) && scope.workflowParams) {
    const code = scope.workflowParams(m[1]!);
    if (code !== undefined) return code;
  }
  if (scope.item && tag === 'item' && scope.item.whole) return scope.item.id;
  if (scope.item && (m = /^item\.([A-Za-z_][\w]*)$/.exec(tag)) && (scope.item.keys === 'any' || scope.item.keys.has(m[1]!))) return `${scope.item.id}.get(${str(m[1]!)})`;
  return undefined;
}

function templateText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** An artifact reference tag (`{{tasks.X.outputs.artifacts.Y}}`) as code, or undefined. */
export function artifactCode(s: string, scope: TagScope): string | undefined {
  const m = /^\{\{(tasks|steps)\.([-\w]+)\.outputs\.artifacts\.([-\w]+)\}\}$/.exec(s);
  if (!m) return undefined;
  const h = scope.handles?.get(m[2]!);
  if (!h || h.via !== m[1] || !h.artifacts.has(m[3]!)) return undefined;
  scope.read?.(m[2]!);
  return `${h.id}.outputs${prop(m[3]!)}`;
}

/**
 * A string as code: the literal when no tag maps to a typed value; the value itself when the string is exactly
 * one tag; otherwise a `text` template. Returns undefined when nothing maps (so callers keep the literal).
 */
export function tagsCode(s: string, scope: TagScope): string | undefined {
  if (!s.includes('{{')) return undefined;
  const parts: (string | { code: string })[] = [];
  let last = 0;
  let mapped = false;
  for (const m of s.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const code = tagCode(m[1]!, scope);
    if (code === undefined) continue;
    mapped = true;
    if (m.index! > last) parts.push(s.slice(last, m.index));
    parts.push({ code });
    last = m.index! + m[0].length;
  }
  if (!mapped) return undefined;
  if (last < s.length) parts.push(s.slice(last));
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0]!.code;
  scope.use('text');
  return `text\`${parts.map((p) => (typeof p === 'string' ? templateText(p) : `\${${p.code}}`)).join('')}\``;
}

/** Whether a string holds a tag that reads a task or step (so its edge must be inferred by the DSL). */
export function readsNodes(s: string): boolean {
  return /\{\{\s*(tasks|steps)\./.test(s);
}
