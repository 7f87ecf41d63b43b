/**
 * Load benchmark of `ner serve`: starts the built server in a child process on 127.0.0.1 (a free
 * port), drives it with 1, 8 and 64 concurrent keep-alive clients (Node's own http) posting one
 * news sentence or two each, and prints a markdown table of requests/s, tokens/s and p50/p99
 * latency, then the server's resident memory before and after a long run.
 *
 *   npm run build && node bench/serve.mjs --model DIR              # quick: 1,000 requests a level
 *   node bench/serve.mjs --model DIR --requests 5000 --memory-requests 100000
 *
 * Options: --requests N per concurrency level (default 1000), --seconds S cap per level (default
 * 60), --clients 1,8,64, --memory-requests N for the memory run at the highest concurrency
 * (default 5000; 100000 for the full check), --batch-wait-ms MS and --threads N (passed to ner
 * serve), --json.
 * Without --model, ner serve's default model. Only ever talks to 127.0.0.1.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: o } = parseArgs({
  options: {
    model: { type: 'string' },
    requests: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    clients: { type: 'string', default: '1,8,64' },
    'memory-requests': { type: 'string', default: '5000' },
    'batch-wait-ms': { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const HOST = '127.0.0.1';
const perLevel = positive('requests');
const seconds = positive('seconds');
const memoryRequests = Number(o['memory-requests']);
const levels = o.clients.split(',').map(Number);
if (levels.some((n) => !(Number.isInteger(n) && n > 0))) fail(`--clients must be positive integers, got ${o.clients}`);

function positive(name) {
  const n = Number(o[name]);
  if (!(n > 0)) fail(`--${name} must be a positive number, got ${o[name]}`);
  return n;
}

function fail(msg) {
  process.stderr.write(`bench/serve: ${msg}\n`);
  process.exit(2);
}

/** Request bodies: CoNLL-style news, one or two sentences each, cycled through. */
const TEXTS = [
  'Angela Merkel met Emmanuel Macron in Paris on Tuesday to discuss the future of the European Union.',
  'Shares of Volkswagen rose 3 percent in Frankfurt after the carmaker said it would build a plant near Lisbon.',
  'The United Nations Security Council will meet in New York on Friday, a spokesman for Kofi Annan said.',
  'Manchester United beat Arsenal 2-1 at Old Trafford. Ryan Giggs scored the winner in the 89th minute.',
  'Microsoft Corp said on Monday that its chairman Bill Gates would visit Beijing and Tokyo next month.',
  'Brazilian striker Ronaldo flew to Milan, where Inter officials confirmed the transfer from Barcelona.',
  'Oil prices fell in London as OPEC ministers gathered in Vienna for talks on output quotas.',
  'Police in Sydney arrested two men after a robbery at a bank on George Street, Reuters reported.',
].map((text) => JSON.stringify({ text }));

// ---- the server, in its own process -------------------------------------------------------------

const args = [path.join(root, 'bin/ner.js'), 'serve', '--host', HOST, '--port', '0'];
if (o.model) args.push('--model', o.model);
if (o['batch-wait-ms'] !== undefined) args.push('--batch-wait-ms', o['batch-wait-ms']);
if (o.threads !== undefined) args.push('--threads', o.threads);
const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
let stderrHead = '';
const base = await new Promise((resolve, reject) => {
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    if (stderrHead.length < 10_000) stderrHead += d; // the per-request log lines are read and dropped
    const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderrHead);
    if (m) resolve(new URL(m[1]));
  });
  child.on('exit', (code) => reject(new Error(`ner serve exited with ${code}:\n${stderrHead}`)));
});
if (base.hostname !== HOST) fail(`refusing to load ${base.hostname}`);
const tagUrl = new URL('v1/tag', base);

/** Resident set size of the server process in bytes (Linux /proc; `ps` elsewhere). */
function serverRss() {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch { /* not Linux */ }
  return NaN;
}

// ---- clients ------------------------------------------------------------------------------------

function post(agent, body) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(tagUrl, {
      method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks)}`));
        else resolve({ ms: performance.now() - t0, body: chunks });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `clients` loops posting back to back until `total` requests are answered or time is up. */
async function load(clients, total, maxSeconds, onProgress) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies = [];
  let issued = 0;
  const deadline = performance.now() + maxSeconds * 1000;
  const t0 = performance.now();
  const loop = async () => {
    while (issued < total && performance.now() < deadline) {
      const body = TEXTS[issued++ % TEXTS.length];
      const { ms } = await post(agent, body);
      latencies.push(ms);
      onProgress?.(latencies.length);
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  const secs = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { clients, requests: latencies.length, seconds: secs, rps: latencies.length / secs, p50: q(0.5), p99: q(0.99), max: latencies.at(-1) };
}

/** Tokens per request, averaged over the texts (for tokens/s). */
async function tokensPerRequest() {
  const agent = new http.Agent({ keepAlive: false });
  let n = 0;
  for (const body of TEXTS) {
    const { body: chunks } = await post(agent, body);
    n += JSON.parse(Buffer.concat(chunks)).sentences.reduce((s, x) => s + x.tokens.length, 0);
  }
  return n / TEXTS.length;
}

// ---- run ----------------------------------------------------------------------------------------

try {
  const tokens = await tokensPerRequest();
  await load(8, 400, 30); // warm-up: JIT, wasm heap, sockets
  const rows = [];
  for (const c of levels) {
    rows.push(await load(c, perLevel, seconds));
    process.stderr.write(`bench/serve: ${c} client(s) done\n`);
  }
  // RSS before the run, at each quarter of it, and the peak: a leak shows as a steady climb,
  // a warming heap as a step that flattens.
  const memory = { requests: memoryRequests, clients: Math.max(...levels), before: serverRss(), quarters: [], peak: 0, after: NaN };
  if (memoryRequests > 0) {
    memory.peak = memory.before;
    const quarter = Math.ceil(memoryRequests / 4);
    await load(memory.clients, memoryRequests, 24 * 3600, (n) => {
      if (n % 500 === 0 || n % quarter === 0) memory.peak = Math.max(memory.peak, serverRss());
      if (n % quarter === 0 && n < memoryRequests) memory.quarters.push(serverRss());
    });
    await new Promise((r) => setTimeout(r, 500));
    memory.after = serverRss();
    memory.quarters.push(memory.after);
    memory.peak = Math.max(memory.peak, memory.after);
  }
  const env = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model.trim(), model: o.model ?? '(default)', threads: Number(o.threads ?? 1), tokensPerRequest: tokens };
  if (o.json) {
    process.stdout.write(JSON.stringify({ env, rows, memory }, null, 2) + '\n');
  } else {
    const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
    const mb = (b) => `${f(b / 2 ** 20)} MiB`;
    const out = [
      `ner serve --threads ${env.threads} on ${HOST}, model ${env.model}, ${f(tokens)} tokens per request; Node ${env.node}, ${env.cpus} × ${env.cpu}`,
      '',
      '| clients | requests | req/s | tokens/s | p50 ms | p99 ms | max ms |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.clients} | ${r.requests} | ${f(r.rps, 0)} | ${f(r.rps * tokens, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.max)} |`),
      '',
      memoryRequests > 0
        ? [`Server RSS over ${memory.requests} requests from ${memory.clients} clients:`, '',
          `| before | ${memory.quarters.map((_, i) => `after ${Math.min(memory.requests, Math.ceil(memory.requests / 4) * (i + 1))}`).join(' | ')} | peak |`,
          `| ---: | ${memory.quarters.map(() => '---:').join(' | ')} | ---: |`,
          `| ${mb(memory.before)} | ${memory.quarters.map(mb).join(' | ')} | ${mb(memory.peak)} |`].join('\n')
        : '(memory run skipped: --memory-requests 0)',
    ];
    process.stdout.write(out.join('\n') + '\n');
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
}
