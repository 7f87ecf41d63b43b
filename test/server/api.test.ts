import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { loadModel } from '../../src/tagger/store.js';
import { tagText, sentenceJson } from '../../src/tagger/text.js';
import type { Tagger } from '../../src/tagger/tagger.js';
import { initBackend } from '../../src/tensor/backend.js';
import { serveModel, parseSize, type NerServer, type BatchingTagger } from '../../src/server/index.js';
import { trainTinyModel } from './model.js';
import { request, postTag, raw } from './http.js';

let modelDir: string;
let cleanup: () => void;
let tagger: Tagger;
let server: NerServer;
let batcher: BatchingTagger;
let base: string;
let port: number;
const logs: string[] = [];

const MAX_BODY = 64 * 1024;

beforeAll(async () => {
  initBackend();
  const m = await trainTinyModel();
  modelDir = m.dir;
  cleanup = m.cleanup;
  tagger = loadModel(modelDir);
  const s = await serveModel({ modelDir, port: 0, host: '127.0.0.1', maxBodyBytes: MAX_BODY, log: (l) => logs.push(l) });
  ({ server, url: base, port } = s);
  batcher = s.tagger;
}, 60_000);

afterAll(async () => {
  await server?.close();
  cleanup?.();
});

const TEXT = 'Helena Marsh visited Tarrow Bay. Norvale Mining said so.';
const json = (r: { body: string }) => JSON.parse(r.body);
/** What `ner tag -o json` prints for a text: one object per sentence. */
const expected = (text: string) => JSON.parse(JSON.stringify(tagText(tagger, text).map(sentenceJson)));

/** Waits for the log line of the request just answered (written when the connection closes). */
async function lastLog(match: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const l = logs.findLast((x) => match.test(x));
    if (l) return l;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no log line matches ${match}; got:\n${logs.slice(-5).join('\n')}`);
}

describe('ner serve API: happy path', () => {
  it('POST /v1/tag {"text"} answers the sentences `ner tag -o json` prints', async () => {
    const r = await postTag(base, { text: TEXT });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = json(r);
    expect(Object.keys(body)).toEqual(['sentences']);
    expect(body.sentences).toEqual(expected(TEXT));
    expect(body.sentences).toHaveLength(2);
    const e = body.sentences[0].entities[0];
    expect(e).toMatchObject({ type: 'PER', text: 'Helena Marsh', start: 0, end: 12 });
    expect(e.score).toBeGreaterThan(0);
    expect(e.score).toBeLessThanOrEqual(1);
  });

  it('POST /v1/tag {"texts"} answers one result per text, in order, offsets into each text', async () => {
    const texts = ['Norvale Mining said so.', '', 'Chief executive Helena Marsh spoke.\n\nTarrow Bay is quiet.'];
    const r = await postTag(base, { texts });
    expect(r.status).toBe(200);
    const body = json(r);
    expect(body).toEqual({ results: texts.map((t) => ({ sentences: expected(t) })) });
    expect(body.results[2].sentences[1].start).toBe(texts[2].indexOf('Tarrow'));
    expect(json(await postTag(base, { texts: [] }))).toEqual({ results: [] });
    expect(json(await postTag(base, { text: '' }))).toEqual({ sentences: [] });
  });

  it('accepts JSON types with parameters and +json, and no content type at all', async () => {
    for (const headers of [{ 'content-type': 'application/json; charset=UTF-8' }, { 'content-type': 'application/vnd.api+json' }, {}]) {
      const r = await postTag(base, { text: 'Helena Marsh.' }, headers);
      expect(r.status).toBe(200);
    }
  });

  it('GET /v1/model describes the model (as ner info --json), without its path on the server', async () => {
    const r = await request(new URL('v1/model', base).href);
    expect(r.status).toBe(200);
    const info = json(r);
    expect(info).toMatchObject({ dir: 'model', format: 'bilstm-ner/model', decoder: 'softmax', schemes: { model: 'IOBES', data: 'IOB2' } });
    expect(info.vocabulary.tagList).toEqual(tagger.meta.vocab.tags);
    expect(info.parameters).toBeGreaterThan(1000);
    expect(r.body).not.toContain(modelDir);
  });

  it('GET /healthz; HEAD answers headers without a body', async () => {
    const r = await request(new URL('healthz', base).href);
    expect(r.status).toBe(200);
    expect(json(r)).toEqual({ status: 'ok' });
    const h = await request(base, { method: 'HEAD' });
    expect(h.status).toBe(200);
    expect(h.body).toBe('');
    expect(Number(h.headers['content-length'])).toBeGreaterThan(1000);
  });

  it('GET / serves the page, self-contained, under a strict Content-Security-Policy', async () => {
    const r = await request(base);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("connect-src 'self'");
    expect(r.body).toMatch(/<textarea id="text"/);
    expect(r.body).toMatch(/<button id="tag"[^>]*>Tag<\/button>/);
    // Nothing loaded from elsewhere: no http(s) URL in src/href, no @import, no url().
    expect(r.body).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(r.body).not.toMatch(/@import|url\(/i);
  });

  it('logs one line per request: method, path, status, ms, bytes in and out', async () => {
    const r = await postTag(base, { text: 'Tarrow Bay is quiet.' }); // a 31-byte body
    const line = await lastLog(/POST \/v1\/tag 200 .* 31B /);
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z POST \/v1\/tag 200 \d+\.\dms 31B (\d+)B$/);
    expect(Number(/ (\d+)B$/.exec(line)![1])).toBe(Buffer.byteLength(r.body));
    await request(new URL('nowhere?secret=1', base).href);
    expect(await lastLog(/GET \/nowhere /)).toMatch(/GET \/nowhere 404 /);
    expect(logs.join('\n')).not.toContain('secret');
  });
});

describe('ner serve API: errors', () => {
  const expectError = async (p: Promise<{ status: number; body: string; headers: Record<string, unknown> }>, status: number, message: RegExp) => {
    const r = await p;
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = json(r);
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error).toMatch(message);
    return r;
  };

  it('400: malformed JSON, empty body, a body that is not an object', async () => {
    await expectError(postTag(base, '{"text": "Helena'), 400, /malformed JSON/);
    await expectError(postTag(base, ''), 400, /empty body/);
    await expectError(postTag(base, '   '), 400, /empty body/);
    await expectError(postTag(base, '["Helena Marsh"]'), 400, /not a JSON object/);
    await expectError(postTag(base, '"Helena Marsh"'), 400, /not a JSON object/);
    await expectError(postTag(base, 'null'), 400, /not a JSON object/);
  });

  it('400: missing, unknown, both, or wrong-typed fields', async () => {
    await expectError(postTag(base, {}), 400, /missing field "text" or "texts"/);
    await expectError(postTag(base, { txt: 'Helena' }), 400, /unknown field "txt"/);
    await expectError(postTag(base, { text: 'a', texts: ['b'] }), 400, /not both/);
    await expectError(postTag(base, { text: 5 }), 400, /"text" must be a string, got a number/);
    await expectError(postTag(base, { text: null }), 400, /got null/);
    await expectError(postTag(base, { texts: 'Helena' }), 400, /"texts" must be an array of strings, got a string/);
    await expectError(postTag(base, { texts: ['ok', 7] }), 400, /"texts"\[1\] must be a string, got a number/);
  });

  it('400: bytes that are not UTF-8, and garbage bytes as a body', async () => {
    const notUtf8 = Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]); // {"text":"\xff\xfe"}
    await expectError(request(new URL('v1/tag', base).href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: notUtf8 }), 400, /not valid UTF-8/);
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const r = await request(new URL('v1/tag', base).href, { method: 'POST', headers: { 'content-type': 'application/json' }, body: garbage });
    expect(r.status).toBe(400);
  });

  it('404: unknown path; 405 with Allow: wrong method on a known path', async () => {
    await expectError(request(new URL('v2/tag', base).href, { method: 'POST', body: '{}' }), 404, /no such path: \/v2\/tag/);
    await expectError(request(new URL('v1/tag/', base).href), 404, /no such path/);
    const get = await expectError(request(new URL('v1/tag', base).href), 405, /GET is not allowed on \/v1\/tag/);
    expect(get.headers.allow).toBe('POST');
    const post = await expectError(request(new URL('healthz', base).href, { method: 'POST', body: '{}' }), 405, /POST/);
    expect(post.headers.allow).toBe('GET, HEAD');
    const del = await expectError(request(base, { method: 'DELETE' }), 405, /DELETE/);
    expect(del.headers.allow).toBe('GET, HEAD');
  });

  it('413: a body over the limit, declared or streamed (chunked), with the connection closed', async () => {
    const huge = JSON.stringify({ text: 'Helena Marsh. '.repeat(20_000) }); // ~280 kB > 64 KiB
    const declared = await expectError(postTag(base, huge), 413, /larger than the limit of 64 KiB/);
    expect(declared.headers.connection).toBe('close');
    // Streamed without a content-length: the server stops reading at the limit.
    const chunked = await new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
      const req = request(new URL('v1/tag', base).href, {
        method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: huge,
      });
      req.then(resolve, reject);
    });
    expect(chunked.status).toBe(413);
    // Exactly at the limit is fine.
    const pad = MAX_BODY - JSON.stringify({ text: '' }).length;
    expect((await postTag(base, { text: ' '.repeat(pad) })).status).toBe(200);
    await expectError(postTag(base, { text: ' '.repeat(pad + 1) }), 413, /larger than the limit/);
  });

  it('expect: 100-continue: the go-ahead only for an acceptable request, an early 413 otherwise', async () => {
    const ask = (length: number, body?: string) => new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = http.request(new URL('v1/tag', base), {
        method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': length, expect: '100-continue' },
      }, (res) => { res.resume(); res.on('end', () => resolve({ status: res.statusCode!, continued })); });
      req.on('continue', () => { continued = true; req.end(body); });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(await ask(10 * MAX_BODY)).toEqual({ status: 413, continued: false });
    const body = JSON.stringify({ text: 'Helena Marsh.' });
    expect(await ask(Buffer.byteLength(body), body)).toEqual({ status: 200, continued: true });
  });

  it('415: a body that is not declared as JSON', async () => {
    await expectError(postTag(base, '{"text": "Helena"}', { 'content-type': 'text/plain' }), 415, /content-type: application\/json/);
    await expectError(postTag(base, 'text=Helena', { 'content-type': 'application/x-www-form-urlencoded' }), 415, /x-www-form-urlencoded/);
    await expectError(postTag(base, '{"text": "Helena"}', { 'content-type': 'application/json; charset=latin1' }), 415, /UTF-8/);
  });

  it('garbage bytes, a truncated body, a vanished client: the server answers or moves on, and keeps serving', async () => {
    const answer = await raw(port, Buffer.from('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not HTTP at all \x00\xff\r\n\r\n', 'latin1'));
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('{"error":"malformed HTTP request"}');
    // Declares 100 bytes, sends 19 and hangs up.
    await raw(port, 'POST /v1/tag HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"text": "Helena Ma');
    expect(await lastLog(/POST \/v1\/tag 499 /)).toMatch(/ 19B 0B$/);
    // Sends a whole request and closes before the answer could be read.
    await raw(port, 'POST /v1/tag HTTP/1.1\r\nhost: x\r\ncontent-length: 24\r\n\r\n{"text": "Helena Marsh"}', { waitMs: 0 });
    // A header block far too large.
    const big = await raw(port, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(100_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    const r = await postTag(base, { text: TEXT });
    expect(r.status).toBe(200);
    expect(json(r).sentences).toEqual(expected(TEXT));
  });

  it('503 with a JSON error when tagging misses the deadline; the request is dropped from the queue', async () => {
    // The batch would only run after 3 s; the 50 ms deadline must answer long before that.
    const slow = await serveModel({ modelDir, port: 0, timeoutMs: 50, batchWaitMs: 3000, log: (l) => logs.push(l) });
    try {
      const t0 = performance.now();
      const r = await expectError(postTag(slow.url, { text: TEXT }), 503, /not tagged within 50 ms/);
      expect(performance.now() - t0).toBeLessThan(2500);
      expect(r.headers['retry-after']).toBe('1');
      await new Promise((res) => setTimeout(res, 3200));
      expect(slow.tagger.stats().requests).toBe(0);
      expect(slow.tagger.queued).toBe(0);
    } finally {
      await slow.server.close();
    }
  });
});

describe('ner serve API: concurrency', () => {
  it('100 concurrent requests are all answered correctly, each as a lone request would be, in shared batches', async () => {
    const words = ['Helena Marsh', 'Norvale Mining', 'Tarrow Bay', 'the plant', 'reporters'];
    const texts = Array.from({ length: 100 }, (_, i) =>
      `${words[i % 5]} met ${words[(i * 3 + 1) % 5]} on day ${i}.${i % 4 === 0 ? `\n\n${words[(i + 2) % 5]} left.` : ''}`);
    // One by one first: the reference answers.
    const alone = [];
    for (const text of texts.slice(0, 10)) alone.push(json(await postTag(base, { text })));
    const before = batcher.stats();
    const replies = await Promise.all(texts.map((text) => postTag(base, { text })));
    const after = batcher.stats();
    for (const [i, r] of replies.entries()) {
      expect(r.status).toBe(200);
      expect(json(r)).toEqual({ sentences: expected(texts[i]) });
      if (i < 10) expect(json(r)).toEqual(alone[i]);
    }
    expect(after.requests - before.requests).toBe(100);
    // Shared: far fewer batches than requests.
    expect(after.batches - before.batches).toBeLessThan(50);
  });
});

describe('ner serve API: threads', () => {
  it('with 2 threads, 100 concurrent requests are answered as by one thread, batches are shared with the worker, and close() stops it', async () => {
    // A longer batch wait gathers each wave into batches large enough to be split.
    const s = await serveModel({ modelDir, port: 0, threads: 2, batchWaitMs: 30, log: () => {} });
    try {
      expect(s.tagger.threads).toBe(2);
      const words = ['Helena Marsh', 'Norvale Mining', 'Tarrow Bay', 'the plant', 'reporters'];
      const texts = Array.from({ length: 100 }, (_, i) => `${words[i % 5]} met ${words[(i * 2 + 1) % 5]} in week ${i}.`);
      // Several waves, so that batches meet a busy worker and this thread tags some too.
      for (let wave = 0; wave < 4; wave++) {
        const before = s.tagger.stats().batches;
        const replies = await Promise.all(texts.map((text) => postTag(s.url, { text })));
        for (const [i, r] of replies.entries()) {
          expect(r.status).toBe(200);
          expect(json(r)).toEqual({ sentences: expected(texts[i]) });
        }
        expect(s.tagger.stats().batches).toBeGreaterThan(before);
      }
      const q = await postTag(s.url, { texts: [TEXT, TEXT] });
      expect(json(q)).toEqual({ results: [{ sentences: expected(TEXT) }, { sentences: expected(TEXT) }] });
    } finally {
      await s.server.close();
    }
    const shared = s.tagger.stats().atWorkers;
    expect(shared).toBeGreaterThan(0);
    // The worker is gone: every batch is tagged here now, large ones too.
    expect(s.tagger.threads).toBe(1);
    const many = Array.from({ length: 40 }, () => `${TEXT} ${TEXT}`);
    expect(await Promise.all(many.map((t) => s.tagger.tag([t])))).toEqual(many.map((t) => [tagText(tagger, t)]));
    expect(s.tagger.stats().atWorkers).toBe(shared);
  }, 60_000);
});

describe('graceful shutdown', () => {
  it('close(): stops accepting, finishes the request in flight, then resolves', async () => {
    const s = await serveModel({ modelDir, port: 0, batchWaitMs: 300, log: () => {} });
    const inFlight = postTag(s.url, { text: TEXT });
    await new Promise((r) => setTimeout(r, 100)); // the request is queued, waiting for its batch
    const closed = s.server.close();
    expect((await request(new URL('healthz', s.url).href).catch((e) => e)).code).toBe('ECONNREFUSED');
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(r.headers.connection).toBe('close');
    expect(json(r).sentences).toEqual(expected(TEXT));
    await closed;
    expect(s.server.http.listening).toBe(false);
  });

  it('close() with keep-alive clients: the answer in flight says connection: close, and close resolves without waiting for the grace period', async () => {
    const s = await serveModel({ modelDir, port: 0, batchWaitMs: 300, timeoutMs: 10_000, log: () => {} });
    const agent = new http.Agent({ keepAlive: true });
    const get = (p: string, body?: string) => new Promise<{ status: number; connection?: string }>((resolve, reject) => {
      const req = http.request(new URL(p, s.url), { method: body ? 'POST' : 'GET', agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end(body);
    });
    try {
      expect(await get('healthz')).toEqual({ status: 200, connection: 'keep-alive' });
      const inFlight = get('v1/tag', JSON.stringify({ text: TEXT }));
      await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      await Promise.all([s.server.close(), inFlight.then((r) => expect(r).toEqual({ status: 200, connection: 'close' }))]);
      expect(performance.now() - t0).toBeLessThan(2000);
    } finally {
      agent.destroy();
    }
  });
});

describe('parseSize', () => {
  it('reads bytes with binary units', () => {
    expect(parseSize('1mb')).toBe(1 << 20);
    expect(parseSize('512kb')).toBe(512 * 1024);
    expect(parseSize('64K')).toBe(65536);
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('1.5mb')).toBe(1.5 * (1 << 20));
    expect(parseSize(2048)).toBe(2048);
    expect(parseSize('lots')).toBeNaN();
    expect(parseSize('1tb')).toBeNaN();
  });
});
