import { defineCommand } from '../define-command.js';

/** Finds how a service builds: Dockerfiles or docker buildx bake targets. */
export const detectBuild = defineCommand({
  name: 'detect-build',
  summary: 'Find how a service builds: one or several Dockerfiles, or docker buildx bake targets.',
  inputs: {
    repo: { kind: 'string', description: 'Path of the application repository checkout.', required: true, example: '/workspace/src' },
    context: { kind: 'string', description: "Directory of the service, relative to the repository root.", example: 'services/api' },
    group: { kind: 'string', description: 'Bake group whose targets are built.', example: 'default' },
  },
  outputs: {
    kind: { description: 'How the service builds.', enum: ['dockerfile', 'bake', 'none'] },
    dockerfiles: { description: 'Dockerfiles found, relative to the repository root.', format: 'json' },
    bakeFiles: { description: 'Bake files read, in bake merge order.', format: 'json' },
    targets: { description: 'Bake targets of the group, resolved.', format: 'json' },
  },
});
