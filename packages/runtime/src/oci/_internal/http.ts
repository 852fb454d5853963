/**
 * A small HTTP/1.1 client on node:http(s): streaming request and response bodies with backpressure, a socket
 * idle timeout, keep-alive connections. Nothing here retries or authenticates; see registry-client.ts.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** A buffer, or a stream that is consumed (and so cannot be replayed). */
  readonly body?: Buffer | Readable;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body; read it, or call {@link discard}. */
  readonly body: IncomingMessage;
}

export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** A network failure (reset, refused, timeout): the caller may retry. */
export class NetworkError extends Error {
  readonly syscallCode: string | undefined;
  constructor(message: string, code: string | undefined, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'NetworkError';
    this.syscallCode = code;
  }
}

export function createTransport(options: { timeoutMs: number; maxSockets: number }): HttpTransport {
  const http = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets });
  return {
    send(req) {
      return new Promise<HttpResponse>((resolve, reject) => {
        const secure = req.url.protocol === 'https:';
        const headers: Record<string, string> = { ...req.headers };
        if (Buffer.isBuffer(req.body)) headers['content-length'] = String(req.body.length);
        const r = (secure ? httpsRequest : httpRequest)(req.url, { method: req.method, headers, agent: secure ? https : http });
        let settled = false;
        const fail = (error: Error & { code?: string }): void => {
          if (settled) return;
          settled = true;
          reject(new NetworkError(`${req.method} ${req.url.host}${req.url.pathname}: ${error.message}`, error.code, error));
        };
        r.setTimeout(options.timeoutMs, () => r.destroy(Object.assign(new Error(`no data for ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
        r.on('error', fail);
        r.on('response', (res) => {
          settled = true;
          res.on('error', () => undefined); // surfaced to whoever reads the body
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
        });
        if (req.body === undefined) r.end();
        else if (Buffer.isBuffer(req.body)) r.end(req.body);
        else {
          const source = req.body;
          source.on('error', (e) => r.destroy(e));
          source.pipe(r);
        }
      });
    },
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

/** Reads a whole (small) body, refusing more than `limit` bytes; checks Content-Length when given. */
export async function readBody(res: HttpResponse, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        res.body.destroy();
        throw new NetworkError(`response body larger than ${limit} bytes`, 'ETOOBIG');
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    const e = error as Error & { code?: string };
    throw new NetworkError(`reading the response body: ${e.message}`, e.code ?? 'ECONNRESET', e);
  }
  const body = Buffer.concat(chunks);
  const expected = res.headers['content-length'];
  if (expected !== undefined && Number(expected) !== body.length) {
    throw new NetworkError(`response body truncated: expected ${expected} bytes, received ${body.length}`, 'ETRUNCATED');
  }
  return body;
}

/** Drops a body we do not need, so the connection can be reused. */
export function discard(res: HttpResponse): Promise<void> {
  return new Promise((resolve) => {
    // A body the parser has finished with still has to be read to its end before the socket is reused.
    if (res.body.readableEnded || res.body.destroyed) return resolve();
    res.body.on('end', resolve);
    res.body.on('error', () => resolve());
    res.body.on('close', resolve);
    res.body.resume();
  });
}
