// activeDeadlineSeconds on a dag template (only leaf templates take it).
import { container, dag, pipeline } from '@argots/dsl';

const run = container('run', { container: { image: 'alpine:3.20' } });
const inner = dag('release', { fields: { activeDeadlineSeconds: 600 } }, (d) => {
  d.task('run', run);
});

export default pipeline('shop-deadline', (p) => {
  p.task('release', inner);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG041', line: 5, message: "template \"release\": activeDeadlineSeconds is only valid on leaf templates, received it on a dag template" },
];
