// The one EventSource every org pipeline's Sensor listens to: GitHub webhooks of acme/shop (push,
// create, pull_request) and acme/docs (push), signature verified with the webhook secret, hook registered with the GitHub App.
import { eventSource } from '@argots/dsl';
import { APP_REPO } from './lib/org.js';

export default eventSource('github', {
  labels: { 'app.kubernetes.io/part-of': 'argots' },
  serviceAccountName: 'argots-eventsource',
  github: {
    'acme-shop': {
      repositories: [APP_REPO],
      events: ['create', 'pull_request', 'push'],
      url: 'https://events.acme.io',
      endpoint: '/github/acme-shop',
      webhookSecret: { name: 'github-webhook', key: 'secret' },
      githubApp: { appId: 123456, installationId: 7890123, privateKey: { name: 'argots-github-app', key: 'private-key' } },
    },
    // The docs site (examples/docs-site.ts) builds on pushes to acme/docs.
    'acme-docs': {
      repositories: ['acme/docs'],
      events: ['push'],
      url: 'https://events.acme.io',
      endpoint: '/github/acme-docs',
      webhookSecret: { name: 'github-webhook', key: 'secret' },
      githubApp: { appId: 123456, installationId: 7890123, privateKey: { name: 'argots-github-app', key: 'private-key' } },
    },
  },
});
