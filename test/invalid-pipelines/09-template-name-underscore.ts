// A template name with an underscore.
import { container, pipeline } from '@argots/dsl';

const build = container('build_image', { container: { image: 'moby/buildkit:v0.16.0-rootless' } });

export default pipeline('shop-build', (p) => {
  p.task('build', build);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG012', line: 4, message: "template \"build_image\": name must be letters, digits and \"-\", starting with a letter or digit, received \"build_image\"" },
];
