import type { WorkflowContext } from '../_internal/context.js';
import { holdersOf, type Holder } from '../_internal/holders.js';
import { arrayAt, has, isObject, objectAt, stringAt, type JsonObject } from '../_internal/json.js';
import { resolveHolder } from '../_internal/resolve-holder.js';

function suppliedNames(args: JsonObject | undefined, kind: 'parameters' | 'artifacts'): Map<string, number> {
  const names = new Map<string, number>();
  arrayAt(args, kind).forEach((a, i) => {
    const name = stringAt(a, 'name');
    if (name !== undefined && !names.has(name)) names.set(name, i);
  });
  return names;
}

const ARTIFACT_SOURCES = ['from', 'fromExpression', 's3', 'git', 'http', 'artifactory', 'hdfs', 'raw', 'oss', 'gcs', 'azure', 'plugin', 'key'];

function checkCall(ctx: WorkflowContext, { holder, path, label }: Holder, callee: JsonObject, calleeLabel: string): void {
  const args = objectAt(holder, 'arguments');
  const inputs = objectAt(callee, 'inputs');
  for (const kind of ['parameters', 'artifacts'] as const) {
    const supplied = suppliedNames(args, kind);
    const declared = arrayAt(inputs, kind);
    const declaredNames = new Set(declared.map((d) => stringAt(d, 'name')));
    for (const input of declared) {
      if (!isObject(input)) continue;
      const name = stringAt(input, 'name') ?? '';
      if (supplied.has(name)) continue;
      const defaulted = kind === 'parameters'
        ? has(input, 'value') || has(input, 'default') || has(input, 'valueFrom')
        : input['optional'] === true || ARTIFACT_SOURCES.some((k) => has(input, k));
      if (defaulted) continue;
      ctx.reporter.report({
        code: 'ARG065',
        path: [...path, 'arguments'],
        message: `${label}: inputs.${kind}.${name} was not supplied: template ${calleeLabel} requires ${kind === 'parameters' ? 'parameter' : 'artifact'} "${name}", received no argument for it`,
        hint: kind === 'parameters'
          ? `pass it under arguments.parameters (name: ${name}), or give the input a default`
          : `pass it under arguments.artifacts (name: ${name}, from: …), or mark the input optional`,
      });
    }
    for (const [name, i] of supplied) {
      if (declaredNames.has(name)) continue;
      ctx.reporter.report({
        code: 'ARG066',
        beyondArgo: true,
        path: [...path, 'arguments', kind, i, 'name'],
        message: `${label}: argument "${name}" is not declared by template ${calleeLabel}, which takes ${[...declaredNames].map((n) => `"${n ?? ''}"`).join(', ') || `no ${kind}`}`,
        hint: `remove the argument, fix its name, or declare it under inputs.${kind} of the called template`,
      });
    }
  }
}

/**
 * Steps, tasks and hooks call exactly one of template / templateRef (or inline); the target exists among the
 * resources given; required inputs are supplied and no undeclared argument is passed.
 */
export function templateReferences(ctx: WorkflowContext): void {
  for (const h of holdersOf(ctx)) {
    const { holder, path, label } = h;
    const named = has(holder, 'template');
    const ref = objectAt(holder, 'templateRef');
    const inline = has(holder, 'inline');
    const count = [named, ref !== undefined, inline].filter(Boolean).length;
    if (count !== 1) {
      ctx.reporter.report({
        code: 'ARG060',
        path,
        message: `${label}: expected exactly one of template and templateRef, received ${count === 0 ? 'neither' : 'both'}`,
        hint: 'name a template of this object with template, or one of another WorkflowTemplate with templateRef',
      });
      continue;
    }
    if (ref) {
      const name = stringAt(ref, 'name');
      const template = stringAt(ref, 'template');
      if (!name || !template) {
        ctx.reporter.report({
          code: 'ARG062',
          path: [...path, 'templateRef'],
          message: `${label}: templateRef needs name and template, received ${!name && !template ? 'neither' : !name ? 'no name' : 'no template'}`,
          hint: 'templateRef: { name: <WorkflowTemplate name>, template: <template name in it> }',
        });
        continue;
      }
      if (name.includes('{{') || template.includes('{{')) continue;
    } else if (named && String(holder['template']).includes('{{')) {
      continue;
    }
    if (inline) continue;
    const resolved = resolveHolder(ctx, holder);
    switch (resolved.status) {
      case 'found':
        checkCall(ctx, h, resolved.template, resolved.label);
        break;
      case 'missing-template':
        ctx.reporter.report(ref
          ? {
              code: 'ARG064',
              path: [...path, 'templateRef', 'template'],
              message: `${label}: template reference ${resolved.label} not found: ${ref['clusterScope'] === true ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} "${stringAt(ref, 'name') ?? ''}" has no template "${stringAt(ref, 'template') ?? ''}"`,
              hint: 'check the template name in the referenced WorkflowTemplate',
            }
          : {
              code: 'ARG061',
              path: [...path, 'template'],
              message: `${label}: template ${resolved.label} is not defined, expected one of ${[...ctx.templatesByName.keys()].map((n) => `"${n}"`).join(', ') || 'no templates'}`,
              hint: 'check the spelling, or add the template to spec.templates',
            });
        break;
      case 'missing-resource':
        ctx.reporter.report({
          code: 'ARG063',
          severity: ctx.externalTemplates === 'warn' ? 'warning' : 'error',
          path: [...path, 'templateRef', 'name'],
          message: `${label}: template reference ${resolved.label} not found: no ${resolved.clusterScope ? 'ClusterWorkflowTemplate' : 'WorkflowTemplate'} named "${resolved.resource}" among the resources given`,
          hint: 'include the file that defines it, fix the name, or allow external templates (externalTemplates: "warn")',
        });
        break;
      case 'none':
        break;
    }
  }
}
