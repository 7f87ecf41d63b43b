import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { ner } from '../cli/helpers.js';
import { trainTinyModel, root } from './model.js';
import { postTag, request } from './http.js';

let modelDir: string;
let cleanup: () => void;
const children: ChildProcess[] = [];

beforeAll(async () => {
  const m = await trainTinyModel();
  modelDir = m.dir;
  cleanup = m.cleanup;
}, 60_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  cleanup?.();
});

/** Starts the built `ner serve` on an ephemeral port; resolves once it says where it listens. */
function serve(args: string[]): Promise<{ child: ChildProcess; url: string; stderr: () => string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/ner.js'), 'serve', '-m', modelDir, '--port', '0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve({ child, url: m[1], stderr: () => err, exit });
    });
    exit.then((code) => reject(new Error(`ner serve exited with ${code}: ${err}`)));
  });
}

describe('ner serve (command)', () => {
  it('SIGTERM: the request in flight is answered, then the process exits 0', async () => {
    const s = await serve(['--batch-wait-ms', '400']);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const reply = postTag(s.url, { text: 'Helena Marsh visited Tarrow Bay.' });
    await new Promise((r) => setTimeout(r, 150)); // received, waiting for its batch
    s.child.kill('SIGTERM');
    const r = await reply;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).sentences[0].entities[0]).toMatchObject({ type: 'PER', text: 'Helena Marsh' });
    expect(await s.exit).toBe(0);
    expect(s.stderr()).toMatch(/SIGTERM: finishing the requests in flight/);
    expect(s.stderr()).toMatch(/POST \/v1\/tag 200 \d+\.\dms \d+B \d+B\n/);
    expect(s.stderr()).toMatch(/ner serve: stopped\n$/);
  }, 30_000);

  it('--threads 2: answers, says how many threads tag, and SIGTERM stops the worker too (exit 0)', async () => {
    const s = await serve(['--threads', '2']);
    expect(s.stderr()).toMatch(/backend, 2 threads\)/);
    const replies = await Promise.all(Array.from({ length: 20 }, () => postTag(s.url, { text: 'Helena Marsh visited Tarrow Bay.' })));
    for (const r of replies) expect(JSON.parse(r.body).sentences[0].entities[0]).toMatchObject({ type: 'PER', text: 'Helena Marsh' });
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    expect(s.stderr()).toMatch(/ner serve: stopped\n$/);
    const bad = ner(['serve', '-m', modelDir, '--threads', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ner: --threads must be a positive integer, got 0\n$/);
  }, 30_000);

  it('SIGINT with keep-alive connections open and idle: exits 0 at once', async () => {
    const s = await serve([]);
    const agent = new http.Agent({ keepAlive: true });
    const r = await new Promise<number>((resolve, reject) => {
      http.get(new URL('healthz', s.url), { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); }).on('error', reject);
    });
    expect(r).toBe(200);
    const t0 = Date.now();
    s.child.kill('SIGINT');
    expect(await s.exit).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
    agent.destroy();
  }, 30_000);

  it('bad options and a busy port are one-line user errors (exit 2)', async () => {
    const port = ner(['serve', '-m', modelDir, '--port', '70000']);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/^ner: --port must be an integer in 0\.\.65535, got 70000\n$/);
    const body = ner(['serve', '-m', modelDir, '--max-body', 'lots']);
    expect(body.code).toBe(2);
    expect(body.stderr).toMatch(/--max-body must be a size/);
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    try {
      const p = (busy.address() as net.AddressInfo).port;
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [path.join(root, 'bin/ner.js'), 'serve', '-m', modelDir, '--port', String(p)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let e = '';
        c.stderr.on('data', (d) => { e += d; });
        c.on('exit', (code) => resolve({ code, stderr: e }));
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^ner: cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE/);
    } finally {
      busy.close();
    }
  }, 30_000);

  it('--max-body and --timeout-ms apply', async () => {
    const s = await serve(['--max-body', '1kb', '--timeout-ms', '5000']);
    try {
      expect((await postTag(s.url, { text: 'x'.repeat(2000) })).status).toBe(413);
      expect((await postTag(s.url, { text: 'Helena Marsh.' })).status).toBe(200);
      expect((await request(new URL('healthz', s.url).href)).status).toBe(200);
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exit).toBe(0);
    }
  }, 30_000);
});
