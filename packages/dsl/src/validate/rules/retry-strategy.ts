import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { objectAt, show } from '../_internal/json.js';

const POLICIES = ['Always', 'OnError', 'OnFailure', 'OnTransientError', ''];

/** `retryStrategy.retryPolicy` is Always, OnError, OnFailure, OnTransientError or empty. */
export function retryStrategy(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const policy = objectAt(template, 'retryStrategy')?.['retryPolicy'];
  if (policy === undefined || policy === null) return;
  if (typeof policy === 'string' && POLICIES.includes(policy)) return;
  ctx.reporter.report({
    code: 'ARG044',
    path: [...path, 'retryStrategy', 'retryPolicy'],
    message: `template ${show(template['name'])}: retryPolicy must be Always, OnError, OnFailure or OnTransientError, received ${show(policy)}`,
    hint: 'OnFailure retries failed steps, OnError system errors, Always both',
  });
}
