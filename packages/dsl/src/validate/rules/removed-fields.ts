import type { WorkflowContext } from '../_internal/context.js';
import { has, objectAt, show, type JsonObject, type JsonPath } from '../_internal/json.js';

function synchronization(ctx: WorkflowContext, holder: JsonObject, path: JsonPath, where: string): void {
  const sync = objectAt(holder, 'synchronization');
  if (!sync) return;
  for (const [old, now] of [['mutex', 'mutexes'], ['semaphore', 'semaphores']] as const) {
    if (!has(sync, old)) continue;
    ctx.reporter.report({
      code: 'ARG035',
      path: [...path, 'synchronization', old],
      message: `${where}: expected synchronization.${now} (a list), received synchronization.${old}, which Argo v4 removed`,
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
      message: `${ctx.kind}: expected podPriorityClassName, received podPriority, which Argo v4 removed`,
      hint: 'use podPriorityClassName',
    });
  }
  synchronization(ctx, ctx.spec, ctx.specPath, ctx.kind);
  for (const { template, path } of ctx.templates) synchronization(ctx, template, path, `template ${show(template['name'])}`);
}
