/**
 * Outputs of a DAG or steps template (operator.go getTemplateOutputsFromScope): parameters from
 * `valueFrom.parameter` (a tag over `tasks.*`/`steps.*`) or `valueFrom.expression`, artifacts from `from`;
 * `globalName` makes them workflow outputs.
 */
import type { NodeOutputs, RunNode } from '../model/node.js';
import type { Template } from '../model/workflow.js';
import { evaluateExpressionTag } from '../variables/expression.js';
import type { Scope } from '../variables/scope.js';
import { substituteString } from '../variables/substitute.js';
import { NodeError } from './workflow-run.js';
import type { WorkflowRun } from './workflow-run.js';

export function compositeOutputs(run: WorkflowRun, node: RunNode, tmpl: Template, scope: Scope): void {
  const outputs: NodeOutputs = { parameters: [], artifacts: [] };
  for (const p of tmpl.outputs?.parameters ?? []) {
    let value: string | undefined;
    try {
      if (p.value !== undefined) value = substituteString(String(p.value), scope, { allowUnresolved: false });
      else if (p.valueFrom?.parameter !== undefined) value = substituteString(p.valueFrom.parameter, scope, { allowUnresolved: false });
      else if (p.valueFrom?.expression !== undefined) value = evaluateExpressionTag(p.valueFrom.expression, scope);
    } catch (error) {
      if (p.valueFrom?.default !== undefined) value = p.valueFrom.default;
      else throw new NodeError(`output parameter "${p.name}": ${error instanceof Error ? error.message : String(error)}`);
    }
    if (value === undefined) value = p.valueFrom?.default;
    if (value === undefined) throw new NodeError(`output parameter "${p.name}" has no value, valueFrom.parameter or valueFrom.expression`);
    outputs.parameters.push({ name: p.name, value });
    if (p.globalName) run.setGlobalParameter(p.globalName, value);
  }
  for (const a of tmpl.outputs?.artifacts ?? []) {
    if (a.from === undefined) continue;
    let path: string;
    try {
      path = substituteString(a.from, scope, { allowUnresolved: false });
    } catch (error) {
      if (a.optional) continue;
      throw new NodeError(`output artifact "${a.name}": ${error instanceof Error ? error.message : String(error)}`);
    }
    outputs.artifacts.push({ name: a.name, path });
    if (a.globalName) run.setGlobalArtifact(a.globalName, path);
  }
  node.outputs = outputs;
}
