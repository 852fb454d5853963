import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { show } from '../_internal/json.js';
import { TEMPLATE_TYPES, templateTypesOf } from '../_internal/template-kind.js';

/** Exactly one of container, containerSet, steps, script, resource, dag, suspend, data, http, plugin. */
export function templateType(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const types = templateTypesOf(template);
  if (types.length === 1) return;
  ctx.reporter.report({
    code: 'ARG040',
    path: types.length === 0 ? [...path] : [...path, types[1] ?? ''],
    message: types.length === 0
      ? `template ${show(template['name'])}: expected exactly one template type, received none`
      : `template ${show(template['name'])}: expected exactly one template type, received ${types.join(', ')}`,
    hint: `choose one of: ${TEMPLATE_TYPES.join(', ')}`,
  });
}
