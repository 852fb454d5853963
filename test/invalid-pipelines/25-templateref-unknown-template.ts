// A templateRef to a template the referenced WorkflowTemplate does not have.
import { container, pipeline, templateRef, workflowTemplate } from '@argots/dsl';

const send = container('send', { container: { image: 'curlimages/curl:8.10.1' } });

export const library = workflowTemplate('notifications', { templates: [send] });

export default pipeline('shop-notify-typo', (p) => {
  p.task('notify', templateRef({ name: 'notifications', template: 'sned' }));
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG064', line: 9, message: "task \"notify\": template reference \"notifications/sned\" not found: WorkflowTemplate \"notifications\" has no template \"sned\"" },
];
