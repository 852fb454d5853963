// A lifecycle hook other than "exit" without an expression.
import { container, workflowTemplate } from '@argots/dsl';

const main = container('main', { container: { image: 'alpine:3.20' } });
const notify = container('notify', { container: { image: 'curlimages/curl:8.10.1' } });

export default workflowTemplate('shop-hooks', { entrypoint: main, templates: [main, notify], hooks: { running: { template: notify } } });

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG027', line: 7, message: "hook \"running\": expected an expression (only the \"exit\" hook runs without one), received none" },
];
