/**
 * The tagging pool: the same output as tagging on one thread, in input order; no worker for a
 * single chunk; workers stop on close. Workers run the built code (dist/), which `npm test`
 * builds before vitest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConllFile, type Sentence } from '../../src/data/index.js';
import { trainTagger, predict } from '../../src/tagger/tagger.js';
import { tagText } from '../../src/tagger/text.js';
import { loadModel } from '../../src/tagger/store.js';
import { TagPool, tagChunks, textChunks, tokenChunks, groupsOf } from '../../src/parallel/tagPool.js';
import { ner } from '../cli/helpers.js';
import { useJs, useWasm } from '../../src/tensor/backend.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = path.join(root, 'data/sample.conll');

let dir: string;
let modelDir: string;
let sents: Sentence[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ner-tagpool-'));
  modelDir = path.join(dir, 'model');
  sents = await readConllFile(sample);
  await trainTagger({
    train: sents, dev: sents, outDir: modelDir, epochs: 4, patience: 0, batchSize: 4, lr: 0.01,
    arch: { wordDim: 16, charDim: 8, charHidden: 8, hidden: 16, dropout: 0.1 }, progress: false, log: () => {}, seed: 5,
  });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* fromArray<T>(xs: T[]): AsyncGenerator<T> {
  for (const x of xs) yield x;
}

/** Sentences of the sample, repeated with shuffled tokens so that chunks differ. */
function manySentences(n: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; out.length < n; i++) {
    const s = sents[i % sents.length].tokens;
    out.push(i % 3 === 0 ? [...s].reverse() : s.slice(i % 2));
  }
  return out.filter((s) => s.length > 0);
}

describe('TagPool', () => {
  it('predicts what the calling thread predicts, for every job, in order', async () => {
    const t = loadModel(modelDir);
    const input = manySentences(400);
    const want = predict(t, input);
    const pool = await TagPool.start(modelDir, 2);
    try {
      expect(pool.threads).toBe(2);
      const jobs = [0, 1, 2, 3, 4].map((k) => pool.predict(input.slice(k * 80, (k + 1) * 80)));
      expect((await Promise.all(jobs)).flat()).toEqual(want);
      const text = 'Helena Marsh visited Tarrow Bay .\n\nNorvale Mining said so .';
      expect(await pool.tagText(text, { offset: 7 })).toEqual(tagText(t, text, { offset: 7 }));
    } finally {
      await pool.close();
    }
    await expect(pool.predict([['x']])).rejects.toThrow(/closed/);
  }, 30_000);

  it('takes back a job no worker has started: the worker skips it, the pool goes on', async () => {
    const t = loadModel(modelDir);
    const input = manySentences(400);
    const pool = await TagPool.start(modelDir, 1);
    try {
      const big = pool.predict(input); // keeps the worker busy while the next two wait in its queue
      const bigId = pool.lastJob;
      let settled = false;
      void pool.predict(input.slice(0, 5)).then(() => { settled = true; }, () => { settled = true; });
      const takenId = pool.lastJob;
      const after = pool.predict(input.slice(5, 9));
      expect(pool.take(takenId)).toBe(true);
      expect(pool.take(takenId)).toBe(false); // once
      expect(await big).toEqual(predict(t, input));
      expect(pool.take(bigId)).toBe(false); // ran on the worker
      expect(await after).toEqual(predict(t, input.slice(5, 9)));
      await new Promise((r) => setTimeout(r, 50));
      expect(settled).toBe(false); // the worker skipped it: no reply
      expect(pool.hasRoom(1)).toBe(true); // nothing outstanding
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('fails with the worker\'s message when the model cannot be loaded', async () => {
    await expect(TagPool.start(path.join(dir, 'no-such-model'), 1)).rejects.toThrow(/no such model directory/);
  });
});

describe('sharing the word table with the workers', () => {
  afterAll(() => useJs());

  it('loadModel uses a given table in place and does not overwrite it from the file', () => {
    const own = loadModel(modelDir).model.wordEmb.weight.value;
    const table = Float32Array.from(own);
    table[5] = 42; // a mark the file does not have
    const { model } = loadModel(modelDir, { wordTable: table });
    expect(model.wordEmb.weight.value).toBe(table);
    expect(table[5]).toBe(42);
    expect(() => loadModel(modelDir, { wordTable: table.subarray(1) })).toThrow(/inconsistent model description/);
  });

  it('with WASM the workers read the calling thread\'s table (its memory is shared) and tag as it does', async () => {
    useWasm();
    const input = manySentences(300);
    // Proof that the worker reads this thread's table: change it (a test only: a shared table
    // must stay as loaded) and the worker's tags change with this thread's.
    const changed = loadModel(modelDir);
    const pool = await TagPool.start(modelDir, 1, { share: changed.model });
    try {
      expect(pool.sharesWordTable).toBe(true);
      changed.model.wordEmb.weight.value.fill(5);
      const wantChanged = predict(changed, input);
      expect(wantChanged).not.toEqual(predict(loadModel(modelDir), input));
      expect((await Promise.all([0, 1, 2].map((k) => pool.predict(input.slice(k * 100, (k + 1) * 100))))).flat()).toEqual(wantChanged);
    } finally {
      await pool.close();
    }
    const t = loadModel(modelDir);
    const want = predict(t, input);
    const got: string[][] = [];
    const chunks = groupsOf(fromArray(input.map((tokens) => ({ tokens }))), 40);
    for await (const { result } of tagChunks(chunks, tokenChunks(t, {}), { threads: 2, modelDir, share: t.model })) got.push(...result.map((p) => p.tags));
    expect(got).toEqual(want.map((p) => p.tags));
  }, 30_000);

  it('with the JS backend (no shared memory) the workers load their own table', async () => {
    useJs();
    const t = loadModel(modelDir);
    const pool = await TagPool.start(modelDir, 1, { share: t.model });
    try {
      expect(pool.sharesWordTable).toBe(false);
      const input = manySentences(50);
      expect(await pool.predict(input)).toEqual(predict(t, input));
    } finally {
      await pool.close();
    }
  }, 30_000);
});

describe('tagChunks', () => {
  it('keeps input order with two threads and matches one thread', async () => {
    const t = loadModel(modelDir);
    const input = manySentences(600).map((tokens) => ({ tokens }));
    const one: string[][] = [], two: string[][] = [];
    for await (const { chunk, result } of tagChunks(groupsOf(fromArray(input), 37), tokenChunks(t, {}), { threads: 1, modelDir })) {
      expect(result).toHaveLength(chunk.length);
      one.push(...result.map((p) => p.tags));
    }
    for await (const { result } of tagChunks(groupsOf(fromArray(input), 37), tokenChunks(t, {}), { threads: 2, modelDir })) {
      two.push(...result.map((p) => p.tags));
    }
    expect(two).toEqual(one);
    expect(one).toEqual(predict(t, input.map((s) => s.tokens)).map((p) => p.tags));
  }, 30_000);

  it('shares the chunks between the calling thread and the workers, in order', async () => {
    const t = loadModel(modelDir);
    const input = manySentences(300).map((tokens) => ({ tokens }));
    const inner = tokenChunks<{ tokens: string[] }>(t, {});
    let local = 0, remote = 0;
    const counting = {
      local: (c: { tokens: string[] }[]) => { local++; return inner.local(c); },
      remote: (p: TagPool, c: { tokens: string[] }[]) => { remote++; return inner.remote(p, c); },
    };
    const pool = await TagPool.start(modelDir, 1);
    const got: string[][] = [];
    try {
      for await (const { result } of tagChunks(groupsOf(fromArray(input), 20), counting, { threads: 2, modelDir, pool })) got.push(...result.map((p) => p.tags));
    } finally {
      await pool.close();
    }
    expect(got).toEqual(predict(t, input.map((s) => s.tokens)).map((p) => p.tags));
    expect(remote).toBeGreaterThanOrEqual(2); // the worker's queue is filled first
    expect(local).toBeGreaterThan(0);
    // Every chunk went one way or the other; a chunk taken back from the worker at the end went
    // both (at most the 4 a worker has queued by default).
    expect(local + remote).toBeGreaterThanOrEqual(Math.ceil(input.length / 20));
    expect(local + remote).toBeLessThanOrEqual(Math.ceil(input.length / 20) + 4);
  }, 30_000);

  it('at the end of the input takes back a chunk still queued at a busy worker and tags it here', async () => {
    const t = loadModel(modelDir);
    const sentences = manySentences(2400);
    // A big first chunk keeps the worker busy (hundreds of ms); the second waits in its queue; the
    // third is tagged here (the worker's queue, two chunks with perWorker 2, is full). Then the
    // input ends: rather than wait for the first, this thread takes the second back.
    const n = sentences.length;
    const chunks = [sentences.slice(0, n - 4), sentences.slice(n - 4, n - 2), sentences.slice(n - 2)].map((c) => c.map((tokens) => ({ tokens })));
    const inner = tokenChunks<{ tokens: string[] }>(t, {});
    const seen: string[] = [];
    const counting = {
      local: (c: { tokens: string[] }[]) => { seen.push(`local ${chunks.indexOf(c)}`); return inner.local(c); },
      remote: (p: TagPool, c: { tokens: string[] }[]) => { seen.push(`remote ${chunks.indexOf(c)}`); return inner.remote(p, c); },
    };
    const pool = await TagPool.start(modelDir, 1);
    const got: string[][] = [];
    try {
      for await (const { result } of tagChunks(fromArray(chunks), counting, { threads: 2, modelDir, pool, perWorker: 2 })) got.push(...result.map((p) => p.tags));
    } finally {
      await pool.close();
    }
    expect(got).toEqual(predict(t, sentences).map((p) => p.tags));
    expect(seen.slice(0, 4)).toEqual(['remote 0', 'remote 1', 'local 2', 'local 1']);
    // A worker slow to come to its messages (a loaded machine) may not have started the first either.
    expect(seen.slice(4)).toEqual(seen.length > 4 ? ['local 0'] : []);
  }, 30_000);

  it('tags a single chunk on the calling thread (no worker is started)', async () => {
    const t = loadModel(modelDir);
    // A model directory that does not exist: starting a worker would fail.
    const chunks = fromArray([{ text: 'Helena Marsh spoke .', offset: 0 }]);
    const got = [];
    for await (const { result } of tagChunks(chunks, textChunks(t, {}), { threads: 2, modelDir: path.join(dir, 'absent') })) got.push(...result);
    expect(got).toEqual(tagText(t, 'Helena Marsh spoke .'));
  });

  it('reads the input only as fast as results are taken: at most threads × perWorker chunks in flight', async () => {
    const t = loadModel(modelDir);
    const input = manySentences(300).map((tokens) => ({ tokens }));
    let pulled = 0, taken = 0, most = 0;
    async function* counted(): AsyncGenerator<{ tokens: string[] }[]> {
      for await (const c of groupsOf(fromArray(input), 10)) { pulled++; most = Math.max(most, pulled - taken); yield c; }
    }
    const pool = await TagPool.start(modelDir, 1);
    const got: string[][] = [];
    try {
      for await (const { result } of tagChunks(counted(), tokenChunks(t, {}), { threads: 2, modelDir, pool, perWorker: 2 })) {
        taken++;
        got.push(...result.map((p) => p.tags));
      }
    } finally {
      await pool.close();
    }
    expect(got).toEqual(predict(t, input.map((s) => s.tokens)).map((p) => p.tags));
    expect(most).toBeLessThanOrEqual(2 * 2 + 1);
  }, 30_000);
});

describe('ner tag --threads', () => {
  it('CoNLL and text input: the same output with 2 threads as with 1', () => {
    const conll = path.join(dir, 'big.conll');
    writeFileSync(conll, manySentences(1200).map((s) => s.join('\n') + '\n').join('\n'));
    const c1 = ner(['tag', '-m', modelDir, '--input-format', 'conll', conll, '--threads', '1']);
    const c2 = ner(['tag', '-m', modelDir, '--input-format', 'conll', conll, '--threads', '2']);
    expect(c1.code).toBe(0);
    expect(c2.code).toBe(0);
    expect(c1.stdout.split('\n\n')).toHaveLength(1200);
    expect(c2.stdout).toBe(c1.stdout);

    const txt = path.join(dir, 'big.txt');
    // > 64 KiB, so the input arrives in several pieces.
    writeFileSync(txt, manySentences(3000).map((s) => s.join(' ')).join('\n\n') + '\n');
    const [o1, o2] = [path.join(dir, 'out1.jsonl'), path.join(dir, 'out2.jsonl')];
    expect(ner(['tag', '-m', modelDir, '--file', txt, '-o', 'jsonl', '--threads', '1', '--out', o1]).code).toBe(0);
    expect(ner(['tag', '-m', modelDir, '--file', txt, '-o', 'jsonl', '--threads', '2', '--out', o2]).code).toBe(0);
    const out1 = readFileSync(o1, 'utf8');
    expect(out1.trim().split('\n').length).toBeGreaterThanOrEqual(3000);
    expect(readFileSync(o2, 'utf8')).toBe(out1);
  }, 60_000);

  it('rejects a bad thread count', () => {
    const r = ner(['tag', '-m', modelDir, '--threads', '0', 'Helena Marsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads must be a positive integer/);
  });
});
