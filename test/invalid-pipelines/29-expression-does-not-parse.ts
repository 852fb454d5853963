// A {{= }} expression with an unbalanced parenthesis.
import { container, param, pipeline } from '@argots/dsl';

const tag = container('tag', { inputs: { version: param.string() }, container: { image: 'alpine:3.20', args: ['{{=sprig.trimPrefix("v", inputs.parameters.version}}'] } });

export default pipeline('shop-expression', (p) => {
  p.task('tag', tag.call({ version: 'v1.2.3' }));
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG092', line: 4, message: "template \"tag\": expression \"{{=sprig.trimPrefix(\"v\", inputs.parameters.version}}\" does not parse: expected \")\" before the end of the expression" },
];
