// startingDeadlineSeconds below zero.
import { container, cronWorkflow } from '@argots/dsl';

const sync = container('sync', { container: { image: 'alpine:3.20', args: ['sync'] } });

export default cronWorkflow('hourly-sync', {
  schedules: ['0 * * * *'],
  startingDeadlineSeconds: -30,
  entrypoint: sync,
  templates: [sync],
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG034', line: 6, message: "CronWorkflow: startingDeadlineSeconds must be 0 or more, received -30" },
];
