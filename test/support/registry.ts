/**
 * Test support: a real CNCF distribution registry (`docker-registry`, Debian) on 127.0.0.1, started with a
 * generated config and stopped by the test. Optionally behind token auth — a token service served here that
 * signs JWTs with a key and certificate generated at start (openssl), which the registry verifies against
 * that certificate — or behind htpasswd basic auth (bcrypt hashes made with the system's crypt).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RegistryUser {
  readonly password: string;
  /** An OAuth2 refresh token this user may also present (POST grant_type=refresh_token), like Docker's identitytoken. */
  readonly refreshToken?: string;
  /** The actions this user may have on a repository (default: pull and push on everything). */
  readonly access?: (repository: string) => readonly ('pull' | 'push')[];
}

export interface RegistryOptions {
  /** A name for logs and temporary folders: `dev`, `staging`, `prod`. */
  readonly name?: string;
  /** Token auth with these users (user name → password and rights). Anonymous token requests get nothing. */
  readonly tokenAuth?: Readonly<Record<string, RegistryUser>>;
  /** Basic auth with these users (htpasswd); every user may pull and push. */
  readonly htpasswd?: Readonly<Record<string, string>>;
}

export interface TokenRequest {
  readonly user: string | undefined;
  readonly scopes: readonly string[];
  /** `refresh_token` for the OAuth2 POST form; absent for the GET with basic auth. */
  readonly grant?: string;
}

export interface TestRegistry {
  /** `127.0.0.1:PORT`: what image references and environments name. */
  readonly host: string;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Requests the token service answered (token auth only). */
  readonly tokenRequests: TokenRequest[];
  /** An `Authorization` header value good for `scope` (token auth: a signed token; htpasswd: basic). */
  authorization(scope: string): Promise<string | undefined>;
  /**
   * Restarts the registry on the same address and storage in distribution's read-only maintenance mode
   * (`storage.maintenance.readonly`): pulls keep working, every write is refused (405 UNSUPPORTED) — a
   * read-only virtual registry as Artifact Registry offers it.
   */
  makeReadOnly(): Promise<void>;
  close(): Promise<void>;
}

/** A free TCP port on loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const base64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

function signJwt(claims: object, keyPem: string, certDer: Buffer): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certDer.toString('base64')] };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(keyPem);
  return `${input}.${base64url(signature)}`;
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i === -1 ? undefined : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

function bcrypt(password: string): string {
  // libxcrypt (through Python's crypt module) makes $2b$ hashes; cost 4 keeps tests fast.
  return execFileSync('python3', ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))'], { input: password })
    .toString()
    .trim();
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200 || res.status === 401) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer on ${url} within 15 s:\n${log()}`);
}

/** Starts a registry. Always `close()` it (in a `finally` or an `after` hook). */
export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const name = options.name ?? 'registry';
  const dir = mkdtempSync(join(tmpdir(), `argots-registry-${name}-`));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const url = `http://${host}`;
  const tokenRequests: TokenRequest[] = [];
  const service = `argots-test-${name}`;
  const issuer = 'argots-test-token-issuer';
  let tokenServer: Server | undefined;
  let auth = '';
  let issue: ((user: string | undefined, scopes: readonly string[]) => string) | undefined;

  if (options.tokenAuth) {
    const users = options.tokenAuth;
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=argots-test-token-issuer'], { stdio: 'ignore' });
    const keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const certDer = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    issue = (user, scopes) => {
      const access = scopes.flatMap((scope) => {
        const [type, repo, actions] = scope.split(':');
        if (type !== 'repository' || !repo || !actions || !user) return [];
        const allowed = users[user]?.access?.(repo) ?? ['pull', 'push'];
        const granted = actions.split(',').filter((a) => (allowed as readonly string[]).includes(a));
        return granted.length ? [{ type: 'repository', name: repo, actions: granted }] : [];
      });
      const now = Math.floor(Date.now() / 1000);
      return signJwt({ iss: issuer, sub: user ?? '', aud: service, exp: now + 600, nbf: now - 30, iat: now, jti: randomBytes(8).toString('hex'), access }, keyPem, certDer);
    };
    const server = createServer((req, res) => {
      if (req.method === 'POST') {
        // OAuth2 refresh-token grant (form body), as Docker clients do with an identity token.
        let form = '';
        req.on('data', (d: Buffer) => (form += d.toString()));
        req.on('end', () => {
          const p = new URLSearchParams(form);
          const scopes = (p.get('scope') ?? '').split(' ').filter(Boolean);
          const user = Object.entries(users).find(([, u]) => u.refreshToken !== undefined && u.refreshToken === p.get('refresh_token'))?.[0];
          tokenRequests.push({ user, scopes, grant: p.get('grant_type') ?? '' });
          if (p.get('grant_type') !== 'refresh_token' || !user) {
            res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"invalid refresh token"}');
            return;
          }
          const token = issue?.(user, scopes) ?? '';
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, refresh_token: p.get('refresh_token'), expires_in: 600 }));
        });
        return;
      }
      const u = new URL(req.url ?? '/', 'http://localhost');
      const basic = parseBasic(req.headers.authorization);
      const scopes = u.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
      tokenRequests.push({ user: basic?.user, scopes });
      if (basic && users[basic.user]?.password !== basic.password) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"wrong user name or password"}');
        return;
      }
      const token = issue?.(basic?.user, scopes) ?? '';
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, access_token: token, expires_in: 600 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    tokenServer = server;
    const address = server.address();
    const tokenPort = typeof address === 'object' && address ? address.port : 0;
    auth = `auth:\n  token:\n    realm: http://127.0.0.1:${tokenPort}/token\n    service: ${service}\n    issuer: ${issuer}\n    rootcertbundle: ${join(dir, 'cert.pem')}\n`;
  } else if (options.htpasswd) {
    const lines = Object.entries(options.htpasswd).map(([user, password]) => `${user}:${bcrypt(password)}`);
    writeFileSync(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    auth = `auth:\n  htpasswd:\n    realm: argots-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }

  const secret = randomBytes(16).toString('hex');
  const configText = (readOnly: boolean): string => `version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
    readonly:
      enabled: ${readOnly}
validation:
  manifests:
    urls:
      allow:
        - ^https?://
http:
  addr: ${host}
  secret: ${secret}
${auth}`;
  let stderr = '';
  const serve = async (readOnly: boolean): Promise<ChildProcess> => {
    writeFileSync(join(dir, 'config.yml'), configText(readOnly));
    const started = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
    started.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 20_000) stderr += d.toString();
    });
    try {
      await waitUntilUp(url, started, () => stderr);
    } catch (error) {
      started.kill('SIGKILL');
      throw error;
    }
    return started;
  };
  const stop = (running: ChildProcess): Promise<void> =>
    new Promise<void>((resolve) => {
      if (running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
      setTimeout(() => running.kill('SIGKILL'), 3000).unref();
    });
  let child: ChildProcess;
  try {
    child = await serve(false);
  } catch (error) {
    tokenServer?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host,
    url,
    tokenRequests,
    async authorization(scope) {
      if (issue) {
        const user = Object.keys(options.tokenAuth ?? {})[0];
        return `Bearer ${issue(user, [scope])}`;
      }
      const first = Object.entries(options.htpasswd ?? {})[0];
      return first ? `Basic ${Buffer.from(`${first[0]}:${first[1]}`).toString('base64')}` : undefined;
    },
    async makeReadOnly() {
      await stop(child);
      child = await serve(true);
    },
    async close() {
      await stop(child);
      if (tokenServer) {
        tokenServer.closeAllConnections();
        await new Promise<void>((r) => tokenServer?.close(() => r()));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
