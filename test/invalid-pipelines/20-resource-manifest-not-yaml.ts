// A resource manifest that is not valid YAML.
import { pipeline, resource } from '@argots/dsl';

const job = resource('smoke-job', { resource: { action: 'create', manifest: 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: "smoke\n' } });

export default pipeline('shop-smoke-job', (p) => {
  p.task('job', job);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG052', line: 4, message: "template \"smoke-job\": resource.manifest must be valid YAML, received YAML that does not parse (Missing closing \"quote)" },
];
