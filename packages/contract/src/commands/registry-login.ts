import { defineCommand } from '../define-command.js';

/**
 * Writes a Docker `config.json` with short-lived credentials for environments' registries (the pod's
 * Workload Identity through the metadata server, for `gce-metadata` environments), for a build container of
 * the same pod (an init container writes it into a shared emptyDir): no push key in any Secret.
 */
export const registryLogin = defineCommand({
  name: 'registry-login',
  summary: "Write a Docker config.json with short-lived credentials for environments' registries (Workload Identity), for a build container of the same pod.",
  inputs: {
    env: { kind: 'string-list', description: 'Environments whose registries the config is for.', required: true, example: '["dev"]' },
    file: { kind: 'string', description: 'The config.json to write (its folder is created; an existing file is replaced).', required: true, example: '/docker/config.json' },
    environments: { kind: 'string', description: 'Path of the environments configuration file.', example: '/etc/argots/environments.yaml' },
  },
  outputs: {
    registries: { description: 'The registry hosts written.', format: 'json' },
  },
});
