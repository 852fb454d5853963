// A templateRef to a WorkflowTemplate that is not among the compiled resources.
import { pipeline, templateRef } from '@argots/dsl';

const notify = templateRef({ name: 'slack-notifications', template: 'send' });

export default pipeline('shop-notify', (p) => {
  p.task('notify', notify);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG063', line: 7, message: "task \"notify\": template reference \"slack-notifications/send\" not found: no WorkflowTemplate named \"slack-notifications\" among the resources given" },
];
