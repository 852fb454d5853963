import type { WorkflowContext } from './context.js';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from './json.js';

/** What a step, task, hook or onExit (a "template holder") calls. */
export type Resolution =
  | { readonly status: 'found'; readonly template: JsonObject; readonly label: string }
  | { readonly status: 'missing-template'; readonly label: string }
  | { readonly status: 'missing-resource'; readonly label: string; readonly resource: string; readonly clusterScope: boolean }
  | { readonly status: 'none' };

export function resolveTemplateName(ctx: WorkflowContext, name: string): Resolution {
  const entry = ctx.templatesByName.get(name);
  return entry ? { status: 'found', template: entry.template, label: `"${name}"` } : { status: 'missing-template', label: `"${name}"` };
}

export function resolveTemplateRef(ctx: WorkflowContext, ref: JsonObject): Resolution {
  const resource = stringAt(ref, 'name');
  const templateName = stringAt(ref, 'template');
  if (!resource || !templateName) return { status: 'none' };
  const clusterScope = ref['clusterScope'] === true;
  const label = `"${resource}/${templateName}"`;
  const target = ctx.resources.lookup(clusterScope, resource);
  if (!target) return { status: 'missing-resource', label, resource, clusterScope };
  for (const template of arrayAt(objectAt(target, 'spec'), 'templates')) {
    if (isObject(template) && template['name'] === templateName) return { status: 'found', template, label };
  }
  return { status: 'missing-template', label };
}

/** Resolves a holder: `template: name` locally, or `templateRef` across all the resources given. */
export function resolveHolder(ctx: WorkflowContext, holder: JsonObject): Resolution {
  const ref = objectAt(holder, 'templateRef');
  if (ref) return resolveTemplateRef(ctx, ref);
  const name = stringAt(holder, 'template');
  if (name) return resolveTemplateName(ctx, name);
  return { status: 'none' };
}
