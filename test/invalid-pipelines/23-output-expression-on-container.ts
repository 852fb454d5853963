// An output computed by an expression on a container template (expressions are for dag/steps outputs).
import { container, output, pipeline } from '@argots/dsl';

const build = container('build', { outputs: { tag: output.expression('"v1"') }, container: { image: 'alpine:3.20' } });

export default pipeline('shop-expression-output', (p) => {
  p.task('build', build);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG057', line: 4, message: "template \"build\": output parameter \"tag\" of a container template needs valueFrom.path, received valueFrom.expression" },
];
