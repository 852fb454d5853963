/**
 * Pipeline variables from Google Secret Manager: a step's environment may say
 * `ARGOTS_GITHUB_APP_PRIVATE_KEY_FROM_SECRET_MANAGER=projects/acme-ci/secrets/github-app-key/versions/latest`,
 * and the runtime sets `ARGOTS_GITHUB_APP_PRIVATE_KEY` from that secret version before the command runs —
 * read with the official client library (`@google-cloud/secret-manager`, REST transport) as the pod's
 * Workload Identity (google-auth-library's metadata-server credentials). No long-lived key sits in a
 * Kubernetes Secret; the value is registered for redaction and never printed. (google-auth-library reads
 * `GCE_METADATA_HOST` from the process environment: in a pod, the pod's.)
 * `ARGOTS_SECRET_MANAGER_ENDPOINT` (`https://secretmanager.europe-west1.rep.googleapis.com`, or a local test
 * server `http://127.0.0.1:PORT`) moves the API.
 */
import { registerSecret } from '../redact.js';
import { RuntimeError } from '../runtime-error.js';

export const SECRET_MANAGER_SUFFIX = '_FROM_SECRET_MANAGER';
const VERSION = /^projects\/[a-z0-9][-a-z0-9.:]*\/secrets\/[A-Za-z0-9_-]{1,255}\/versions\/(?:latest|[0-9]+|[A-Za-z0-9_-]+)$/;

type Env = Readonly<Record<string, string | undefined>>;

/** The client options for an endpoint URL: host, port and protocol of the REST transport. */
function endpointOptions(endpoint: string | undefined): Record<string, unknown> {
  if (!endpoint) return {};
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new RuntimeError('RUN552', `ARGOTS_SECRET_MANAGER_ENDPOINT: expected a URL like https://secretmanager.europe-west1.rep.googleapis.com, received "${endpoint.slice(0, 80)}"`, {
      hint: 'leave it unset for the global endpoint',
    });
  }
  const protocol = url.protocol.replace(/:$/, '');
  return { apiEndpoint: url.hostname, port: Number(url.port || (protocol === 'http' ? 80 : 443)), protocol };
}

/**
 * The environment with every `<NAME>_FROM_SECRET_MANAGER` resolved into `<NAME>` (the reference variables
 * removed). Nothing to resolve: the same object, and the client library is never loaded.
 */
export async function withSecretManagerEnv(env: Env, log?: (message: string) => void): Promise<Env> {
  const wanted = Object.entries(env).filter((e): e is [string, string] => e[0].endsWith(SECRET_MANAGER_SUFFIX) && typeof e[1] === 'string' && e[1] !== '');
  if (wanted.length === 0) return env;
  for (const [name, ref] of wanted) {
    if (!VERSION.test(ref)) {
      throw new RuntimeError('RUN550', `${name}: expected a secret version "projects/<project>/secrets/<name>/versions/<version|latest>", received "${ref.slice(0, 120)}"`, {
        hint: 'name the secret version in full; the step reads it with its Workload Identity',
      });
    }
  }
  const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
  const client = new SecretManagerServiceClient({ fallback: true, ...endpointOptions(env['ARGOTS_SECRET_MANAGER_ENDPOINT']) });
  const out: Record<string, string | undefined> = { ...env };
  try {
    for (const [name, ref] of wanted) {
      const target = name.slice(0, -SECRET_MANAGER_SUFFIX.length);
      let data: Uint8Array | string | null | undefined;
      try {
        const [version] = await client.accessSecretVersion({ name: ref });
        data = version.payload?.data;
      } catch (error) {
        const e = error as { code?: number; details?: string; message?: string };
        throw new RuntimeError('RUN551', `${name}: Secret Manager refused ${ref}: ${e.details ?? e.message ?? String(error)}`, {
          hint: e.code === 7 || e.code === 16
            ? "grant the pod's Google service account roles/secretmanager.secretAccessor on that secret (Workload Identity: the Kubernetes ServiceAccount's iam.gke.io/gcp-service-account)"
            : e.code === 5
              ? 'the secret or version does not exist in that project'
              : 'check the secret version name, the network path to Secret Manager, and the pod identity',
          cause: error,
        });
      }
      const value = data === undefined || data === null ? '' : typeof data === 'string' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data).toString('utf8');
      registerSecret(value);
      out[target] = value;
      delete out[name];
      log?.(`${target}: read from Secret Manager (${ref.replace(/\/versions\/.*$/, '')})`);
    }
  } finally {
    await client.close();
  }
  return out;
}
