// A containerSet container depending on a container that does not exist.
import { containerSet, pipeline } from '@argots/dsl';

const pair = containerSet('pair', {
  containerSet: { containers: [{ name: 'main', image: 'node:22', dependencies: ['setup'] }] },
});

export default pipeline('shop-container-set-deps', (p) => {
  p.task('pair', pair);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG058', line: 4, message: "template \"pair\": containerSet dependency \"setup\" must name a container of the set, received an unknown name" },
];
