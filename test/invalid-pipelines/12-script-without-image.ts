// A script template without an image.
import { pipeline, script } from '@argots/dsl';

const lint = script('lint', { script: { command: ['sh'], source: 'npm run lint' } });

export default pipeline('shop-lint', (p) => {
  p.task('lint', lint);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG045', line: 4, message: "template \"lint\": script.image must not be empty, received nothing" },
];
