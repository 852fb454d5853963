import type { WorkflowContext } from '../_internal/context.js';
import { has, objectAt, type JsonObject, type JsonPath } from '../_internal/json.js';

function synchronization(ctx: WorkflowContext, holder: JsonObject, path: JsonPath): void {
  const sync = objectAt(holder, 'synchronization');
  if (!sync) return;
  for (const [old, now] of [['mutex', 'mutexes'], ['semaphore', 'semaphores']] as const) {
    if (!has(sync, old)) continue;
    ctx.reporter.report({
      code: 'ARG035',
      path: [...path, 'synchronization', old],
      message: `synchronization: "${old}" was removed in Argo v4, received ${old}`,
      hint: `use a list: ${now}: [ … ]`,
    });
  }
}

/** Fields Argo v4 removed: `podPriority`, singular `synchronization.mutex` / `semaphore`. */
export function removedFields(ctx: WorkflowContext): void {
  if (has(ctx.spec, 'podPriority')) {
    ctx.reporter.report({
      code: 'ARG035',
      path: [...ctx.specPath, 'podPriority'],
      message: `${ctx.kind}: "podPriority" was removed in Argo v4, received podPriority`,
      hint: 'use podPriorityClassName',
    });
  }
  synchronization(ctx, ctx.spec, ctx.specPath);
  for (const { template, path } of ctx.templates) synchronization(ctx, template, path);
}
