// timeout on a suspend template (only leaf templates take a timeout; a suspend uses its duration).
import { pipeline, suspend } from '@argots/dsl';

const approve = suspend('approve', { fields: { timeout: '1h' } });

export default pipeline('shop-approval', (p) => {
  p.task('approve', approve);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG041', line: 4, message: "template \"approve\": timeout is only valid on leaf templates, received it on a suspend template" },
];
