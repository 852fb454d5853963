// A schedule whose hour field is 24 (hours run 0-23).
import { container, cronWorkflow } from '@argots/dsl';

const cleanup = container('cleanup', { container: { image: 'alpine:3.20', args: ['cleanup'] } });

export default cronWorkflow('nightly-cleanup', {
  schedules: ['0 24 * * *'],
  entrypoint: cleanup,
  templates: [cleanup],
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG031', line: 6, message: "schedule \"0 24 * * *\": expected a standard cron expression, hour \"24\" is outside 0-23" },
];
