// A raw "{{tasks.X}}" string reads a task that is not upstream (typed values add the edge; strings do not).
import { container, param, pipeline } from '@argots/dsl';

const make = container('make', { container: { image: 'alpine:3.20' } });
const use = container('use', { inputs: { value: param.string() }, container: (i) => ({ image: 'alpine:3.20', args: [i.value] }) });

export default pipeline('shop-raw-ref', (p) => {
  p.task('make', make);
  p.task('use', use.call({ value: 'built {{tasks.make.outputs.result}}' }));
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG089', line: 9, message: "template \"main\": \"{{tasks.make.outputs.result}}\" cannot be resolved: task \"make\" is not upstream of this task" },
];
