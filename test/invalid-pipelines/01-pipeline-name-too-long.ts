// A WorkflowTemplate name longer than the 63 characters Kubernetes allows.
import { container, pipeline } from '@argots/dsl';

const hello = container('hello', { container: { image: 'alpine:3.20', args: ['hi'] } });

export default pipeline('shop-api-continuous-delivery-pipeline-for-the-europe-west-region', (p) => {
  p.task('hello', hello);
});

/** What synth must report: code, the line of the builder call in this file, and the message. */
export const expected = [
  { code: 'ARG010', line: 6, message: "WorkflowTemplate \"shop-api-continuous-delivery-pipeline-for-the-europe-west-region\": metadata.name must be at most 63 characters, received 64" },
];
