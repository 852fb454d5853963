/**
 * Promotion as a pipeline step sees it: an image in one environment, promoted to another. Maps the image
 * onto the target environment's registry and repository prefix, finds credentials for both registries,
 * applies the target's tag policy, and promotes by digest.
 */
import { metadataAccessToken } from '../gcp/metadata-token.js';
import { allowsMutableTags, type EnvironmentConfig, type EnvironmentsConfig } from '@argots/contract';
import { RuntimeError } from '../runtime-error.js';
import { registerSecret } from '../redact.js';
import { accessTokenCredentials, dockerConfigCredentials, type RegistryCredentials } from '../oci/credentials.js';
import { formatReference, parseImageReference } from '../oci/reference.js';
import { RegistryClient } from '../oci/registry-client.js';
import type { RetryPolicy } from '../oci/_internal/retry.js';
import { promoteImage, type PromoteImageResult } from './promote-image.js';
import { silentProgress, type PromotionProgress } from './progress.js';

export interface PromoteBetweenEnvironmentsOptions {
  /** `registry/prefix/name:tag`, `…@sha256:…`, or `name:tag` relative to the source environment. */
  readonly image: string;
  readonly from: string;
  readonly to: string;
  /** Tag written in the target; default the source tag (none: promote by digest only). */
  readonly tag?: string | undefined;
  readonly environments: EnvironmentsConfig;
  readonly referrers?: boolean;
  /** Where credentials are read from (Docker config location, access-token variables, PATH for helpers). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly progress?: PromotionProgress;
  readonly log?: (message: string) => void;
  readonly retry?: RetryPolicy;
  readonly concurrency?: number;
}

export interface PromoteBetweenEnvironmentsResult extends PromoteImageResult {
  readonly source: string;
  readonly requests: number;
}

function environment(envs: EnvironmentsConfig, name: string, role: 'from' | 'to'): EnvironmentConfig {
  const env = envs[name];
  if (!env) {
    throw new RuntimeError('RUN532', `input "${role}": environment "${name}" is not in the environments configuration`, {
      hint: `expected one of: ${Object.keys(envs).join(', ')}`,
    });
  }
  return env;
}

/** The credentials an environment's `auth` gives (undefined: anonymous). Secrets are registered for redaction. */
export async function credentialsFor(env: EnvironmentConfig, name: string, vars: Readonly<Record<string, string | undefined>>): Promise<RegistryCredentials | undefined> {
  const auth = env.auth ?? { kind: 'docker-config' };
  switch (auth.kind) {
    case 'anonymous':
      return undefined;
    case 'docker-config':
      return dockerConfigCredentials(env.registry, vars);
    case 'access-token': {
      const token = vars[auth.tokenEnv];
      if (!token) {
        throw new RuntimeError('RUN533', `environment "${name}": access token variable "${auth.tokenEnv}" is not set`, {
          hint: 'with Workload Identity, set it from `gcloud auth print-access-token` (or the metadata server) before the step',
        });
      }
      return accessTokenCredentials(token);
    }
    case 'gce-metadata':
      return accessTokenCredentials((await metadataAccessToken(vars)).token);
    case 'basic': {
      const username = vars[auth.usernameEnv];
      const password = vars[auth.passwordEnv];
      if (!username || !password) {
        throw new RuntimeError('RUN533', `environment "${name}": variables "${auth.usernameEnv}" and "${auth.passwordEnv}" must both be set`, {
          hint: `set both in the step's environment before it runs (for example from a Kubernetes Secret), or change auth of environment "${name}" in the environments file`,
        });
      }
      registerSecret(password);
      return { username, password };
    }
  }
}

const join = (prefix: string, name: string): string => (prefix ? `${prefix}/${name}` : name);

export async function promoteBetweenEnvironments(o: PromoteBetweenEnvironmentsOptions): Promise<PromoteBetweenEnvironmentsResult> {
  const from = environment(o.environments, o.from, 'from');
  const to = environment(o.environments, o.to, 'to');
  if (to.readOnly) {
    throw new RuntimeError('RUN534', `input "to": environment "${o.to}" is read-only (a virtual registry); images cannot be promoted into it`, {
      hint: 'promote into the environment behind it instead',
    });
  }
  const ref = parseImageReference(o.image);
  if ('error' in ref) throw new RuntimeError('RUN535', `input "image": ${ref.error}, received "${o.image}"`, { hint: 'expected registry/repository:tag or registry/repository@sha256:<64 hex>' });
  if (ref.registry !== undefined && ref.registry !== from.registry) {
    throw new RuntimeError('RUN535', `input "image": "${o.image}" is not in environment "${o.from}" (registry "${from.registry}"), its registry is "${ref.registry}"`, {
      hint: `promote from the environment the image lives in, or pass the image as ${from.registry}/${join(from.repository, '<name>')}`,
    });
  }
  const prefix = from.repository ? `${from.repository}/` : '';
  let name = ref.repository;
  if (prefix && name.startsWith(prefix)) name = name.slice(prefix.length);
  else if (ref.registry !== undefined && prefix) {
    throw new RuntimeError('RUN535', `input "image": repository "${ref.repository}" is not under environment "${o.from}"'s prefix "${from.repository}"`, {
      hint: `pass the image as ${from.registry}/${join(from.repository, '<name>')}, or promote from the environment whose repository prefix it is under`,
    });
  }
  const sourceRepository = join(from.repository, name);
  const targetRepository = join(to.repository, name);
  const tag = o.tag ?? ref.tag;
  const sameHost = from.registry === to.registry;
  const log = o.log ?? (() => undefined);
  const source = new RegistryClient({
    registry: from.registry,
    scheme: from.scheme ?? 'https',
    credentials: await credentialsFor(from, o.from, o.env),
    scopes: [`repository:${sourceRepository}:pull`],
    log,
    ...(o.retry ? { retry: o.retry } : {}),
  });
  const target = new RegistryClient({
    registry: to.registry,
    scheme: to.scheme ?? 'https',
    credentials: await credentialsFor(to, o.to, o.env),
    scopes: [`repository:${targetRepository}:pull,push`, ...(sameHost ? [`repository:${sourceRepository}:pull`] : [])],
    log,
    ...(o.retry ? { retry: o.retry } : {}),
  });
  try {
    const result = await promoteImage({
      source: { client: source, repository: sourceRepository, reference: ref.digest ?? ref.tag ?? '' },
      target: { client: target, repository: targetRepository, tag },
      mutableTags: allowsMutableTags(o.to, to),
      referrers: o.referrers ?? false,
      progress: o.progress ?? silentProgress,
      log,
      ...(o.concurrency ? { concurrency: o.concurrency } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
    });
    return {
      ...result,
      source: formatReference({ registry: from.registry, repository: sourceRepository, tag: ref.tag, digest: result.digest }),
      requests: source.stats.requests + target.stats.requests,
    };
  } finally {
    source.close();
    target.close();
  }
}
