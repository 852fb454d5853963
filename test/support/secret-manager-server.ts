/**
 * Test support: Google Secret Manager's REST API (what `@google-cloud/secret-manager` speaks with
 * `fallback: true`) on loopback: `GET /v1/projects/{p}/secrets/{s}/versions/{v}:access` answers
 * `{ name, payload: { data: <base64>, dataCrc32c } }` to a bearer token the test names (the metadata
 * server's, i.e. the pod's Workload Identity), 403 PERMISSION_DENIED to any other, 404 NOT_FOUND for an
 * unknown secret, as Google answers. `latest` is the newest version. Point the runtime at it with
 * `ARGOTS_SECRET_MANAGER_ENDPOINT=<url>`.
 */
import { createServer } from 'node:http';

export interface SecretManagerServer {
  readonly url: string;
  /** Adds a version of `projects/<project>/secrets/<name>`; returns its full version name. */
  addVersion(project: string, name: string, value: string): string;
  readonly accesses: string[];
  close(): Promise<void>;
}

export async function startSecretManagerServer(options: { readonly token: string }): Promise<SecretManagerServer> {
  const secrets = new Map<string, string[]>();
  const accesses: string[] = [];
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
    const error = (code: number, status: string, message: string): void => send(code, { error: { code, message, status } });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+)\/versions\/([^/:]+):access$/.exec(url.pathname);
    if (!m || req.method !== 'GET') return error(404, 'NOT_FOUND', `Method not found: ${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return error(403, 'PERMISSION_DENIED', `Permission 'secretmanager.versions.access' denied for resource '${m[1]}/versions/${m[2]}' (or it may not exist).`);
    }
    const versions = secrets.get(m[1] ?? '');
    const n = m[2] === 'latest' ? versions?.length : Number(m[2]);
    const value = n === undefined ? undefined : versions?.[n - 1];
    if (value === undefined) return error(404, 'NOT_FOUND', `Secret Version [${m[1]}/versions/${m[2]}] not found or has no versions.`);
    accesses.push(`${m[1]}/versions/${m[2]}`);
    return send(200, { name: `${m[1]}/versions/${n}`, payload: { data: Buffer.from(value).toString('base64') } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    addVersion(project, name, value) {
      const key = `projects/${project}/secrets/${name}`;
      const list = secrets.get(key) ?? [];
      list.push(value);
      secrets.set(key, list);
      return `${key}/versions/${list.length}`;
    },
    accesses,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
