// An input artifact of a container template without a path.
import { artifact, container, pipeline } from '@argots/dsl';

const test = container('test', { inputs: { source: artifact({ git: { repo: 'https://github.com/acme/shop.git' } }) }, container: { image: 'node:22' } });

export default pipeline('shop-artifact', (p) => {
  p.task('test', test);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG048', line: 4, message: "template \"test\": input artifact \"source\" needs a path on a container template, received none" },
];
