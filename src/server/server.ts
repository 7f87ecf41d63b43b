/**
 * The HTTP service behind `ner serve`, on Node's own `http` module.
 *
 *   POST /v1/tag     {"text": "..."}      → {"sentences": [S, ...]}
 *                    {"texts": ["...", …]} → {"results": [{"sentences": [S, ...]}, ...]}
 *                    S is the JSON `ner tag --output-format json` prints per sentence.
 *   GET  /v1/model   the model's description (as `ner info --json` shows it)
 *   GET  /healthz    {"status": "ok"}, or 503 {"status": "shutting down"} while draining
 *   GET  /           the tagging page
 *
 * Every error is JSON `{"error": "..."}`: 400 bad JSON or fields, 404 unknown path, 405 wrong
 * method (with `Allow`), 408 body not received in time, 413 body too large, 415 not JSON,
 * 503 tagging not done in time. One line per request goes to the log.
 *
 * The service holds no tagging logic: it parses, validates, hands the texts to a BatchingTagger
 * and prints `sentenceJson` of what comes back.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sentenceJson } from '../tagger/text.js';
import type { BatchingTagger } from './batching.js';
import { PAGE_CSP, pageHtml } from './page.js';

export interface ServerOptions {
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Deadline of a request from its arrival to its answer, in ms. Default 10 000. */
  timeoutMs?: number;
  /** Receives one line per request. Default: standard error. */
  log?: (line: string) => void;
}

export const SERVER_DEFAULTS = { maxBodyBytes: 1 << 20, timeoutMs: 10_000 };

/** An answer other than 200: its status and message, sent as `{"error": message}`. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
  }
}

interface Exchange {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  signal: AbortSignal;
  /** Request body bytes read, response body bytes written (for the log). */
  bytesIn: number;
  /** The request has a body that was not read to its end (yet). */
  unread: boolean;
  bytesOut: number;
}

type Handler = (x: Exchange) => Promise<void> | void;

const JSON_TYPE = 'application/json; charset=utf-8';

export class NerServer {
  readonly http: http.Server;
  private readonly maxBody: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly routes: Map<string, Partial<Record<string, Handler>>>;
  private closing: Promise<void> | null = null;
  private readonly page: Buffer;

  constructor(private readonly tagger: BatchingTagger, private readonly modelInfo: object, o: ServerOptions = {}) {
    this.maxBody = o.maxBodyBytes ?? SERVER_DEFAULTS.maxBodyBytes;
    this.timeoutMs = o.timeoutMs ?? SERVER_DEFAULTS.timeoutMs;
    if (!(Number.isInteger(this.maxBody) && this.maxBody > 0)) throw new RangeError(`maxBodyBytes must be a positive integer, got ${this.maxBody}`);
    if (!(Number.isInteger(this.timeoutMs) && this.timeoutMs > 0)) throw new RangeError(`timeoutMs must be a positive integer, got ${this.timeoutMs}`);
    this.log = o.log ?? ((line) => process.stderr.write(line + '\n'));
    this.page = Buffer.from(pageHtml(), 'utf8');
    const get = (h: Handler) => ({ GET: h, HEAD: h });
    this.routes = new Map<string, Partial<Record<string, Handler>>>([
      ['/', get((x) => this.send(x, 200, this.page, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP }))],
      ['/healthz', get((x) => this.closing
        ? this.sendJson(x, 503, { status: 'shutting down' })
        : this.sendJson(x, 200, { status: 'ok' }))],
      ['/v1/model', get((x) => this.sendJson(x, 200, this.modelInfo))],
      ['/v1/tag', { POST: (x) => this.tag(x) }],
    ]);
    // Node's own guard against slow clients: the whole request must arrive within this time.
    const requestTimeout = Math.max(this.timeoutMs, 1000) + 1000;
    this.http = http.createServer({ requestTimeout, headersTimeout: Math.min(60_000, requestTimeout) }, (req, res) => this.handle(req, res));
    // `expect: 100-continue` (curl sends it for large bodies): the client waits for our go-ahead,
    // which readBody gives only once the path, method, type and declared size are acceptable.
    this.http.on('checkContinue', (req, res) => this.handle(req, res));
    // Anything that does not parse as HTTP (garbage bytes, oversized headers) gets a 400 or 431
    // and a closed connection; the server carries on.
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      if (err.code !== 'ECONNRESET' && socket.writable) {
        const body = JSON.stringify({ error: status === 431 ? 'request headers too large' : status === 408 ? 'request not received in time' : 'malformed HTTP request' });
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nconnection: close\r\ncontent-type: ${JSON_TYPE}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      } else {
        socket.destroy();
      }
      this.log(`${new Date().toISOString()} - - ${status} 0.0ms 0B 0B (${err.code ?? err.message})`);
    });
  }

  /** Starts listening (port 0: an ephemeral port); resolves to the address and base URL. */
  listen(port: number, host: string): Promise<{ host: string; port: number; url: string }> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.http.once('error', onError);
      this.http.listen(port, host, () => {
        this.http.off('error', onError);
        const a = this.http.address() as AddressInfo;
        const h = a.family === 'IPv6' ? `[${a.address}]` : a.address;
        resolve({ host: a.address, port: a.port, url: `http://${h}:${a.port}/` });
      });
    });
  }

  /** True once `close` was called. */
  get isClosing(): boolean {
    return this.closing !== null;
  }

  /**
   * Graceful shutdown: stops accepting connections, lets the requests in flight finish (they
   * are answered with `connection: close`), closes idle keep-alive connections, and resolves
   * when every connection is gone and the tagging workers, if any, have stopped. Connections
   * still open after `graceMs` (default: the request timeout plus a second) are cut.
   */
  close(graceMs = this.timeoutMs + 1000): Promise<void> {
    if (this.closing) return this.closing;
    this.closing = new Promise<void>((resolve) => {
      const force = setTimeout(() => this.http.closeAllConnections(), graceMs);
      force.unref();
      this.http.close(() => { clearTimeout(force); resolve(); });
      this.http.closeIdleConnections();
    }).then(() => this.tagger.close()); // the tagging workers, once no request needs them
    return this.closing;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const started = performance.now();
    const ac = new AbortController();
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    const x: Exchange = { req, res, signal: ac.signal, bytesIn: 0, bytesOut: 0, unread: hasBody };
    let path = '-';
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch { /* answered 404 below */ }
    const timer = setTimeout(() => {
      ac.abort(new HttpError(503, `not tagged within ${this.timeoutMs} ms; try again later`, { 'retry-after': '1' }));
      if (!res.headersSent) {
        this.sendError(x, x.unread
          ? new HttpError(408, `request body not received within ${this.timeoutMs} ms`, { connection: 'close' })
          : ac.signal.reason as HttpError);
      }
    }, this.timeoutMs);
    res.on('close', () => {
      clearTimeout(timer);
      ac.abort(new Error('client went away'));
      // 499: the client closed the connection before the answer was sent (nginx's convention).
      const status = res.writableFinished ? res.statusCode : 499;
      const ms = performance.now() - started;
      this.log(`${new Date().toISOString()} ${req.method} ${path} ${status} ${ms.toFixed(1)}ms ${x.bytesIn}B ${x.bytesOut}B`);
    });
    // A request whose connection breaks (truncated body, client gone) must not take the server down.
    req.on('error', () => {});
    res.on('error', () => {});
    const route = this.routes.get(path);
    const handler = route?.[req.method ?? ''];
    let done: Promise<void> | void;
    try {
      if (!route) throw new HttpError(404, `no such path: ${path} (see GET / for the page, POST /v1/tag to tag)`);
      if (!handler) {
        const allow = Object.keys(route).join(', ');
        throw new HttpError(405, `${req.method} is not allowed on ${path} (allowed: ${allow})`, { allow });
      }
      done = handler(x);
    } catch (e) {
      done = Promise.reject(e);
    }
    Promise.resolve(done).catch((e) => this.sendError(x, e));
  }

  private async tag(x: Exchange): Promise<void> {
    checkContentType(x.req.headers['content-type']);
    const body = await this.readBody(x);
    const input = parseTagRequest(body);
    const texts = typeof input === 'string' ? [input] : input;
    const results = await this.tagger.tag(texts, x.signal);
    const out = typeof input === 'string'
      ? { sentences: results[0].map(sentenceJson) }
      : { results: results.map((ss) => ({ sentences: ss.map(sentenceJson) })) };
    this.sendJson(x, 200, out);
  }

  /** The request body, at most maxBody bytes (413 beyond), decoded as UTF-8 (400 if it is not). */
  private readBody(x: Exchange): Promise<string> {
    const { req } = x;
    const declared = Number(req.headers['content-length']);
    if (declared > this.maxBody) {
      return Promise.reject(tooLarge(this.maxBody));
    }
    if (/100-continue/i.test(req.headers.expect ?? '')) x.res.writeContinue();
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const stop = (e: unknown) => {
        req.off('data', onData);
        req.off('end', onEnd);
        reject(e);
      };
      const onData = (c: Buffer) => {
        x.bytesIn += c.length;
        if (x.bytesIn > this.maxBody) stop(tooLarge(this.maxBody));
        else chunks.push(c);
      };
      const onEnd = () => {
        x.unread = false;
        try {
          resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
        } catch {
          reject(new HttpError(400, 'the body is not valid UTF-8'));
        }
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('aborted', () => stop(new Error('request aborted')));
      x.signal.addEventListener('abort', () => stop(x.signal.reason), { once: true });
    });
  }

  private sendError(x: Exchange, e: unknown): void {
    if (x.res.headersSent || x.res.destroyed) return;
    if (e instanceof HttpError) {
      this.sendJson(x, e.status, { error: e.message }, e.headers);
    } else {
      // A bug, not the client's fault: say so without the details, keep serving.
      this.log(`${new Date().toISOString()} internal error: ${(e as Error)?.stack ?? String(e)}`);
      this.sendJson(x, 500, { error: 'internal error' });
    }
  }

  private sendJson(x: Exchange, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.send(x, status, Buffer.from(JSON.stringify(body) + '\n', 'utf8'), { 'content-type': JSON_TYPE, ...headers });
  }

  private send(x: Exchange, status: number, body: Buffer, headers: Record<string, string>): void {
    const { req, res } = x;
    if (res.headersSent || res.destroyed) return;
    // An answer given before the body was read (413, 415, 404 …): closing the connection spares
    // reading the rest of the body only to throw it away. While shutting down, no connection is
    // kept for another request.
    if (x.unread || this.closing) res.setHeader('connection', 'close');
    res.writeHead(status, {
      'content-length': body.length, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers,
    });
    x.bytesOut = req.method === 'HEAD' ? 0 : body.length;
    res.end(body);
  }
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, `the body is larger than the limit of ${formatSize(max)}`, { connection: 'close' });
}

/** JSON bodies only: application/json or any +json type, in UTF-8, or no content type at all. */
function checkContentType(header: string | undefined): void {
  if (header === undefined) return;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new HttpError(415, `the body must be JSON: send the header content-type: application/json (got ${type || 'an empty type'})`);
  }
  for (const p of params) {
    const [k, v] = p.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (k === 'charset' && v !== 'utf-8' && v !== 'utf8') throw new HttpError(415, `the body must be UTF-8, not ${v}`);
  }
}

/** The text or texts of a POST /v1/tag body; every mistake is a 400 that says what is wrong. */
export function parseTagRequest(body: string): string | string[] {
  const usage = 'send a JSON object {"text": "..."} or {"texts": ["...", ...]}';
  if (body.trim() === '') throw new HttpError(400, `empty body: ${usage}`);
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    throw new HttpError(400, `malformed JSON (${(e as Error).message}): ${usage}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, `the body is not a JSON object: ${usage}`);
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => k !== 'text' && k !== 'texts');
  if (unknown.length > 0) throw new HttpError(400, `unknown field ${JSON.stringify(unknown[0])}: ${usage}`);
  if ('text' in o && 'texts' in o) throw new HttpError(400, `give "text" or "texts", not both: ${usage}`);
  if ('text' in o) {
    if (typeof o.text !== 'string') throw new HttpError(400, `"text" must be a string, got ${typeName(o.text)}`);
    return o.text;
  }
  if ('texts' in o) {
    if (!Array.isArray(o.texts)) throw new HttpError(400, `"texts" must be an array of strings, got ${typeName(o.texts)}`);
    const bad = o.texts.findIndex((t) => typeof t !== 'string');
    if (bad >= 0) throw new HttpError(400, `"texts"[${bad}] must be a string, got ${typeName(o.texts[bad])}`);
    return o.texts as string[];
  }
  throw new HttpError(400, `missing field "text" or "texts": ${usage}`);
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1 << 10, k: 1 << 10, mb: 1 << 20, m: 1 << 20, gb: 1 << 30, g: 1 << 30 };

/** `1mb`, `512kb`, `64k`, `1048576` → bytes (binary units: 1kb = 1024 bytes); NaN if it does not parse. */
export function parseSize(s: string | number): number {
  if (typeof s === 'number') return Number.isInteger(s) ? s : NaN;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(s);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) return NaN;
  return Math.floor(Number(m[1]) * unit);
}

export function formatSize(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n / (1 << 20)} MiB`;
  if (n >= 1 << 10 && n % (1 << 10) === 0) return `${n / (1 << 10)} KiB`;
  return `${n} bytes`;
}
