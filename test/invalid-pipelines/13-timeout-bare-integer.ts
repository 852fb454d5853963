// timeout as a bare number of seconds: Argo wants a duration with a unit.
import { container, pipeline } from '@argots/dsl';

const scan = container('scan', { container: { image: 'aquasec/trivy:0.56.2', args: ['image', 'shop'] }, fields: { timeout: '600' } });

export default pipeline('shop-scan', (p) => {
  p.task('scan', scan);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG043', line: 4, message: "template \"scan\": timeout must be a duration such as \"30s\" or \"1h\", received \"600\"" },
];
