/**
 * `spec.templateDefaults` merged under a template (operator.go mergedTemplateDefaultsInto): the template's own
 * fields win, objects merge key by key, lists are the template's; a type field of the defaults (`container`,
 * `script`, …) applies only to a template of that type.
 */
import type { Template } from '../model/workflow.js';

const TYPES = ['container', 'script', 'containerSet', 'resource', 'suspend', 'http', 'dag', 'steps', 'data', 'plugin'] as const;

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (base === null || typeof base !== 'object' || Array.isArray(base) || over === null || typeof over !== 'object' || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out;
}

export function withTemplateDefaults(template: Template, defaults: Template | undefined): Template {
  if (!defaults) return template;
  const base: Record<string, unknown> = { ...defaults };
  for (const t of TYPES) if (!(t in template)) delete base[t];
  delete base['name'];
  return merge(base, template) as Template;
}
