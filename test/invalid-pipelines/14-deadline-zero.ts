// activeDeadlineSeconds of 0.
import { container, pipeline } from '@argots/dsl';

const smoke = container('smoke', { container: { image: 'curlimages/curl:8.10.1' }, fields: { activeDeadlineSeconds: 0 } });

export default pipeline('shop-smoke', (p) => {
  p.task('smoke', smoke);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG043', line: 4, message: "template \"smoke\": activeDeadlineSeconds must be a positive integer or an Argo variable, received 0" },
];
