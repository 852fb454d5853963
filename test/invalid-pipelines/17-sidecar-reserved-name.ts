// A sidecar named "wait", a name Argo uses for its own container.
import { container, pipeline } from '@argots/dsl';

const e2e = container('e2e', { container: { image: 'cypress/included:13.15.0' }, fields: { sidecars: [{ name: 'wait', image: 'nginx:1.27' }] } });

export default pipeline('shop-e2e', (p) => {
  p.task('e2e', e2e);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG047', line: 4, message: "template \"e2e\": sidecars name must not be one of Argo's reserved names (main, wait, init), received \"wait\"" },
];
