/**
 * Test support: real git over smart HTTP on loopback. A Node HTTP server runs `git http-backend` (CGI) for
 * bare repositories under a root directory, behind an authorisation check the test chooses (for example:
 * only a currently valid GitHub App installation token as `x-access-token`).
 */
import { spawn, execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BACKEND = '/usr/lib/git-core/git-http-backend';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface GitHttpServerOptions {
  /** Decides whether a request may go on. Absent: anonymous reads and writes are allowed. */
  readonly authorize?: (credentials: Credentials | undefined, request: { repo: string; write: boolean }) => boolean;
  /** Called for each push (receive-pack) before it is served: lets a test move a branch under a client's feet. */
  readonly beforePush?: (repo: string) => void | Promise<void>;
}

export interface GitHttpServer {
  /** Root folder of the bare repositories. */
  readonly root: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** Creates a bare repository `name` (e.g. `acme/gitops.git`) and returns its clone URL. */
  createRepo(name: string, options?: { defaultBranch?: string }): string;
  /** Path of a bare repository on disk, for assertions. */
  repoPath(name: string): string;
  /** Number of requests served, by kind. */
  readonly stats: { fetches: number; pushes: number; rejected: number };
  close(): Promise<void>;
}

function parseBasic(req: IncomingMessage): Credentials | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export async function startGitHttpServer(options: GitHttpServerOptions = {}): Promise<GitHttpServer> {
  const root = mkdtempSync(join(tmpdir(), 'argots-git-http-'));
  const stats = { fetches: 0, pushes: 0, rejected: 0 };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const write = url.searchParams.get('service') === 'git-receive-pack' || url.pathname.endsWith('/git-receive-pack');
      const repo = url.pathname.replace(/^\//, '').replace(/\/(info\/refs|git-upload-pack|git-receive-pack)$/, '');
      const credentials = parseBasic(req);
      if (options.authorize && !options.authorize(credentials, { repo, write })) {
        stats.rejected++;
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="argots-test"', 'Content-Type': 'text/plain' });
        res.end('authentication required\n');
        req.resume();
        return;
      }
      if (url.pathname.endsWith('/git-receive-pack')) {
        stats.pushes++;
        await options.beforePush?.(repo);
      } else if (url.pathname.endsWith('/git-upload-pack')) {
        stats.fetches++;
      }
      const env: NodeJS.ProcessEnv = {
        PATH: process.env['PATH'],
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: credentials?.username ?? 'anonymous',
        REMOTE_ADDR: '127.0.0.1',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.receivepack',
        GIT_CONFIG_VALUE_0: 'true',
      };
      if (req.headers['content-encoding']) env['HTTP_CONTENT_ENCODING'] = String(req.headers['content-encoding']);
      if (req.headers['git-protocol']) env['GIT_PROTOCOL'] = String(req.headers['git-protocol']);
      if (req.headers['content-length']) env['CONTENT_LENGTH'] = String(req.headers['content-length']);
      const cgi = spawn(BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      req.pipe(cgi.stdin);
      let head = Buffer.alloc(0);
      let headersDone = false;
      cgi.stdout.on('data', (chunk: Buffer) => {
        if (headersDone) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        let sep = head.indexOf('\r\n\r\n');
        let sepLen = 4;
        if (sep === -1) {
          sep = head.indexOf('\n\n');
          sepLen = 2;
        }
        if (sep === -1) return;
        headersDone = true;
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of head.subarray(0, sep).toString('utf8').split(/\r?\n/)) {
          const i = line.indexOf(':');
          if (i === -1) continue;
          const k = line.slice(0, i).trim();
          const v = line.slice(i + 1).trim();
          if (k.toLowerCase() === 'status') status = Number.parseInt(v, 10);
          else headers[k] = v;
        }
        res.writeHead(status, headers);
        res.write(head.subarray(sep + sepLen));
      });
      cgi.stderr.resume();
      cgi.on('close', () => {
        if (!headersDone) res.writeHead(500).end();
        else res.end();
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('git http server: no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    root,
    baseUrl,
    stats,
    createRepo(name, opts = {}) {
      const path = join(root, name);
      mkdirSync(path, { recursive: true });
      execFileSync('git', ['init', '--quiet', '--bare', `--initial-branch=${opts.defaultBranch ?? 'main'}`, path]);
      return `${baseUrl}/${name}`;
    },
    repoPath: (name) => join(root, name),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}
