import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, has, isObject, show } from '../_internal/json.js';
import { isLeafType, templateTypeOf } from '../_internal/template-kind.js';

/**
 * Fields Argo only accepts on some template types: activeDeadlineSeconds not on steps/dag; timeout and
 * pendingTimeout only on leaf templates; parallelism only on steps/dag; input artifact paths only on leaves.
 */
export function leafOnlyFields(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const type = templateTypeOf(template);
  if (type === undefined) return;
  const name = show(template['name']);
  const leaf = isLeafType(type);
  const nonLeaf = type === 'steps' || type === 'dag';
  if (nonLeaf && has(template, 'activeDeadlineSeconds')) {
    ctx.reporter.report({
      code: 'ARG041',
      path: [...path, 'activeDeadlineSeconds'],
      message: `template ${name}: activeDeadlineSeconds is only valid on leaf templates, received it on a ${type} template`,
      hint: 'move activeDeadlineSeconds to the templates the steps/tasks call, or use timeout on them',
    });
  }
  for (const field of ['timeout', 'pendingTimeout']) {
    if (!leaf && has(template, field)) {
      ctx.reporter.report({
        code: 'ARG041',
        path: [...path, field],
        message: `template ${name}: ${field} is only valid on leaf templates, received it on a ${type} template`,
        hint: `set ${field} on the container, script, resource, http or plugin templates instead`,
      });
    }
  }
  if (!nonLeaf && has(template, 'parallelism')) {
    ctx.reporter.report({
      code: 'ARG042',
      path: [...path, 'parallelism'],
      message: `template ${name}: parallelism is only valid on steps and dag templates, received it on a ${type} template`,
      hint: 'remove parallelism, or set it on the steps/dag template that fans out',
    });
  }
  const inputs = template['inputs'];
  arrayAt(inputs, 'artifacts').forEach((artifact, i) => {
    if (!isObject(artifact)) return;
    const artifactName = show(artifact['name']);
    if (leaf && type !== 'http' && type !== 'plugin' && type !== 'data' && type !== 'resource' && !has(artifact, 'path')) {
      ctx.reporter.report({
        code: 'ARG048',
        path: [...path, 'inputs', 'artifacts', i],
        message: `template ${name}: input artifact ${artifactName} needs a path on a ${type} template, received none`,
        hint: 'set path: to where the artifact is placed in the container, for example /tmp/input',
      });
    }
    if (!leaf && has(artifact, 'path')) {
      ctx.reporter.report({
        code: 'ARG048',
        path: [...path, 'inputs', 'artifacts', i, 'path'],
        message: `template ${name}: input artifact ${artifactName} path is only valid in container/script templates, received one on a ${type} template`,
        hint: 'remove path here; the templates that use the artifact declare its path',
      });
    }
  });
}
