import { parseAllDocuments } from 'yaml';
import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { has, objectAt, show } from '../_internal/json.js';

const ACTIONS = ['get', 'create', 'apply', 'delete', 'replace', 'patch'];

/** Resource templates: a known action; exactly one of manifest / manifestFrom (except get and delete); valid YAML. */
export function resourceTemplate(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const resource = objectAt(template, 'resource');
  if (!resource) return;
  const name = show(template['name']);
  const action = resource['action'];
  const templatedAction = typeof action === 'string' && action.includes('{{');
  if (!templatedAction && (typeof action !== 'string' || !ACTIONS.includes(action))) {
    ctx.reporter.report({
      code: 'ARG050',
      path: [...path, 'resource', 'action'],
      message: `template ${name}: resource.action must be one of ${ACTIONS.join(', ')}, received ${show(action)}`,
      hint: 'apply is the usual choice for idempotent create-or-update',
    });
  }
  const manifest = has(resource, 'manifest');
  const manifestFrom = has(resource, 'manifestFrom');
  const optional = action === 'get' || action === 'delete';
  if (manifest && manifestFrom) {
    ctx.reporter.report({
      code: 'ARG051',
      path: [...path, 'resource'],
      message: `template ${name}: expected exactly one of resource.manifest and resource.manifestFrom, received both`,
      hint: 'keep the inline manifest or the artifact reference, not both',
    });
  } else if (!manifest && !manifestFrom && !optional && !templatedAction) {
    ctx.reporter.report({
      code: 'ARG051',
      path: [...path, 'resource'],
      message: `template ${name}: expected exactly one of resource.manifest and resource.manifestFrom for action ${show(action)}, received neither`,
      hint: 'add manifest: | with the Kubernetes object to act on',
    });
  }
  const text = resource['manifest'];
  if (typeof text !== 'string') return;
  const replaced = text.replace(/\{\{[\s\S]*?\}\}/g, 'argots-placeholder');
  const problem = parseAllDocuments(replaced, { prettyErrors: false })
    .flatMap((d) => ('errors' in d ? d.errors : []))[0];
  if (problem) {
    ctx.reporter.report({
      code: 'ARG052',
      path: [...path, 'resource', 'manifest'],
      message: `template ${name}: resource.manifest must be valid YAML, received YAML that does not parse (${problem.message.split('\n')[0]})`,
      hint: 'check indentation and quoting of the manifest; {{…}} tags are replaced before parsing',
    });
  }
}
