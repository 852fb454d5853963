// A {{= }} expression reading an input the template does not declare.
import { container, param, pipeline } from '@argots/dsl';

const tag = container('tag', { inputs: { version: param.string() }, container: { image: 'alpine:3.20', args: ['{{=inputs.parameters.release + "-rc"}}'] } });

export default pipeline('shop-expression-input', (p) => {
  p.task('tag', tag.call({ version: 'v1.2.3' }));
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG092', line: 4, message: "template \"tag\": expression \"{{=inputs.parameters.release + \"-rc\"}}\" reads \"inputs.parameters.release\", which is not in scope: \"inputs.parameters.release\" is not an input of this template" },
];
