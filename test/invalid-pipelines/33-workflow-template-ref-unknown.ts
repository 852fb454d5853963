// A Workflow that runs a WorkflowTemplate that is not among the compiled resources.
import { workflow } from '@argots/dsl';

export default workflow({ generateName: 'shop-release-' }, { workflowTemplateRef: { name: 'shop-relase' } });

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG063', line: 4, message: "workflowTemplateRef \"shop-relase\": expected a WorkflowTemplate named \"shop-relase\" among the resources given, received none" },
];
