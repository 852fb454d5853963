import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { registryLogin as command } from '@argots/contract';
import { defineHandler } from '../command-handler.js';
import { DEFAULT_ENVIRONMENTS_PATH, loadEnvironments } from '../promote/load-environments.js';
import { credentialsFor } from '../promote/promote-between-environments.js';
import { RuntimeError } from '../runtime-error.js';

/**
 * `argots-runtime registry-login --env '["dev"]' --file /docker/config.json`: `auths` for each environment's
 * registry from its `auth` (gce-metadata: the pod identity's access token, valid about an hour). Written
 * group-readable (0640): the pod's fsGroup lets the build container read it, nobody else.
 */
export default defineHandler(command, async (inputs, ctx) => {
  const environments = await loadEnvironments(inputs.environments ?? ctx.env['ARGOTS_ENVIRONMENTS'] ?? DEFAULT_ENVIRONMENTS_PATH);
  const auths: Record<string, { auth: string }> = {};
  for (const name of inputs.env) {
    const env = environments[name];
    if (!env) {
      throw new RuntimeError('RUN532', `input "env": environment "${name}" is not in the environments configuration`, { hint: `expected one of: ${Object.keys(environments).join(', ')}` });
    }
    const credentials = await credentialsFor(env, name, ctx.env);
    if (!credentials) {
      ctx.log(`${name}: ${env.registry} is read anonymously or through the Docker config already; nothing to write for it`);
      continue;
    }
    auths[env.registry] = { auth: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64') };
  }
  await mkdir(dirname(inputs.file), { recursive: true });
  const temp = `${inputs.file}.argots-${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ auths }, null, 2)}\n`, { mode: 0o640 });
  await chmod(temp, 0o640);
  await rename(temp, inputs.file);
  ctx.log(`wrote credentials for ${Object.keys(auths).join(', ') || 'no registry'} to ${inputs.file}`);
  return { outputs: { registries: JSON.stringify(Object.keys(auths)) } };
});
