import { defineCommand } from '../define-command.js';

/**
 * Lists the services the application repository's change rules declare: what a promotion of a whole release
 * loops over (every service of the release moves to the next environment, not one named by a parameter).
 */
export const listServices = defineCommand({
  name: 'list-services',
  summary: "List the services the application repository's change rules declare (a JSON list to loop over).",
  inputs: {
    repo: { kind: 'string', description: 'Path of the application repository checkout.', required: true, example: '/workspace/src' },
    rules: { kind: 'string', description: 'Change rules file, relative to the repository root (default .argots/changes.yaml).', example: '.argots/changes.yaml' },
  },
  outputs: {
    services: { description: 'Names of the declared services, in the order declared, as a JSON list of strings (a `withParam` loop).', format: 'json' },
  },
});
