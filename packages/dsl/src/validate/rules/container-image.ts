import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { objectAt, show, stringAt } from '../_internal/json.js';

/** container / script need an image unless templateDefaults provides one. */
export function containerImage(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const defaults = objectAt(ctx.spec, 'templateDefaults');
  for (const field of ['container', 'script'] as const) {
    const container = objectAt(template, field);
    if (!container) continue;
    const image = stringAt(container, 'image');
    if (image !== undefined && image !== '') continue;
    const fallback = stringAt(objectAt(defaults, field), 'image');
    if (fallback !== undefined && fallback !== '') continue;
    ctx.reporter.report({
      code: 'ARG045',
      path: [...path, field, 'image'],
      message: `template ${show(template['name'])}: ${field}.image must not be empty, received ${show(container['image'])}`,
      hint: `set ${field}.image, or give a default image in spec.templateDefaults.${field}.image`,
    });
  }
}
