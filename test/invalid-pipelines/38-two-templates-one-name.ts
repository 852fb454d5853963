// Two different templates with the same name in one pipeline.
import { container, pipeline } from '@argots/dsl';

const buildApi = container('build', { container: { image: 'moby/buildkit:v0.16.0-rootless', args: ['api'] } });
const buildWeb = container('build', { container: { image: 'moby/buildkit:v0.16.0-rootless', args: ['web'] } });

export default pipeline('shop-two-builds', (p) => {
  p.task('api', buildApi);
  p.task('web', buildWeb);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG203', line: 5, message: "two different templates are named \"build\"" },
];
