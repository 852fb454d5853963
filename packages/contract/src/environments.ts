/**
 * The environments an image is promoted through: each names the registry and repository prefix its images
 * live under, and whether tags there may be moved. Shared by the DSL (`steps.promote({ from: 'dev',
 * to: 'staging' })`) and the runtime (which loads the same shape from a YAML file).
 *
 * @example
 * const envs = defineEnvironments({
 *   dev: { registry: 'registry.dev.acme.io', repository: 'shop' },
 *   staging: { registry: 'registry.staging.acme.io', repository: 'shop' },
 *   prod: { registry: 'registry.acme.io', repository: 'shop' },            // tags immutable by default
 *   virtual: { registry: 'registry.acme.io', repository: 'all', readOnly: true },
 * });
 */

/** The environments every argots installation knows about; a configuration may add more. */
export const STANDARD_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type StandardEnvironment = (typeof STANDARD_ENVIRONMENTS)[number];

/** How the runtime authenticates to an environment's registry. Secrets are named, never written here. */
export type RegistryAuth =
  /** Docker `config.json` (`auths`, `credHelpers`, `credsStore`), else anonymous. The default. */
  | { readonly kind: 'docker-config' }
  | { readonly kind: 'anonymous' }
  /** An OAuth2 access token read from an environment variable, sent as user `oauth2accesstoken` (GAR, Workload Identity). */
  | { readonly kind: 'access-token'; readonly tokenEnv: string }
  /**
   * An OAuth2 access token of the pod's own identity, from the GCE/GKE metadata server (Workload Identity:
   * the Kubernetes ServiceAccount acts as a Google service account), sent as user `oauth2accesstoken` —
   * Artifact Registry with no key anywhere. The host is `$GCE_METADATA_HOST` or `metadata.google.internal`.
   */
  | { readonly kind: 'gce-metadata' }
  /** A user name and password read from environment variables. */
  | { readonly kind: 'basic'; readonly usernameEnv: string; readonly passwordEnv: string };

export interface EnvironmentConfig {
  /** Registry host, with its port if not the default: `registry.acme.io`, `127.0.0.1:5001`. */
  readonly registry: string;
  /** Repository prefix of this environment's images: `shop` → `registry.acme.io/shop/<image>`. May be empty. */
  readonly repository: string;
  /** `https` (default) or `http` (loopback and test registries only). */
  readonly scheme?: 'https' | 'http';
  /** May a tag that points at one digest be moved to another? Default: yes, except for `prod`/`production`. */
  readonly mutableTags?: boolean;
  /** A read-only (virtual) registry: images may be read through it, never promoted into it. */
  readonly readOnly?: boolean;
  readonly auth?: RegistryAuth;
}

export type EnvironmentsConfig<N extends string = string> = { readonly [K in N]: EnvironmentConfig };

/** One thing wrong with an environments configuration, with the path of the value at fault. */
export interface EnvironmentProblem {
  readonly path: string;
  readonly message: string;
}

export type EnvironmentsResult =
  | { readonly ok: true; readonly environments: EnvironmentsConfig }
  | { readonly ok: false; readonly problems: readonly EnvironmentProblem[] };

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const HOST = /^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$/;
const REPOSITORY = /^(?:[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)?$/;
const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function checkAuth(value: unknown, path: string, problems: EnvironmentProblem[]): RegistryAuth | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    problems.push({ path, message: `expected an object with a "kind", received ${show(value)}` });
    return undefined;
  }
  const envVar = (key: string): string => {
    const v = value[key];
    if (typeof v !== 'string' || !ENV_VAR.test(v)) {
      problems.push({ path: `${path}.${key}`, message: `expected the name of an environment variable, received ${show(v)}` });
      return '';
    }
    return v;
  };
  switch (value['kind']) {
    case 'docker-config':
      return { kind: 'docker-config' };
    case 'anonymous':
      return { kind: 'anonymous' };
    case 'access-token':
      return { kind: 'access-token', tokenEnv: envVar('tokenEnv') };
    case 'gce-metadata':
      return { kind: 'gce-metadata' };
    case 'basic':
      return { kind: 'basic', usernameEnv: envVar('usernameEnv'), passwordEnv: envVar('passwordEnv') };
    default:
      problems.push({
        path: `${path}.kind`,
        message: `expected one of "docker-config", "anonymous", "access-token", "gce-metadata", "basic", received ${show(value['kind'])}`,
      });
      return undefined;
  }
}

function checkEnvironment(name: string, value: unknown, problems: EnvironmentProblem[]): EnvironmentConfig | undefined {
  const path = `environments.${name}`;
  if (!NAME.test(name)) problems.push({ path, message: `environment name must be lower-case kebab-case, received ${show(name)}` });
  if (!isRecord(value)) {
    problems.push({ path, message: `expected an object with "registry" and "repository", received ${show(value)}` });
    return undefined;
  }
  const before = problems.length;
  const known = new Set(['registry', 'repository', 'scheme', 'mutableTags', 'readOnly', 'auth']);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) problems.push({ path: `${path}.${key}`, message: `unknown setting; expected one of ${[...known].join(', ')}` });
  }
  const { registry, repository, scheme, mutableTags, readOnly } = value;
  if (typeof registry !== 'string' || !HOST.test(registry)) {
    problems.push({ path: `${path}.registry`, message: `expected a registry host such as "registry.acme.io" or "127.0.0.1:5000", received ${show(registry)}` });
  }
  if (typeof repository !== 'string' || !REPOSITORY.test(repository)) {
    problems.push({ path: `${path}.repository`, message: `expected a repository prefix such as "shop" or "team/shop" (lower case), received ${show(repository)}` });
  }
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') {
    problems.push({ path: `${path}.scheme`, message: `expected "https" or "http", received ${show(scheme)}` });
  }
  for (const [key, v] of [['mutableTags', mutableTags], ['readOnly', readOnly]] as const) {
    if (v !== undefined && typeof v !== 'boolean') problems.push({ path: `${path}.${key}`, message: `expected true or false, received ${show(v)}` });
  }
  const auth = checkAuth(value['auth'], `${path}.auth`, problems);
  if (problems.length > before) return undefined;
  return Object.freeze({
    registry: registry as string,
    repository: repository as string,
    ...(scheme === undefined ? {} : { scheme: scheme as 'https' | 'http' }),
    ...(mutableTags === undefined ? {} : { mutableTags: mutableTags as boolean }),
    ...(readOnly === undefined ? {} : { readOnly: readOnly as boolean }),
    ...(auth === undefined ? {} : { auth }),
  });
}

/**
 * Checks a parsed configuration (`{ environments: { dev: {...}, ... } }`) and returns every problem at once,
 * each with the path of the value at fault.
 */
export function validateEnvironments(document: unknown): EnvironmentsResult {
  const problems: EnvironmentProblem[] = [];
  const root = isRecord(document) ? document['environments'] : undefined;
  if (!isRecord(root)) {
    return { ok: false, problems: [{ path: 'environments', message: `expected a mapping of environment name to registry settings, received ${show(root)}` }] };
  }
  const environments: Record<string, EnvironmentConfig> = {};
  for (const [name, value] of Object.entries(root)) {
    const env = checkEnvironment(name, value, problems);
    if (env) environments[name] = env;
  }
  if (Object.keys(root).length === 0) problems.push({ path: 'environments', message: 'expected at least one environment' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, environments: Object.freeze(environments) };
}

/** Declares environments in code (typed names for `from`/`to`). Throws with every problem listed. */
export function defineEnvironments<const N extends string>(environments: EnvironmentsConfig<N>): EnvironmentsConfig<N> {
  const result = validateEnvironments({ environments });
  if (!result.ok) {
    throw new TypeError(`invalid environments:\n${result.problems.map((p) => `✖ ${p.message}\n  → at ${p.path}`).join('\n')}`);
  }
  return result.environments as EnvironmentsConfig<N>;
}

/** Whether tags may be moved in an environment: its `mutableTags`, else all but `prod`/`production`. */
export function allowsMutableTags(name: string, environment: EnvironmentConfig): boolean {
  return environment.mutableTags ?? !(name === 'prod' || name === 'production');
}
