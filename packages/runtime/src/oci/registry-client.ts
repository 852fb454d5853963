/**
 * A client for one registry host on the OCI distribution API: manifests (HEAD, GET, PUT), blobs (HEAD, GET as
 * a stream, cross-repository mount, monolithic or chunked upload from a stream). Handles the auth challenge
 * flow (anonymous, basic, bearer tokens with scopes), retries transient failures with jittered backoff, and
 * smooths over registry quirks (403 for a missing manifest, no `Docker-Content-Digest`, relative `Location`).
 */
import type { Readable } from 'node:stream';
import { RuntimeError } from '../runtime-error.js';
import { redact, registerSecret } from '../redact.js';
import { DigestMismatchError, sha256Digest } from './digest.js';
import { MANIFEST_ACCEPT, MEDIA_TYPES, type Descriptor } from './media-types.js';
import { createTransport, discard, readBody, type HttpRequest, type HttpResponse, type HttpTransport } from './_internal/http.js';
import { backoffDelay, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from './_internal/retry.js';
import { parseChallenge } from './_internal/www-authenticate.js';
import type { RegistryCredentials } from './credentials.js';
import { describeRegistryErrorBody, gaveUp, isTransient, RegistryStatusError, TransientStatusError } from './registry-error.js';

export interface RegistryClientOptions {
  /** Host and port: `registry.acme.io`, `127.0.0.1:5001`. */
  readonly registry: string;
  readonly scheme?: 'https' | 'http';
  /** Credentials for basic auth and for the token endpoint; absent: anonymous. */
  readonly credentials?: RegistryCredentials | undefined;
  /** Scopes asked for with every token, e.g. `repository:shop/api:pull,push` and a mount source's pull. */
  readonly scopes?: readonly string[];
  readonly retry?: RetryPolicy;
  /** Socket idle timeout. Default 60 s. */
  readonly timeoutMs?: number;
  /** Connections kept per host. Default 8. */
  readonly maxSockets?: number;
  /** Told about each retry. */
  readonly log?: (message: string) => void;
}

export interface ManifestHead {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
}

export interface Manifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

export interface RegistryStats {
  requests: number;
  bytesUploaded: number;
  bytesDownloaded: number;
}

type Method = HttpRequest['method'];

export class RegistryClient {
  readonly registry: string;
  readonly stats: RegistryStats = { requests: 0, bytesUploaded: 0, bytesDownloaded: 0 };
  private readonly base: string;
  private readonly transport: HttpTransport;
  private readonly retryPolicy: RetryPolicy;
  private authorization: string | undefined;
  private readonly credentials: RegistryCredentials | undefined;
  private readonly scopes: readonly string[];
  private readonly log: (message: string) => void;

  constructor(options: RegistryClientOptions) {
    this.registry = options.registry;
    this.base = `${options.scheme ?? 'https'}://${options.registry}`;
    this.transport = createTransport({ timeoutMs: options.timeoutMs ?? 60_000, maxSockets: options.maxSockets ?? 8 });
    this.retryPolicy = options.retry ?? DEFAULT_RETRY_POLICY;
    this.credentials = options.credentials;
    if (options.credentials) {
      registerSecret(options.credentials.password);
      registerSecret(options.credentials.identityToken);
    }
    this.scopes = options.scopes ?? [];
    this.log = options.log ?? (() => undefined);
  }

  close(): void {
    this.transport.close();
  }

  url(path: string): URL {
    return new URL(path, this.base);
  }

  /** Runs `attempt` until it succeeds, fails for good, or the retry budget is spent. */
  async retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (!isTransient(error)) throw error;
        if (n >= this.retryPolicy.attempts) throw gaveUp(what, n, error);
        const delay = backoffDelay(this.retryPolicy, n, error instanceof TransientStatusError ? error.retryAfter : undefined);
        this.log(`${what}: ${redact(error instanceof Error ? error.message : String(error))}; retrying in ${delay} ms (attempt ${n + 1} of ${this.retryPolicy.attempts})`);
        await sleep(delay);
      }
    }
  }

  /**
   * One exchange, authenticating on a 401 challenge (at most once per kind). Statuses in `ok` return the
   * response unread; 429/5xx throw TransientStatusError; others throw a RuntimeError naming the request.
   */
  async send(method: Method, url: URL, options: { headers?: Record<string, string>; body?: Buffer | Readable; ok: readonly number[] }): Promise<HttpResponse> {
    for (let authTries = 0; ; authTries++) {
      const headers: Record<string, string> = { ...options.headers };
      if (this.authorization) headers['authorization'] = this.authorization;
      this.stats.requests++;
      const req: HttpRequest = options.body === undefined ? { method, url, headers } : { method, url, headers, body: options.body };
      const res = await this.transport.send(req);
      if (options.ok.includes(res.status)) return res;
      if (res.status === 401 && authTries === 0) {
        const challenge = parseChallenge(header(res, 'www-authenticate'));
        await discard(res);
        if (challenge) {
          await this.authenticate(challenge);
          if (options.body === undefined || Buffer.isBuffer(options.body)) continue;
          // A streamed body is spent (a token that expired mid-upload): the caller redoes the whole blob.
          throw new TransientStatusError(401, '0', `${method} ${this.registry}${url.pathname}: 401, authenticated again`);
        }
      }
      const body = method === 'HEAD' ? Buffer.alloc(0) : await readBody(res).catch(() => Buffer.alloc(0));
      const detail = describeRegistryErrorBody(body);
      const what = `${method} ${this.registry}${url.pathname}`;
      if (res.status === 429 || res.status >= 500) {
        throw new TransientStatusError(res.status, header(res, 'retry-after'), `${what}: ${res.status}${detail ? ` ${detail}` : ''}`);
      }
      if (res.status === 401 || res.status === 403) {
        throw new RuntimeError('RUN503', `registry "${this.registry}" refused ${what}: ${res.status}${detail ? ` ${detail}` : ''}`, {
          hint: !this.credentials
            ? `no credentials were found for "${this.registry}"; log in (Docker config.json), configure a credential helper, or pass an access token`
            : res.status === 401 && this.authorization?.startsWith('Basic ')
              ? `"${this.registry}" did not accept the credentials of user "${this.credentials.username}": the password or token is wrong or has expired; log in again or renew the secret`
              : `the credentials for "${this.registry}" (user "${this.credentials.username}") were accepted but lack the access needed; check the account's push/pull rights`,
        });
      }
      throw new RegistryStatusError(res.status, `registry "${this.registry}" answered ${what} with ${res.status}${detail ? `: ${detail}` : ''}`, `expected ${options.ok.join(' or ')}`);
    }
  }

  private async authenticate(challenge: NonNullable<ReturnType<typeof parseChallenge>>): Promise<void> {
    if (challenge.scheme === 'basic') {
      if (!this.credentials) {
        throw new RuntimeError('RUN503', `registry "${this.registry}" requires credentials (basic auth) and none were found`, {
          hint: 'log in (Docker config.json), configure a credential helper, or pass an access token',
        });
      }
      this.authorization = `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}`;
      registerSecret(this.authorization.slice(6));
      return;
    }
    const realm = challenge.params['realm'];
    if (!realm) throw new RuntimeError('RUN503', `registry "${this.registry}" sent a Bearer challenge without a realm`, {
        hint: `check that "${this.registry}" is the registry's API host (not a web UI or a proxy that rewrites the WWW-Authenticate header), or pass an access token`,
      });
    const tokenUrl = new URL(realm);
    if (challenge.params['service']) tokenUrl.searchParams.set('service', challenge.params['service']);
    const scopes = new Set([...(challenge.params['scope']?.split(' ') ?? []), ...this.scopes].filter((s) => s !== ''));
    for (const scope of scopes) tokenUrl.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    let form: Buffer | undefined;
    if (this.credentials?.identityToken) {
      // OAuth2 refresh-token grant, as Docker does with an `identitytoken`.
      const params = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.credentials.identityToken, client_id: 'argots', service: challenge.params['service'] ?? '' });
      params.set('scope', [...scopes].join(' '));
      form = Buffer.from(params.toString());
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (this.credentials) {
      const basic = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
      registerSecret(basic);
      headers['authorization'] = `Basic ${basic}`;
    }
    const body = await this.retrying(`token from ${tokenUrl.host}`, async () => {
      this.stats.requests++;
      const res = await this.transport.send(form ? { method: 'POST', url: new URL(realm), headers, body: form } : { method: 'GET', url: tokenUrl, headers });
      const bytes = await readBody(res, 1 << 20);
      if (res.status === 429 || res.status >= 500) throw new TransientStatusError(res.status, header(res, 'retry-after'), `token endpoint ${tokenUrl.host}${tokenUrl.pathname}: ${res.status}`);
      if (res.status !== 200) {
        throw new RuntimeError('RUN503', `the token service "${tokenUrl.host}${tokenUrl.pathname}" of registry "${this.registry}" refused ${this.credentials ? `user "${this.credentials.username}"` : 'anonymous access'}: ${res.status}`, {
          hint: res.status === 401 && this.credentials
            ? `the password or token of user "${this.credentials.username}" is wrong or has expired (scopes asked for: ${[...scopes].join(' ')}); log in again or renew the secret`
            : `scopes asked for: ${[...scopes].join(' ')}; check the credentials and their rights on those repositories`,
        });
      }
      return bytes;
    });
    const parsed = JSON.parse(body.toString('utf8')) as { token?: string; access_token?: string };
    const token = parsed.token ?? parsed.access_token;
    if (!token) throw new RuntimeError('RUN503', `the token service of registry "${this.registry}" answered without a token`, {
        hint: `its answer held neither "token" nor "access_token": check that "${this.registry}" is the registry's API host and that the credentials are for this registry`,
      });
    registerSecret(token);
    this.authorization = `Bearer ${token}`;
  }

  /** HEAD a manifest. Undefined when absent (404, or 403 from registries that mean 404). */
  async headManifest(repository: string, reference: string): Promise<ManifestHead | undefined> {
    return this.retrying(`HEAD ${this.registry}/${repository}:${reference}`, async () => {
      const res = await this.send('HEAD', this.url(`/v2/${repository}/manifests/${reference}`), { headers: { accept: MANIFEST_ACCEPT }, ok: [200, 404, 403] });
      await discard(res);
      if (res.status !== 200) return undefined;
      const digest = header(res, 'docker-content-digest');
      if (!digest) {
        // Quirk: no Docker-Content-Digest. Compute it from the bytes.
        const m = await this.getManifest(repository, reference);
        return { digest: m.digest, mediaType: m.mediaType, size: m.bytes.length };
      }
      return { digest, mediaType: header(res, 'content-type') ?? '', size: Number(header(res, 'content-length') ?? 0) };
    });
  }

  /** GET a manifest's exact bytes; when fetched by digest (or `expectedDigest` given) they are verified. */
  async getManifest(repository: string, reference: string, expectedDigest?: string): Promise<Manifest> {
    const expected = expectedDigest ?? (reference.startsWith('sha256:') ? reference : undefined);
    return this.retrying(`GET ${this.registry}/${repository}@${reference}`, async () => {
      const res = await this.send('GET', this.url(`/v2/${repository}/manifests/${reference}`), { headers: { accept: MANIFEST_ACCEPT }, ok: [200] });
      const bytes = await readBody(res);
      this.stats.bytesDownloaded += bytes.length;
      const digest = sha256Digest(bytes);
      if (expected && digest !== expected) throw new DigestMismatchError(expected, digest, `manifest ${repository}@${reference}`);
      const mediaType = mediaTypeOf(bytes) ?? header(res, 'content-type') ?? '';
      return { digest, mediaType, bytes };
    });
  }

  /** PUT a manifest's bytes as they are; returns the digest the registry reports (or computes). */
  async putManifest(repository: string, reference: string, manifest: Manifest): Promise<string> {
    return this.retrying(`PUT ${this.registry}/${repository}:${reference}`, async () => {
      const res = await this.send('PUT', this.url(`/v2/${repository}/manifests/${reference}`), {
        headers: { 'content-type': manifest.mediaType },
        body: manifest.bytes,
        ok: [200, 201, 202],
      });
      await discard(res);
      this.stats.bytesUploaded += manifest.bytes.length;
      return header(res, 'docker-content-digest') ?? manifest.digest;
    });
  }

  /**
   * OCI 1.1 referrers of a manifest (signatures, attestations, SBOMs with a `subject`). Undefined when the
   * registry does not offer the referrers API (404, 400, 405), in which case cosign-style tags are the way.
   */
  async referrers(repository: string, digest: string): Promise<readonly Descriptor[] | undefined> {
    return this.retrying(`GET referrers ${this.registry}/${repository}@${digest}`, async () => {
      const res = await this.send('GET', this.url(`/v2/${repository}/referrers/${digest}`), { headers: { accept: MEDIA_TYPES.ociIndex }, ok: [200, 400, 404, 405] });
      if (res.status !== 200) {
        await discard(res);
        return undefined;
      }
      const body = await readBody(res);
      try {
        const index = JSON.parse(body.toString('utf8')) as { manifests?: Descriptor[] };
        return Array.isArray(index.manifests) ? index.manifests : undefined;
      } catch {
        return undefined;
      }
    });
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    return this.retrying(`HEAD blob ${this.registry}/${repository}@${digest}`, async () => {
      const res = await this.send('HEAD', this.url(`/v2/${repository}/blobs/${digest}`), { ok: [200, 404, 403] });
      await discard(res);
      return res.status === 200;
    });
  }

  /**
   * Asks the registry to mount a blob from another repository on the same host. Returns true when mounted
   * (201); otherwise the upload session the registry opened instead (202), to copy into.
   */
  async mountBlob(repository: string, digest: string, fromRepository: string): Promise<true | URL> {
    const url = this.url(`/v2/${repository}/blobs/uploads/`);
    url.searchParams.set('mount', digest);
    url.searchParams.set('from', fromRepository);
    return this.retrying(`mount ${digest} from ${fromRepository} into ${this.registry}/${repository}`, async () => {
      const res = await this.send('POST', url, { headers: { 'content-length': '0' }, ok: [201, 202] });
      await discard(res);
      if (res.status === 201) return true;
      return this.location(res, url);
    });
  }

  /** Opens an upload session. */
  async startUpload(repository: string): Promise<URL> {
    const url = this.url(`/v2/${repository}/blobs/uploads/`);
    return this.retrying(`start upload to ${this.registry}/${repository}`, async () => {
      const res = await this.send('POST', url, { headers: { 'content-length': '0' }, ok: [202] });
      await discard(res);
      return this.location(res, url);
    });
  }

  /** GET a blob as a stream (retrying until the response starts; the body itself is the caller's to verify). */
  async getBlob(repository: string, digest: string): Promise<HttpResponse> {
    return this.retrying(`GET blob ${this.registry}/${repository}@${digest}`, () =>
      this.send('GET', this.url(`/v2/${repository}/blobs/${digest}`), { ok: [200] }));
  }

  /** Uploads a whole blob in one PUT, streaming `body` (which the caller verifies as it flows). */
  async uploadMonolithic(session: URL, digest: string, size: number, body: Readable): Promise<void> {
    const url = new URL(session);
    url.searchParams.set('digest', digest);
    const res = await this.send('PUT', url, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
      ok: [201, 204],
    });
    await discard(res);
    this.stats.bytesUploaded += size;
  }

  /** Uploads a blob in PATCH chunks of at most `chunkSize` bytes (bounded memory), then closes it with PUT. */
  async uploadChunked(session: URL, digest: string, body: Readable, chunkSize: number): Promise<void> {
    let url = session;
    let offset = 0;
    const flush = async (chunk: Buffer): Promise<void> => {
      const res = await this.send('PATCH', url, {
        headers: {
          'content-type': 'application/octet-stream',
          'content-range': `${offset}-${offset + chunk.length - 1}`,
        },
        body: chunk,
        ok: [202, 204],
      });
      await discard(res);
      url = this.location(res, url);
      offset += chunk.length;
      this.stats.bytesUploaded += chunk.length;
    };
    let pending: Buffer[] = [];
    let pendingSize = 0;
    for await (const piece of body as AsyncIterable<Buffer>) {
      pending.push(piece);
      pendingSize += piece.length;
      while (pendingSize >= chunkSize) {
        const all = Buffer.concat(pending);
        await flush(all.subarray(0, chunkSize));
        pending = [all.subarray(chunkSize)];
        pendingSize = all.length - chunkSize;
      }
    }
    if (pendingSize > 0) await flush(Buffer.concat(pending));
    const close = new URL(url);
    close.searchParams.set('digest', digest);
    const res = await this.send('PUT', close, { headers: { 'content-length': '0' }, body: Buffer.alloc(0), ok: [201, 204] });
    await discard(res);
  }

  /** Abandons an upload session (best effort). */
  async cancelUpload(session: URL): Promise<void> {
    try {
      const res = await this.send('DELETE', session, { ok: [204, 202, 200, 404] });
      await discard(res);
    } catch {
      /* the registry expires sessions on its own */
    }
  }

  /** `Location` may be absolute or relative to the request. */
  private location(res: HttpResponse, requestUrl: URL): URL {
    const location = header(res, 'location');
    if (!location) throw new RuntimeError('RUN504', `registry "${this.registry}" opened an upload without a Location header`, {
        hint: 'a proxy in front of the registry may drop response headers: let it pass Location through, or report it to the registry\'s operator',
      });
    return new URL(location, requestUrl);
  }
}

function header(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function mediaTypeOf(bytes: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown };
    return typeof parsed.mediaType === 'string' ? parsed.mediaType : undefined;
  } catch {
    return undefined;
  }
}
