/**
 * Test support: the part of the GCE / GKE metadata server that Workload Identity clients use, on loopback:
 * `GET /computeMetadata/v1/instance/service-accounts/default/token` (only with `Metadata-Flavor: Google`,
 * as the real one) answers `{ access_token, expires_in, token_type }`; `/computeMetadata/v1/instance` (the
 * probe google-auth-library makes to detect GCE), `/project/project-id` and the service account's `email`
 * answer as on GKE with Workload Identity. Point `GCE_METADATA_HOST` at `host`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export interface MetadataServer {
  /** `127.0.0.1:PORT`, the value for GCE_METADATA_HOST. */
  readonly host: string;
  /** The access token it hands out (what the test registry must accept). */
  readonly token: string;
  readonly stats: { tokens: number; refusedWithoutHeader: number };
  close(): Promise<void>;
}

export async function startMetadataServer(): Promise<MetadataServer> {
  const token = `ya29.test-${randomBytes(16).toString('hex')}`;
  const stats = { tokens: 0, refusedWithoutHeader: 0 };
  const server = createServer((req, res) => {
    if (req.headers['metadata-flavor'] !== 'Google') {
      stats.refusedWithoutHeader++;
      res.writeHead(403, { 'content-type': 'text/html' }).end('Missing required header: Metadata-Flavor');
      return;
    }
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/computeMetadata/v1/instance/service-accounts/default/token') {
      stats.tokens++;
      res.writeHead(200, { 'content-type': 'application/json', 'metadata-flavor': 'Google' }).end(JSON.stringify({ access_token: token, expires_in: 3599, token_type: 'Bearer' }));
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    const text = (body: string): void => void res.writeHead(200, { 'content-type': 'application/text', 'metadata-flavor': 'Google' }).end(body);
    if (path === '/computeMetadata/v1/instance' || path === '/computeMetadata/v1/instance/') return text('');
    if (path === '/computeMetadata/v1/project/project-id') return text('acme-ci');
    if (path === '/computeMetadata/v1/instance/service-accounts/default/email') return text('argots-pipeline@acme-ci.iam.gserviceaccount.com');
    res.writeHead(404, { 'content-type': 'text/plain', 'metadata-flavor': 'Google' }).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    token,
    stats,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
