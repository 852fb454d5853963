import { has, type JsonObject } from './json.js';

export const TEMPLATE_TYPES = [
  'container', 'containerSet', 'steps', 'script', 'resource', 'dag', 'suspend', 'data', 'http', 'plugin',
] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

/** The template types that are set on a template (exactly one when it is valid). */
export function templateTypesOf(template: JsonObject): TemplateType[] {
  return TEMPLATE_TYPES.filter((t) => has(template, t));
}

export function templateTypeOf(template: JsonObject): TemplateType | undefined {
  const types = templateTypesOf(template);
  return types.length === 1 ? types[0] : undefined;
}

/** Argo's `Template.IsLeaf`: a template that runs a pod or an agent task itself. */
export function isLeafType(type: TemplateType | undefined): boolean {
  return type !== undefined && type !== 'steps' && type !== 'dag' && type !== 'suspend';
}
