// Day names in a schedule: Argo v4 accepts only numeric fields.
import { container, cronWorkflow } from '@argots/dsl';

const standup = container('standup', { container: { image: 'alpine:3.20', args: ['remind'] } });

export default cronWorkflow('standup-reminder', {
  schedules: ['0 9 * * MON-FRI'],
  entrypoint: standup,
  templates: [standup],
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG031', line: 6, message: "schedule \"0 9 * * MON-FRI\": expected a standard cron expression, day of week \"MON-FRI\" uses names; Argo v4 accepts only digits and * , / ? -" },
];
