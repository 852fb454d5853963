// Two volumes mounted at the same path.
import { container, pipeline } from '@argots/dsl';

const build = container('build', {
  container: { image: 'alpine:3.20', volumeMounts: [{ name: 'cache', mountPath: '/work' }, { name: 'src', mountPath: '/work' }] },
});

export default pipeline('shop-mounts', (p) => {
  p.task('build', build);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG046', line: 4, message: "template \"build\": mountPath \"/work\" must be unique, received it again (already mounted by volume \"cache\")" },
];
