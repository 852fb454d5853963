// An input artifact placed at a path a volume is already mounted on.
import { artifact, container, pipeline } from '@argots/dsl';

const test = container('test', {
  inputs: { source: artifact({ path: '/workspace', git: { repo: 'https://github.com/acme/shop.git' } }) },
  container: { image: 'node:22', volumeMounts: [{ name: 'workspace', mountPath: '/workspace' }] },
});

export default pipeline('shop-artifact-mount', (p) => {
  p.task('test', test);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG046', line: 4, message: "template \"test\": input artifact path \"/workspace\" must not collide with a volume mount, received the path of volume \"workspace\"" },
];
