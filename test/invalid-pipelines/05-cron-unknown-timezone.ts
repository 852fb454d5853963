// A time zone that is not in the IANA database.
import { container, cronWorkflow } from '@argots/dsl';

const report = container('report', { container: { image: 'alpine:3.20', args: ['report'] } });

export default cronWorkflow('daily-report', {
  schedules: ['0 6 * * *'],
  timezone: 'Europe/Atlantis',
  entrypoint: report,
  templates: [report],
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG032', line: 6, message: "timezone \"Europe/Atlantis\": expected an IANA time zone, received an unknown zone" },
];
