// A Workflow with templates but no entrypoint.
import { container, workflow } from '@argots/dsl';

const hello = container('hello', { container: { image: 'alpine:3.20' } });

export default workflow({ generateName: 'hello-' }, { templates: [hello] });

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG020', line: 6, message: "Workflow: spec.entrypoint is required, received none" },
];
