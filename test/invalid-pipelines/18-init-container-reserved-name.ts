// An init container named "init", a name Argo uses for its own container.
import { container, pipeline } from '@argots/dsl';

const migrate = container('migrate', { container: { image: 'flyway/flyway:10' }, fields: { initContainers: [{ name: 'init', image: 'busybox:1.36' }] } });

export default pipeline('shop-migrate', (p) => {
  p.task('migrate', migrate);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG047', line: 4, message: "template \"migrate\": initContainers name must not be one of Argo's reserved names (main, wait, init), received \"init\"" },
];
