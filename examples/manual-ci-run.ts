// A Workflow that runs a whole WorkflowTemplate by reference (`workflowTemplateRef`) with arguments: the
// CI pipeline of ci-pipeline.ts for one commit, as `argo submit` would — for a re-run by hand.
import { workflow } from '@argots/dsl';
import ciPipeline from './ci-pipeline.js';

export default workflow({ generateName: 'ci-pipeline-manual-' }, {
  workflowTemplateRef: ciPipeline,
  arguments: { commit: '4f7c2e1d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e', service: 'shop-api' },
  labels: { 'acme.io/trigger': 'manual' },
});
