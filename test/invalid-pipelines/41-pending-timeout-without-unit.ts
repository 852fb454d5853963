// pendingTimeout without a unit.
import { container, pipeline } from '@argots/dsl';

const build = container('build', { container: { image: 'alpine:3.20' }, fields: { pendingTimeout: '90' } as never });

export default pipeline('shop-pending', (p) => {
  p.task('build', build);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG043', line: 4, message: "template \"build\": pendingTimeout must be a duration such as \"30s\" or \"1h\", received \"90\"" },
];
