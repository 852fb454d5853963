import type { WorkflowContext } from '../_internal/context.js';
import { cronProblem, isTimeZone } from '../_internal/cron.js';
import { has, objectAt, show } from '../_internal/json.js';

const POLICIES = ['Allow', 'Forbid', 'Replace', ''];

/** A CronWorkflow's schedules, timezone, concurrencyPolicy, startingDeadlineSeconds and removed v4 fields. */
export function cronWorkflow(ctx: WorkflowContext): void {
  if (ctx.kind !== 'CronWorkflow') return;
  const spec = objectAt(ctx.object, 'spec') ?? {};
  const r = ctx.reporter;
  if (has(spec, 'schedule')) {
    r.report({
      code: 'ARG035',
      path: ['spec', 'schedule'],
      message: `CronWorkflow: expected schedules (a list), received schedule: ${show(spec['schedule'])}, which Argo v4 removed`,
      hint: 'use a list: schedules: ["…"]',
    });
  }
  const schedules = spec['schedules'];
  if (!Array.isArray(schedules) || schedules.length === 0) {
    r.report({
      code: 'ARG030',
      path: ['spec', 'schedules'],
      message: 'CronWorkflow: expected at least one entry in spec.schedules, received none',
      hint: 'add schedules: ["0 * * * *"]',
    });
  } else {
    schedules.forEach((schedule, i) => {
      if (typeof schedule !== 'string') return;
      const problem = cronProblem(schedule);
      if (problem) {
        r.report({
          code: 'ARG031',
          path: ['spec', 'schedules', i],
          message: `schedule "${schedule}": expected a standard cron expression, ${problem}`,
          hint: 'five fields: minute hour day-of-month month day-of-week, for example "30 2 * * 1-5"',
        });
      }
    });
  }
  const timezone = spec['timezone'];
  if (typeof timezone === 'string' && timezone !== '' && !isTimeZone(timezone)) {
    r.report({
      code: 'ARG032',
      path: ['spec', 'timezone'],
      message: `timezone "${timezone}": expected an IANA time zone, received an unknown zone`,
      hint: 'use a zone name such as "Europe/Berlin", "America/New_York" or "UTC"',
    });
  }
  const policy = spec['concurrencyPolicy'];
  if (typeof policy === 'string' && !POLICIES.includes(policy)) {
    r.report({
      code: 'ARG033',
      path: ['spec', 'concurrencyPolicy'],
      message: `concurrencyPolicy "${policy}": expected Allow, Forbid or Replace, received "${policy}"`,
      hint: 'Allow runs overlapping workflows, Forbid skips a run while one is active, Replace stops the active one',
    });
  }
  const deadline = spec['startingDeadlineSeconds'];
  if (typeof deadline === 'number' && deadline < 0) {
    r.report({
      code: 'ARG034',
      path: ['spec', 'startingDeadlineSeconds'],
      message: `CronWorkflow: startingDeadlineSeconds must be 0 or more, received ${deadline}`,
      hint: 'give the number of seconds a missed run may still start, or remove the field',
    });
  }
}
