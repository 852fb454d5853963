import { defineCommand } from '../define-command.js';

/** Finds how a service is deployed in an environment of the GitOps repository. */
export const detectDeploy = defineCommand({
  name: 'detect-deploy',
  summary: 'Find how a service is deployed in an environment: Kustomize, Helm, Argo CD Application or plain manifests.',
  inputs: {
    gitops: { kind: 'string', description: 'Path of the GitOps repository checkout.', required: true, example: '/workspace/gitops' },
    service: { kind: 'string', description: 'Service name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'shop-api' },
    env: { kind: 'string', description: 'Environment name.', required: true, pattern: '[a-z0-9]([-a-z0-9]*[a-z0-9])?', example: 'staging' },
    layout: { kind: 'string', description: 'Path, inside the GitOps repository, of the layout file mapping services and environments to folders.', example: 'argots.yaml' },
  },
  outputs: {
    kind: { description: 'How the service is deployed.', enum: ['kustomize', 'helm', 'argocd-application', 'plain'] },
    files: { description: 'The files that set the image.', format: 'json' },
  },
});
