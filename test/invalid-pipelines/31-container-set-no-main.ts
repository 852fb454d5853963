// A containerSet with an output but no container named "main".
import { containerSet, output, pipeline } from '@argots/dsl';

const pair = containerSet('pair', {
  outputs: { report: output.path('/workspace/report') },
  containerSet: { containers: [{ name: 'test', image: 'node:22' }, { name: 'report', image: 'node:22', dependencies: ['test'] }] },
});

export default pipeline('shop-container-set', (p) => {
  p.task('pair', pair);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG058', line: 4, message: "template \"pair\": a containerSet with outputs needs a container named \"main\", received \"test\", \"report\"" },
];
