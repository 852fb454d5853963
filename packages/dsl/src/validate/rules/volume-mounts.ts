import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { arrayAt, isObject, objectAt, show, stringAt } from '../_internal/json.js';

/** A container's volume mount paths are unique and do not collide with input artifact paths. */
export function volumeMounts(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const container = objectAt(template, 'container');
  if (!container) return;
  const used = new Map<string, string>();
  arrayAt(container, 'volumeMounts').forEach((mount, i) => {
    const mountPath = stringAt(mount, 'mountPath');
    if (mountPath === undefined) return;
    const previous = used.get(mountPath);
    if (previous !== undefined) {
      ctx.reporter.report({
        code: 'ARG046',
        path: [...path, 'container', 'volumeMounts', i, 'mountPath'],
        message: `template ${show(template['name'])}: mountPath "${mountPath}" must be unique, received it again (already mounted by ${previous})`,
        hint: 'mount each volume at its own path',
      });
      return;
    }
    used.set(mountPath, `volume ${show(isObject(mount) ? mount['name'] : undefined)}`);
  });
  arrayAt(objectAt(template, 'inputs'), 'artifacts').forEach((artifact, i) => {
    const artifactPath = stringAt(artifact, 'path');
    if (artifactPath === undefined) return;
    const previous = used.get(artifactPath);
    if (previous !== undefined) {
      ctx.reporter.report({
        code: 'ARG046',
        path: [...path, 'inputs', 'artifacts', i, 'path'],
        message: `template ${show(template['name'])}: input artifact path "${artifactPath}" must not collide with a volume mount, received the path of ${previous}`,
        hint: 'place the artifact at a path no volume is mounted on',
      });
      return;
    }
    used.set(artifactPath, `input artifact ${show(isObject(artifact) ? artifact['name'] : undefined)}`);
  });
}
