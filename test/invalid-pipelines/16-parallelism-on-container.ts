// parallelism on a container template (only steps and dag templates fan out).
import { container, pipeline } from '@argots/dsl';

const build = container('build', { container: { image: 'alpine:3.20' }, fields: { parallelism: 2 } });

export default pipeline('shop-parallel', (p) => {
  p.task('build', build);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG042', line: 4, message: "template \"build\": parallelism is only valid on steps and dag templates, received it on a container template" },
];
