// A schedule with four fields instead of five.
import { container, cronWorkflow } from '@argots/dsl';

const report = container('report', { container: { image: 'alpine:3.20', args: ['report'] } });

export default cronWorkflow('weekly-report', {
  schedules: ['0 9 * 1'],
  entrypoint: report,
  templates: [report],
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG031', line: 6, message: "schedule \"0 9 * 1\": expected a standard cron expression, expected 5 fields (minute hour day-of-month month day-of-week), received 4" },
];
