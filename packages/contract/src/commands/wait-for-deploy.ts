import { defineCommand } from '../define-command.js';

/**
 * Waits until Argo CD has synced an Application to a GitOps revision and reports it healthy, including
 * Argo Rollouts finishing their canary or blue-green steps and analysis; fails when it degrades or a rollout aborts.
 */
export const waitForDeploy = defineCommand({
  name: 'wait-for-deploy',
  summary: 'Wait until Argo CD has synced an Application to a GitOps revision and it is Healthy (rollouts finished); fail on Degraded or an aborted rollout.',
  inputs: {
    server: { kind: 'string', description: 'Argo CD API root.', required: true, example: 'https://argocd.acme.io' },
    application: { kind: 'string', description: 'The Argo CD Application name.', required: true, pattern: '[a-z0-9]([-a-z0-9.]*[a-z0-9])?', example: 'shop-api-staging' },
    appNamespace: { kind: 'string', description: 'Namespace of the Application (apps in any namespace; default: Argo CD\'s own).', example: 'argocd' },
    gitopsUrl: { kind: 'string', description: 'The GitOps repository the Application must deploy from (refused otherwise, so a wrong name never passes); a later revision Argo CD reports counts when this repository shows it contains ours (read-only git credentials).', example: 'https://github.com/acme/gitops.git' },
    revision: { kind: 'string', description: 'The GitOps commit that must be synced, itself or within a later revision of its branch (40 hex digits).', required: true, pattern: '[0-9a-f]{40}', example: '4f7c2e1d9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e' },
    timeoutSeconds: { kind: 'integer', description: 'Give up after this long (default 900).' },
    intervalSeconds: { kind: 'integer', description: 'Poll interval (default 10).' },
  },
  outputs: {
    health: { description: "The Application's health when the wait ended.", enum: ['Healthy', 'Degraded', 'Progressing', 'Suspended', 'Missing', 'Unknown'] },
    revision: { description: 'The revision Argo CD reports as synced: ours, or a later one that contains it.' },
    rollouts: { description: 'Argo Rollouts of the Application and their health: [{ name, namespace, health, message }].', format: 'json' },
  },
});
