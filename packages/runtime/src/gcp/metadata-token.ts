/**
 * An OAuth2 access token of the pod's identity from the GCE / GKE metadata server, as Google's client
 * libraries get one: `GET http://<host>/computeMetadata/v1/instance/service-accounts/default/token` with
 * `Metadata-Flavor: Google`. On GKE with Workload Identity the token is the Google service account's that the
 * Kubernetes ServiceAccount is bound to (`iam.gke.io/gcp-service-account`). `GCE_METADATA_HOST` moves the
 * server (host[:port]), as in google-auth-library.
 *
 * ```ts
 * const { token } = await metadataAccessToken(process.env);   // for Artifact Registry: user oauth2accesstoken
 * ```
 */
import { registerSecret } from '../redact.js';
import { RuntimeError } from '../runtime-error.js';

export const DEFAULT_METADATA_HOST = 'metadata.google.internal';

export interface MetadataToken {
  readonly token: string;
  /** Seconds the token stays valid. */
  readonly expiresIn: number;
}

export async function metadataAccessToken(env: Readonly<Record<string, string | undefined>>, options: { readonly timeoutMs?: number } = {}): Promise<MetadataToken> {
  const host = env['GCE_METADATA_HOST']?.trim() || DEFAULT_METADATA_HOST;
  const url = `http://${host}/computeMetadata/v1/instance/service-accounts/default/token`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { 'Metadata-Flavor': 'Google' }, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch (error) {
    throw new RuntimeError('RUN540', `the metadata server at ${host} did not answer: ${(error as Error).message}`, {
      hint: 'gce-metadata credentials work in a GKE pod with Workload Identity (or on a GCE VM); elsewhere use another auth kind for this environment',
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new RuntimeError('RUN541', `the metadata server at ${host} refused a token: HTTP ${response.status} ${text.slice(0, 200)}`, {
      hint: 'bind the pod\'s Kubernetes ServiceAccount to a Google service account (annotation iam.gke.io/gcp-service-account, and roles/iam.workloadIdentityUser on the Google one)',
    });
  }
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = {};
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new RuntimeError('RUN541', `the metadata server at ${host}: expected {"access_token": …}, received something else`, { hint: 'check GCE_METADATA_HOST' });
  }
  registerSecret(body.access_token);
  return { token: body.access_token, expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 0 };
}
