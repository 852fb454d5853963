// action: apply with neither manifest nor manifestFrom.
import { pipeline, resource } from '@argots/dsl';

const apply = resource('apply', { resource: { action: 'apply' } });

export default pipeline('shop-apply', (p) => {
  p.task('apply', apply);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG051', line: 4, message: "template \"apply\": expected exactly one of resource.manifest and resource.manifestFrom for action \"apply\", received neither" },
];
