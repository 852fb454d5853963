// An output read with jsonPath on a container template (containers write files: use a path).
import { container, output, pipeline } from '@argots/dsl';

const build = container('build', { outputs: { digest: output.jsonPath('{.status.digest}') }, container: { image: 'alpine:3.20' } });

export default pipeline('shop-outputs', (p) => {
  p.task('build', build);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG057', line: 4, message: "template \"build\": output parameter \"digest\" of a container template needs valueFrom.path, received valueFrom.jsonPath" },
];
