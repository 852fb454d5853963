// A CronWorkflow with an empty list of schedules.
import { container, cronWorkflow } from '@argots/dsl';

const sync = container('sync', { container: { image: 'alpine:3.20', args: ['sync'] } });

export default cronWorkflow('never-runs', {
  schedules: [],
  entrypoint: sync,
  templates: [sync],
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG030', line: 6, message: "CronWorkflow: expected at least one entry in spec.schedules, received none" },
];
