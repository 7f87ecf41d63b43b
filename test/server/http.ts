/** Small HTTP clients for the server tests: one request per connection, and raw bytes over TCP. */
import http from 'node:http';
import net from 'node:net';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
}

/** One request on its own connection; resolves with the whole answer. */
export function request(url: string, o: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'GET', headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** POST a JSON value (or a raw string body) to /v1/tag. */
export function postTag(base: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Reply> {
  return request(new URL('v1/tag', base).href, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/**
 * Writes `bytes` on a fresh TCP connection, optionally half-closes it, and resolves with
 * everything the server sent back before closing (or after `waitMs` if it keeps it open).
 */
export function raw(port: number, bytes: string | Buffer, o: { end?: boolean; waitMs?: number } = {}): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(bytes);
      if (o.end ?? true) s.end();
    });
    const done = () => { clearTimeout(t); resolve(Buffer.concat(chunks).toString('latin1')); };
    const t = setTimeout(() => { s.destroy(); done(); }, o.waitMs ?? 2000);
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('close', done);
    s.on('error', () => {});
  });
}
