// A container template without an image (and no templateDefaults to give one).
import { container, pipeline } from '@argots/dsl';

const test = container('unit-tests', { container: { command: ['npm', 'test'] } });

export default pipeline('shop-tests', (p) => {
  p.task('test', test);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG045', line: 4, message: "template \"unit-tests\": container.image must not be empty, received nothing" },
];
