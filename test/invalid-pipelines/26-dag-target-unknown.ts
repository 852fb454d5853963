// A dag target that names no task.
import { container, dag, pipeline } from '@argots/dsl';

const run = container('run', { container: { image: 'alpine:3.20' } });

const inner = dag('inner', { target: 'deploy' }, (d) => {
  d.task('build', run);
});

export default pipeline('shop-target', (p) => {
  p.task('inner', inner);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG086', line: 6, message: "template \"inner\": target \"deploy\" must name a task, received an unknown name" },
];
