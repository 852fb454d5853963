/**
 * A template's inputs from its caller's arguments (`workflow/common/util.go` ProcessArgs): values, defaults,
 * enums, `valueFrom.configMapKeyRef`; input artifacts fetched into the node's folder; then the template
 * substituted with `inputs.*` and the node's own variables.
 */
import { join } from 'node:path';
import { fetchArtifact } from '../artifacts/artifact-store.js';
import type { RunNode } from '../model/node.js';
import type { Arguments, Template } from '../model/workflow.js';
import type { Scope } from '../variables/scope.js';
import { substituteDeep, substituteString } from '../variables/substitute.js';
import { NodeError } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

export async function processInputs(run: WorkflowRun, node: RunNode, template: Template, args: Arguments, scope: Scope): Promise<Template> {
  const params: { name: string; value: string }[] = [];
  for (const p of template.inputs?.parameters ?? []) {
    let value = p.value ?? p.default;
    const arg = args.parameters?.find((a) => a.name === p.name);
    if (arg?.value !== undefined) value = String(arg.value);
    const from = arg?.valueFrom ?? p.valueFrom;
    if (arg?.value === undefined && from?.configMapKeyRef) {
      const v = run.readConfigKey(from.configMapKeyRef.name, from.configMapKeyRef.key);
      if (v !== undefined) value = v;
      else if (from.default !== undefined) value = from.default;
      else throw new NodeError(`inputs.parameters.${p.name}: ConfigMap "${from.configMapKeyRef.name}" key "${from.configMapKeyRef.key}" is not given (pass --configmap ${from.configMapKeyRef.name}=DIR)`);
    }
    if (value === undefined && from?.default !== undefined) value = from.default;
    if (value === undefined) throw new NodeError(`inputs.parameters.${p.name} was not supplied`);
    if (p.enum && p.enum.length > 0 && !p.enum.includes(value)) throw new NodeError(`inputs.parameters.${p.name}: value "${value}" is not one of ${JSON.stringify(p.enum)}`);
    params.push({ name: p.name, value: String(value) });
  }
  for (const p of params) scope.set(`inputs.parameters.${p.name}`, p.value);
  scope.set('inputs.parameters', JSON.stringify(params));
  node.inputs = params;
  // Input artifacts: fetched into the node's folder; the leaf mounts them at their path.
  const arts: InputArtifact[] = [];
  for (const a of template.inputs?.artifacts ?? []) {
    const arg = args.artifacts?.find((x) => x.name === a.name);
    const source = arg && (arg.from || arg.raw || arg.http || arg.git || arg.s3) ? { ...a, ...arg } : a;
    const dest = join(run.nodeDir(node), 'inputs', a.name);
    const fetched = await fetchArtifact(substituteDeep(source, scope, { allowUnresolved: false }), dest, run.abort.signal);
    if (!fetched) {
      if (a.optional || arg?.optional) continue;
      throw new NodeError(`inputs.artifacts.${a.name} was not supplied`);
    }
    const path = a.path !== undefined ? substituteString(a.path, scope, { allowUnresolved: false }) : undefined;
    arts.push({ name: a.name, ...(path !== undefined ? { path } : {}), hostPath: dest });
    if (path !== undefined) scope.set(`inputs.artifacts.${a.name}.path`, path);
  }
  run.inputArtifacts.set(node.id, arts);
  for (const o of template.outputs?.parameters ?? []) if (o.valueFrom?.path !== undefined) scope.set(`outputs.parameters.${o.name}.path`, substituteString(o.valueFrom.path, scope, { allowUnresolved: true }));
  for (const o of template.outputs?.artifacts ?? []) if (o.path !== undefined) scope.set(`outputs.artifacts.${o.name}.path`, substituteString(o.path, scope, { allowUnresolved: true }));
  const leaf = !template.dag && !template.steps;
  // Metrics and the retry strategy have variables of their own (status, duration, lastRetry); they are not substituted here.
  const { metrics: _m, retryStrategy, ...rest } = template as Template & { metrics?: unknown };
  const substituted = substituteDeep(rest, scope, { allowUnresolved: !leaf });
  return retryStrategy ? { ...substituted, retryStrategy } : substituted;
}

/** An input artifact fetched into the node's folder, to be mounted at `path`. */
export interface InputArtifact {
  readonly name: string;
  readonly path?: string;
  readonly hostPath: string;
}
