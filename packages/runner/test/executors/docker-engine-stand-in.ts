/**
 * A stand-in for the Docker Engine API on a unix socket, for the docker backend's tests: no Docker engine
 * can run on these machines, so the real `docker` CLI talks to this instead. It keeps containers as records
 * and "runs" each with a script the test gives (what to print, which files it leaves, its exit code),
 * speaking the parts of the API `docker run` (create, attach with the hijacked multiplexed stream, wait,
 * start), `docker cp` (archive HEAD and GET), `docker kill` and `docker rm -f` use.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { tar } from '../../../../test/support/test-images.js';

export interface StandInBehaviour {
  readonly stdout?: string;
  readonly stderr?: string;
  /** Files the container holds once it has run (container path → content). */
  readonly files?: Readonly<Record<string, string>>;
  readonly exitCode?: number;
  /** Keep running until killed (for abort tests). */
  readonly untilKilled?: boolean;
}

export interface StandInContainer {
  readonly id: string;
  readonly name: string;
  readonly create: Record<string, unknown>;
  readonly calls: string[];
  removed: boolean;
  killedWith: string | undefined;
}

export interface EngineStandIn {
  readonly socket: string;
  readonly containers: StandInContainer[];
  /** How the next created container behaves. */
  behave(next: StandInBehaviour): void;
  close(): Promise<void>;
}

interface Live {
  readonly record: StandInContainer;
  readonly behaviour: StandInBehaviour;
  attach?: Duplex;
  waiters: ServerResponse[];
  exitCode?: number;
}

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startEngineStandIn(socket: string): Promise<EngineStandIn> {
  const containers: StandInContainer[] = [];
  const live = new Map<string, Live>();
  let next: StandInBehaviour = {};
  const find = (ref: string): Live | undefined => [...live.values()].find((c) => c.record.id === ref || c.record.name === ref || c.record.id.startsWith(ref));

  const finish = (c: Live, code: number): void => {
    if (c.exitCode !== undefined) return;
    c.exitCode = code;
    c.attach?.end();
    for (const w of c.waiters) w.end(JSON.stringify({ StatusCode: code, Error: null }));
    c.waiters = [];
    if ((c.record.create['HostConfig'] as { AutoRemove?: boolean } | undefined)?.AutoRemove) c.record.removed = true;
  };

  const run = (c: Live): void => {
    const b = c.behaviour;
    if (b.stdout) c.attach?.write(frame(1, b.stdout));
    if (b.stderr) c.attach?.write(frame(2, b.stderr));
    if (!b.untilKilled) setTimeout(() => finish(c, b.exitCode ?? 0), 20);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://engine');
    const path = url.pathname.replace(/^\/v[\d.]+/, '');
    const m = /^\/containers\/([^/]+)\/(\w+)$/.exec(path);
    if (path === '/_ping') return void res.writeHead(200, { 'api-version': '1.45', ostype: 'linux', 'content-type': 'text/plain' }).end('OK');
    if (path === '/version') return json(res, 200, { Version: '0.0.0-stand-in', ApiVersion: '1.45', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64' });
    if (path === '/containers/create' && req.method === 'POST') {
      const name = url.searchParams.get('name') ?? '';
      const id = createHash('sha256').update(`${name}${containers.length}`).digest('hex');
      const record: StandInContainer = { id, name, create: JSON.parse(body) as Record<string, unknown>, calls: ['create'], removed: false, killedWith: undefined };
      containers.push(record);
      live.set(id, { record, behaviour: next, waiters: [] });
      next = {};
      return json(res, 201, { Id: id, Warnings: [] });
    }
    const del = /^\/containers\/([^/]+)$/.exec(path);
    if (del && req.method === 'DELETE') {
      const c = find(decodeURIComponent(del[1] ?? ''));
      if (!c) return json(res, 404, { message: `No such container: ${del[1]}` });
      c.record.calls.push('rm');
      c.record.removed = true;
      finish(c, 137);
      return void res.writeHead(204).end();
    }
    if (!m) return json(res, 404, { message: `engine stand-in: ${req.method} ${path} not handled` });
    const c = find(decodeURIComponent(m[1] ?? ''));
    if (!c || c.record.removed) return json(res, 404, { message: `No such container: ${m[1]}` });
    const action = m[2] ?? '';
    c.record.calls.push(action);
    if (action === 'wait') {
      if (c.exitCode !== undefined) return json(res, 200, { StatusCode: c.exitCode, Error: null });
      // The engine answers a wait at once (headers) and sends the status when the container exits: the
      // client blocks on the headers before it starts the container.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      c.waiters.push(res);
      return;
    }
    if (action === 'start') {
      res.writeHead(204).end();
      return run(c);
    }
    if (action === 'kill') {
      const signal = url.searchParams.get('signal') ?? 'SIGKILL';
      c.record.killedWith = signal;
      res.writeHead(204).end();
      return finish(c, signal === 'SIGTERM' || signal === 'TERM' ? 143 : 137);
    }
    if (action === 'archive') {
      const wanted = url.searchParams.get('path') ?? '';
      const content = c.behaviour.files?.[wanted];
      if (content === undefined) return json(res, 404, { message: `Could not find the file ${wanted} in container ${c.record.name}` });
      const base = wanted.slice(wanted.lastIndexOf('/') + 1);
      const stat = Buffer.from(JSON.stringify({ name: base, size: content.length, mode: 0o644, mtime: '2026-01-01T00:00:00Z', linkTarget: '' })).toString('base64');
      const headers = { 'x-docker-container-path-stat': stat, 'content-type': 'application/x-tar' };
      if (req.method === 'HEAD') return void res.writeHead(200, headers).end();
      return void res.writeHead(200, headers).end(tar([{ path: base, type: 'file', content }]));
    }
    return json(res, 404, { message: `engine stand-in: ${action} not handled` });
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => handle(req, res, body));
  });
  // `docker run` attaches with a hijacked connection (Upgrade: tcp) and reads the multiplexed stream from it.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const path = new URL(req.url ?? '/', 'http://engine').pathname.replace(/^\/v[\d.]+/, '');
    const c = find(decodeURIComponent(/^\/containers\/([^/]+)\/attach$/.exec(path)?.[1] ?? ''));
    if (!c) return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    c.record.calls.push('attach');
    socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    socket.on('error', () => undefined);
    socket.resume();
    c.attach = socket;
  });
  await new Promise<void>((r) => server.listen(socket, r));
  return {
    socket,
    containers,
    behave(b) {
      next = b;
    },
    async close() {
      for (const c of live.values()) c.attach?.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
