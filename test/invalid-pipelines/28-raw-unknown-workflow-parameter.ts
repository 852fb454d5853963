// A raw "{{workflow.parameters.X}}" string for a parameter the pipeline does not declare.
import { container, param, pipeline } from '@argots/dsl';

const deploy = container('deploy', { container: { image: 'alpine:3.20', args: ['--env', '{{workflow.parameters.enviroment}}'] } });

export default pipeline('shop-raw-param', (p) => {
  p.param('environment', param.string());
  p.task('deploy', deploy);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG090', line: 4, message: "template \"deploy\": \"{{workflow.parameters.enviroment}}\" cannot be resolved: workflow parameter \"enviroment\" is not declared in spec.arguments.parameters" },
];
