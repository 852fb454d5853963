import type { ValidationCode } from '../codes.js';
import { templateTypeOf } from './template-kind.js';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from './json.js';

/** Tags Argo checks: anything starting with one of these must resolve. */
export const CHECKED_ROOTS = ['item', 'steps', 'inputs', 'outputs', 'pod', 'workflow', 'tasks'] as const;

const WORKFLOW_GLOBALS = new Set([
  'workflow.name', 'workflow.namespace', 'workflow.mainEntrypoint', 'workflow.serviceAccountName', 'workflow.uid',
  'workflow.status', 'workflow.priority', 'workflow.creationTimestamp', 'workflow.duration', 'workflow.scheduledTime',
  'workflow.parameters', 'workflow.parameters.json', 'workflow.labels', 'workflow.labels.json', 'workflow.annotations.json', 'workflow.annotations', 'workflow.outputs.parameters', 'workflow.outputs.artifacts',
]);

/** What a step / task reference (`steps.X` / `tasks.X`) may see of the node it names. */
export interface NodeInfo {
  /** The template it calls, when it resolves among the resources given. */
  readonly template: JsonObject | undefined;
  readonly looped: boolean;
}

export type ItemScope = { readonly kind: 'none' } | { readonly kind: 'any' } | { readonly kind: 'keys'; readonly keys: ReadonlySet<string>; readonly scalar: boolean };

/** The variables visible at one place in a template. Immutable; extend with `with…` helpers. */
export interface Scope {
  readonly globals: GlobalScope;
  readonly inputs: ReadonlySet<string>;
  readonly retries: boolean;
  readonly nodeKind: 'steps' | 'tasks' | undefined;
  /** The steps / tasks of the template. */
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  /** Whether a node may be referenced here (false: a later step group, a task not upstream). */
  readonly visible: (name: string) => boolean;
  /** Steps of the group being checked (Argo's own lint lets them read each other's `status`). */
  readonly sameGroup?: (name: string) => boolean;
  readonly item: ItemScope;
}

export interface GlobalScope {
  readonly parameters: ReadonlySet<string>;
  readonly outputParameters: ReadonlySet<string> | 'any';
  readonly outputArtifacts: ReadonlySet<string> | 'any';
  /** Whether `workflow.failures` is set somewhere (an exit handler exists); computed on first use. */
  readonly failures: () => boolean;
  /**
   * The object is a WorkflowTemplate / ClusterWorkflowTemplate: when Argo validates one on its own, the
   * workflow parameters may come from the Workflow that uses it, so Argo accepts undeclared ones.
   */
  readonly parametersFromCaller: boolean;
}

export interface ScopeProblem {
  readonly code: ValidationCode;
  readonly message: string;
  readonly hint: string;
  /** Argo's own lint accepts this (a warning in lint, an error when compiling). */
  readonly beyondArgo?: boolean;
}

function globalNames(spec: JsonObject, kind: 'parameters' | 'artifacts'): ReadonlySet<string> | 'any' {
  const names = new Set<string>();
  for (const template of arrayAt(spec, 'templates')) {
    for (const item of arrayAt(objectAt(template, 'outputs'), kind)) {
      const g = stringAt(item, 'globalName');
      if (g === undefined) continue;
      if (g.includes('{{')) return 'any';
      names.add(g);
    }
  }
  return names;
}

function mentionsExit(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(mentionsExit);
  if (!isObject(value)) return false;
  if (value['onExit'] !== undefined || value['hooks'] !== undefined) return true;
  return Object.values(value).some(mentionsExit);
}

export function globalScope(spec: JsonObject, parametersFromCaller = false): GlobalScope {
  let exitHandlers: boolean | undefined;
  const parameters = new Set<string>();
  for (const p of arrayAt(objectAt(spec, 'arguments'), 'parameters')) {
    const name = stringAt(p, 'name');
    if (name !== undefined) parameters.add(name);
  }
  return {
    parameters,
    outputParameters: globalNames(spec, 'parameters'),
    outputArtifacts: globalNames(spec, 'artifacts'),
    failures: () => {
      exitHandlers ??= mentionsExit(spec);
      return exitHandlers;
    },
    parametersFromCaller,
  };
}

export function templateScope(globals: GlobalScope, template: JsonObject): Scope {
  const inputs = new Set<string>();
  const ins = objectAt(template, 'inputs');
  const params = arrayAt(ins, 'parameters');
  if (params.length > 0) inputs.add('inputs.parameters');
  for (const p of params) {
    const name = stringAt(p, 'name');
    if (name !== undefined) inputs.add(`inputs.parameters.${name}`);
  }
  for (const a of arrayAt(ins, 'artifacts')) {
    const name = stringAt(a, 'name');
    if (name === undefined) continue;
    inputs.add(`inputs.artifacts.${name}`);
    inputs.add(`inputs.artifacts.${name}.path`);
  }
  return {
    globals,
    inputs,
    retries: template['retryStrategy'] !== undefined,
    nodeKind: undefined,
    nodes: new Map(),
    visible: () => true,
    item: { kind: 'none' },
  };
}

/** The `item` a looping step or task sees. */
export function itemScopeOf(holder: JsonObject): ItemScope {
  if (holder['withParam'] !== undefined) return { kind: 'any' };
  if (holder['withSequence'] !== undefined) return { kind: 'keys', keys: new Set(), scalar: true };
  const items = holder['withItems'];
  if (!Array.isArray(items)) return { kind: 'none' };
  const keys = new Set<string>();
  let scalar = false;
  for (const item of items) {
    if (isObject(item)) for (const k of Object.keys(item)) keys.add(k);
    else if (Array.isArray(item)) item.forEach((_, i) => keys.add(`[${i}]`));
    else scalar = true;
  }
  return { kind: 'keys', keys, scalar };
}

const outputNames = new WeakMap<JsonObject, { parameters: readonly (string | undefined)[]; artifacts: readonly (string | undefined)[] }>();

/** The output names a template declares (cached per template object: many references read the same one). */
function declaredOutputs(template: JsonObject, kind: 'parameters' | 'artifacts'): readonly (string | undefined)[] {
  let known = outputNames.get(template);
  if (!known) {
    const outputs = objectAt(template, 'outputs');
    known = {
      parameters: arrayAt(outputs, 'parameters').map((p) => stringAt(p, 'name')),
      artifacts: arrayAt(outputs, 'artifacts').map((p) => stringAt(p, 'name')),
    };
    outputNames.set(template, known);
  }
  return known[kind];
}

const NODE_FIELDS = new Set(['id', 'ip', 'status', 'exitCode', 'startedAt', 'finishedAt', 'hostNodeName', 'outputs', 'outputs.parameters', 'outputs.artifacts']);
const NO_RESULT = new Set(['steps', 'dag', 'suspend', 'resource']);

function checkNode(scope: Scope, root: 'steps' | 'tasks', rest: string, partial: boolean): ScopeProblem | undefined {
  const dot = rest.indexOf('.');
  const name = dot < 0 ? rest : rest.slice(0, dot);
  const field = dot < 0 ? '' : rest.slice(dot + 1);
  const subject = root === 'steps' ? 'step' : 'task';
  const known = scope.nodeKind === root ? scope.nodes.get(name) : undefined;
  const node = known && scope.visible(name) ? known : undefined;
  if (!node) {
    if (known) {
      return root === 'steps'
        ? {
            code: 'ARG072',
            message: `step "${name}" is in this or a later step group`,
            hint: `move the reference to a group after the one that runs "${name}"`,
            ...(field === 'status' && scope.sameGroup?.(name) ? { beyondArgo: true } : {}),
          }
        : { code: 'ARG089', message: `task "${name}" is not upstream of this task`, hint: `add "${name}" to depends (or dependencies) so it runs first` };
    }
    return scope.nodeKind === root
      ? { code: 'ARG090', message: `no ${subject} "${name}" exists in this template`, hint: `names available here: ${[...scope.nodes.keys()].filter((n) => scope.visible(n)).map((n) => `"${n}"`).join(', ') || 'none'}` }
      : { code: 'ARG090', message: `${root}.* is not available here`, hint: `${root}.X references work only inside a ${root === 'steps' ? 'steps' : 'dag'} template` };
  }
  if (field === '' || (partial && (field === 'outputs' || field === 'outputs.parameters' || field === 'outputs.artifacts'))) {
    return field === '' && !partial ? { code: 'ARG090', message: `"${root}.${name}" names a ${subject}, not a value`, hint: 'add the field, for example .outputs.result or .status' } : undefined;
  }
  if (NODE_FIELDS.has(field)) return undefined;
  const tmpl = node.template;
  if (field === 'outputs.result') {
    const type = tmpl ? templateTypeOf(tmpl) : undefined;
    if (type !== undefined && NO_RESULT.has(type)) {
      return { code: 'ARG090', message: `${subject} "${name}" calls a ${type} template, which has no outputs.result`, hint: 'declare an output parameter on the called template and use outputs.parameters.NAME' };
    }
    return undefined;
  }
  const m = /^outputs\.(parameters|artifacts)\.([^.]+)(\..*)?$/.exec(field);
  if (m) {
    if (!tmpl) return undefined;
    const kind = m[1] === 'artifacts' ? 'artifacts' : 'parameters';
    const declared = declaredOutputs(tmpl, kind);
    if (declared.includes(m[2])) return undefined;
    return {
      code: 'ARG090',
      message: `${subject} "${name}" has no output ${kind === 'parameters' ? 'parameter' : 'artifact'} "${m[2] ?? ''}"`,
      hint: `declared: ${declared.map((d) => `"${d ?? ''}"`).join(', ') || 'none'}`,
    };
  }
  return { code: 'ARG090', message: `"${field}" is not a field of ${subject} "${name}"`, hint: 'use id, status, exitCode, startedAt, finishedAt, ip, outputs.result, outputs.parameters.NAME or outputs.artifacts.NAME' };
}

function checkWorkflow(scope: Scope, tag: string, partial: boolean): ScopeProblem | undefined {
  if (WORKFLOW_GLOBALS.has(tag)) return undefined;
  if (tag.startsWith('workflow.creationTimestamp.') || tag.startsWith('workflow.labels.') || tag.startsWith('workflow.annotations.')) return undefined;
  if (tag === 'workflow.failures') {
    return scope.globals.failures() ? undefined : { code: 'ARG090', message: '"workflow.failures" is only set in exit handlers', hint: 'use it in a template run by onExit or an exit hook' };
  }
  const p = /^workflow\.parameters\.(.+)$/.exec(tag);
  if (p) {
    const name = p[1] ?? '';
    if (scope.globals.parameters.has(name)) return undefined;
    return {
      code: 'ARG090',
      message: `workflow parameter "${name}" is not declared in spec.arguments.parameters`,
      hint: `declared: ${[...scope.globals.parameters].map((n) => `"${n}"`).join(', ') || 'none'}`,
      ...(scope.globals.parametersFromCaller ? { beyondArgo: true } : {}),
    };
  }
  const o = /^workflow\.outputs\.(parameters|artifacts)\.(.+)$/.exec(tag);
  if (o) {
    const set = o[1] === 'parameters' ? scope.globals.outputParameters : scope.globals.outputArtifacts;
    if (set === 'any' || set.has(o[2] ?? '')) return undefined;
    return { code: 'ARG090', message: `no output sets globalName "${o[2] ?? ''}"`, hint: 'set globalName on the output parameter or artifact that produces it' };
  }
  if (partial && (tag === 'workflow' || tag === 'workflow.outputs')) return undefined;
  return { code: 'ARG090', message: `"${tag}" is not a workflow variable`, hint: 'workflow variables: name, namespace, uid, status, parameters.NAME, labels.NAME, annotations.NAME, creationTimestamp, duration, …' };
}

/**
 * Checks one variable name against the scope. `partial` accepts a prefix of a longer name (expressions index
 * maps: `inputs.parameters['x']`, `item.a.b`). Names outside Argo's checked roots are not ours to judge,
 * except `retries` / `lastRetry.*` (only with a retryStrategy).
 */
export function checkVariable(scope: Scope, tag: string, partial = false): ScopeProblem | undefined {
  const dot = tag.indexOf('.');
  const root = dot < 0 ? tag : tag.slice(0, dot);
  const rest = dot < 0 ? '' : tag.slice(dot + 1);
  switch (root) {
    case 'item':
    case 'items': {
      if (root === 'items') return undefined;
      if (scope.item.kind === 'none') return { code: 'ARG090', message: '"item" is only set inside a loop', hint: 'add withItems, withParam or withSequence to this step or task' };
      if (scope.item.kind === 'any' || rest === '') return undefined;
      const key = rest.split('.')[0] ?? '';
      if (scope.item.keys.has(key)) return undefined;
      return { code: 'ARG090', message: `withItems entries have no key "${key}"`, hint: `keys: ${[...scope.item.keys].map((k) => `"${k}"`).join(', ') || 'none (items are scalars: use {{item}})'}` };
    }
    case 'inputs':
      if (scope.inputs.has(tag)) return undefined;
      if (partial && [...scope.inputs].some((k) => k.startsWith(`${tag}.`))) return undefined;
      if (partial && (tag === 'inputs')) return undefined;
      return { code: 'ARG090', message: `"${tag}" is not an input of this template`, hint: `inputs declared: ${[...scope.inputs].filter((k) => !k.endsWith('.path') && k !== 'inputs.parameters').map((k) => `"${k}"`).join(', ') || 'none'}` };
    case 'outputs':
      return undefined;
    case 'pod':
      return tag === 'pod.name' || (partial && tag === 'pod') ? undefined : { code: 'ARG090', message: `"${tag}" is not a pod variable`, hint: 'the only pod variable is pod.name' };
    case 'workflow':
      return checkWorkflow(scope, tag, partial);
    case 'steps':
    case 'tasks':
      if (rest === '' && partial) return undefined;
      // `tasks.name` / `steps.name`: the name of the task or step being run (Argo's variables reference).
      if (rest === 'name' && (scope.nodeKind === root || root === 'tasks')) return undefined;
      return checkNode(scope, root, rest, partial);
    case 'retries':
    case 'lastRetry':
      return scope.retries ? undefined : { code: 'ARG090', message: `"${tag}" is only set in a template with a retryStrategy`, hint: 'add retryStrategy to this template' };
    default:
      return undefined;
  }
}
