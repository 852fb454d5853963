/**
 * Test support: an HTTP proxy on 127.0.0.1 in front of a real registry that injects faults into chosen
 * requests — a status (429 with Retry-After, 500, 503), a dropped connection, a truncated body, a body with a
 * flipped byte, a delay; and on the way up, an upload whose body is corrupted, truncated or replaced before the
 * registry reads it. Everything else passes through unchanged (the Host header too, so the registry's
 * `Location` headers point back at the proxy).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  /** Closes the client's connection without answering. */
  | { readonly kind: 'drop' }
  /** Sends the upstream status and headers, about half the body, then closes the connection. */
  | { readonly kind: 'truncate' }
  /** Sends the upstream response with one byte of the body changed (same length). */
  | { readonly kind: 'corrupt' }
  | { readonly kind: 'delay'; readonly ms: number }
  /** Sends the registry the request body with one byte changed (same length): an upload corrupted on the way. */
  | { readonly kind: 'corrupt-request' }
  /** Sends the registry only the first half of the request body (Content-Length to match): a truncated upload. */
  | { readonly kind: 'truncate-request' }
  /** Sends the registry `body` instead of the request's body (another valid manifest, say). */
  | { readonly kind: 'replace-request'; readonly body: Buffer }
  /** Registry quirks: answer with another status, drop headers, make `Location` relative. */
  | { readonly kind: 'rewrite'; readonly status?: number; readonly removeHeaders?: readonly string[]; readonly relativeLocation?: boolean };

export interface FaultRule {
  readonly method?: string;
  readonly path?: RegExp;
  /** Only requests that carry a body (Content-Length above 0), or only those that do not. */
  readonly withBody?: boolean;
  readonly fault: Fault;
  /** How many matching requests get the fault (default 1; Infinity for all). */
  readonly times?: number;
}

export interface FaultProxy {
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly url: string;
  /** Every request seen, and the faults injected, in order. */
  readonly log: { method: string; path: string; fault?: Fault['kind'] }[];
  /** Body bytes that went through: up (request bodies) and down (response bodies). */
  readonly bytes: { up: number; down: number };
  /** Replaces the rules (counters restart). */
  setRules(rules: readonly FaultRule[]): void;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string, rules: readonly FaultRule[] = []): Promise<FaultProxy> {
  const target = new URL(upstream);
  let active = rules.map((r) => ({ rule: r, left: r.times ?? 1 }));
  const log: FaultProxy['log'] = [];
  const bytes = { up: 0, down: 0 };
  const sockets = new Set<Socket>();

  const pick = (req: IncomingMessage): Fault | undefined => {
    const path = req.url ?? '/';
    for (const entry of active) {
      if (entry.left <= 0) continue;
      if (entry.rule.method && entry.rule.method !== req.method) continue;
      if (entry.rule.path && !entry.rule.path.test(path)) continue;
      if (entry.rule.withBody !== undefined && entry.rule.withBody !== Number(req.headers['content-length'] ?? 0) > 0) continue;
      entry.left--;
      return entry.rule.fault;
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, fault: Fault | undefined): void => {
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      if (fault?.kind === 'truncate' || fault?.kind === 'corrupt') {
        const chunks: Buffer[] = [];
        upRes.on('data', (d: Buffer) => chunks.push(d));
        upRes.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          if (fault.kind === 'corrupt') {
            const at = Math.floor(body.length / 2);
            if (body.length > 0) body.writeUInt8((body.readUInt8(at) ^ 0xff) & 0xff, at);
            res.end(body);
          } else {
            res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
          }
        });
        return;
      }
      if (fault?.kind === 'rewrite') {
        const headers = { ...upRes.headers };
        for (const h of fault.removeHeaders ?? []) delete headers[h.toLowerCase()];
        if (fault.relativeLocation && typeof headers.location === 'string') {
          const loc = new URL(headers.location, 'http://x');
          headers.location = `${loc.pathname}${loc.search}`;
        }
        res.writeHead(fault.status ?? upRes.statusCode ?? 502, headers);
        upRes.pipe(res);
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.on('data', (d: Buffer) => (bytes.down += d.length));
      upRes.pipe(res);
    });
    up.on('error', () => res.socket?.destroy());
    req.on('data', (d: Buffer) => (bytes.up += d.length));
    req.pipe(up);
  };

  /** The request body read whole, changed by `fault`, then sent upstream with a matching Content-Length. */
  const forwardChanged = (req: IncomingMessage, res: ServerResponse, fault: Extract<Fault, { kind: 'corrupt-request' | 'truncate-request' | 'replace-request' }>): void => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      let body: Buffer = Buffer.concat(chunks);
      bytes.up += body.length;
      if (fault.kind === 'replace-request') body = fault.body;
      else if (fault.kind === 'truncate-request') body = body.subarray(0, Math.floor(body.length / 2));
      else if (body.length > 0) {
        body = Buffer.from(body);
        const at = Math.floor(body.length / 2);
        body.writeUInt8((body.readUInt8(at) ^ 0x01) & 0xff, at);
      }
      const headers = { ...req.headers, 'content-length': String(body.length) };
      delete headers['transfer-encoding'];
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => res.socket?.destroy());
      up.end(body);
    });
  };

  const server: Server = createServer((req, res) => {
    const fault = pick(req);
    log.push({ method: req.method ?? '', path: req.url ?? '', ...(fault ? { fault: fault.kind } : {}) });
    if (!fault || fault.kind === 'truncate' || fault.kind === 'corrupt' || fault.kind === 'rewrite') return forward(req, res, fault);
    if (fault.kind === 'corrupt-request' || fault.kind === 'truncate-request' || fault.kind === 'replace-request') return forwardChanged(req, res, fault);
    switch (fault.kind) {
      case 'status':
        req.resume();
        res.writeHead(fault.status, {
          'content-type': 'application/json',
          ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
        });
        res.end(JSON.stringify({ errors: [{ code: fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN', message: `injected ${fault.status}` }] }));
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'delay':
        setTimeout(() => forward(req, res, undefined), fault.ms);
        return;
    }
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    log,
    bytes,
    setRules(next) {
      active = next.map((r) => ({ rule: r, left: r.times ?? 1 }));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
