import type { TemplateEntry, WorkflowContext } from '../_internal/context.js';
import { show } from '../_internal/json.js';

const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** `timeout` is a duration ("30s", "1h"), never a bare integer; activeDeadlineSeconds a positive integer or variable. */
export function timeouts(ctx: WorkflowContext, { template, path }: TemplateEntry): void {
  const name = show(template['name']);
  for (const field of ['timeout', 'pendingTimeout']) {
    const value = template[field];
    if (value === undefined || value === null) continue;
    const text = String(value);
    if (text.includes('{{')) continue;
    if (typeof value === 'number' || /^\d+$/.test(text) || !DURATION.test(text)) {
      ctx.reporter.report({
        code: 'ARG043',
        path: [...path, field],
        message: `template ${name}: ${field} must be a duration such as "30s" or "1h", received ${show(value)}`,
        hint: `add a unit: ${field}: "${/^\d+$/.test(text) ? `${text}s` : '30s'}"`,
      });
    }
  }
  const deadline = template['activeDeadlineSeconds'];
  if (deadline === undefined || deadline === null) return;
  const ok = typeof deadline === 'number'
    ? Number.isInteger(deadline) && deadline > 0
    : typeof deadline === 'string' && (/^\d+$/.test(deadline) ? Number(deadline) > 0 : /^\s*\{\{.*\}\}\s*$/.test(deadline));
  if (!ok) {
    ctx.reporter.report({
      code: 'ARG043',
      path: [...path, 'activeDeadlineSeconds'],
      message: `template ${name}: activeDeadlineSeconds must be a positive integer or an Argo variable, received ${show(deadline)}`,
      hint: 'give the number of seconds, for example activeDeadlineSeconds: 300',
    });
  }
}
