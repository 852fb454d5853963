// A CronWorkflow name longer than 52 characters (Argo appends a timestamp to it).
import { container, cronWorkflow } from '@argots/dsl';

const backup = container('backup', { container: { image: 'postgres:16', args: ['pg_dump'] } });

export default cronWorkflow('nightly-database-backup-for-the-orders-service-europe', {
  schedules: ['0 2 * * *'],
  entrypoint: backup,
  templates: [backup],
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG010', line: 6, message: "CronWorkflow \"nightly-database-backup-for-the-orders-service-europe\": metadata.name must be at most 52 characters, received 53" },
];
