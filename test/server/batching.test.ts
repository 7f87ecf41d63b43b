import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/tagger/store.js';
import { tagText } from '../../src/tagger/text.js';
import type { Tagger } from '../../src/tagger/tagger.js';
import { initBackend } from '../../src/tensor/backend.js';
import { BatchingTagger, type BatchReport } from '../../src/server/batching.js';
import { trainTinyModel } from './model.js';
import { TagPool } from '../../src/parallel/tagPool.js';

let tagger: Tagger;
let modelDir: string;
let cleanup: () => void;

beforeAll(async () => {
  initBackend();
  const m = await trainTinyModel();
  cleanup = m.cleanup;
  modelDir = m.dir;
  tagger = loadModel(m.dir);
}, 60_000);

afterAll(() => cleanup?.());

const A = 'Helena Marsh visited Tarrow Bay. Norvale Mining said so.';
const B = 'Chief executive Helena Marsh told reporters.\n\nNorvale Mining closed its plant in Tarrow Bay by March.';

describe('BatchingTagger with worker threads', () => {
  it('splits a batch of many sentences between this thread and an idle worker; a small batch stays here; every answer as tagText gives it', async () => {
    const pool = await TagPool.start(modelDir, 1, { share: tagger.model });
    const batches: BatchReport[] = [];
    const bt = new BatchingTagger(tagger, { waitMs: 5, pool, onBatch: (b) => batches.push(b) });
    try {
      expect(bt.threads).toBe(2);
      // 40 requests of 3 sentences at once: one batch of 120 sentences, in two parts of 60.
      const texts = Array.from({ length: 40 }, (_, i) => `${i % 2 === 0 ? A : B} Day ${i}.`);
      const out = await Promise.all(texts.map((t) => bt.tag([t])));
      expect(out).toEqual(texts.map((t) => [tagText(tagger, t)]));
      expect(batches).toHaveLength(1);
      expect(batches[0]).toMatchObject({ requests: 40, sentences: 120, atWorkers: 60 });
      // One request: fewer sentences than two forward passes take, tagged here alone.
      expect(await bt.tag([A])).toEqual([tagText(tagger, A)]);
      expect(batches[1]).toMatchObject({ requests: 1, atWorkers: 0 });
      expect(bt.stats().atWorkers).toBe(60);
    } finally {
      await bt.close();
    }
  }, 30_000);
});

describe('BatchingTagger with a failing worker', () => {
  it('a part that fails at a worker fails the requests of its batch with the error, and the tagger goes on', async () => {
    const pool = await TagPool.start(modelDir, 1, { share: tagger.model });
    const bt = new BatchingTagger(tagger, { waitMs: 5, pool });
    await pool.close(); // behind the tagger's back: the next part sent to it fails
    const texts = Array.from({ length: 40 }, (_, i) => `${A} Day ${i}.`);
    const settled = await Promise.allSettled(texts.map((t) => bt.tag([t])));
    for (const r of settled) {
      expect(r.status).toBe('rejected');
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/TagPool: closed/);
    }
    await bt.close();
    expect(await bt.tag([A])).toEqual([tagText(tagger, A)]);
  }, 30_000);
});

describe('BatchingTagger', () => {
  it('tags two concurrent requests in one batch, each getting its own results, as tagText would', async () => {
    const batches: BatchReport[] = [];
    const bt = new BatchingTagger(tagger, { waitMs: 5, onBatch: (b) => batches.push(b) });
    const [ra, rb] = await Promise.all([bt.tag([A]), bt.tag([B])]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ requests: 2, texts: 2, sentences: 4 });
    expect(bt.stats()).toMatchObject({ batches: 1, requests: 2, texts: 2, sentences: 4 });
    expect(ra).toEqual([tagText(tagger, A)]);
    expect(rb).toEqual([tagText(tagger, B)]);
    // Not the same answer twice: the mapping back kept the requests apart.
    expect(ra[0].map((s) => s.text)).toEqual(['Helena Marsh visited Tarrow Bay.', 'Norvale Mining said so.']);
    expect(rb[0][1].text).toBe('Norvale Mining closed its plant in Tarrow Bay by March.');
  });

  it('keeps the texts of one request in order, offsets into each text, whatever the length mix', async () => {
    const bt = new BatchingTagger(tagger, { waitMs: 1 });
    const texts = ['', 'Tarrow Bay', A, '  \n ', 'Zoë Ünger met 👋 Helena Marsh in Tarrow Bay.', B, 'x'.repeat(50)];
    const out = await bt.tag(texts);
    expect(out).toEqual(texts.map((t) => tagText(tagger, t)));
    for (const [i, ss] of out.entries()) {
      for (const s of ss) for (const e of s.entities) expect(texts[i].slice(e.start, e.end)).toBe(e.text);
    }
  });

  it('requests that come one after another get batches of their own', async () => {
    const bt = new BatchingTagger(tagger, { waitMs: 0 });
    await bt.tag([A]);
    await bt.tag([B]);
    expect(bt.stats().batches).toBe(2);
  });

  it('splits the queue into batches of at most maxBatchSentences, never splitting a request', async () => {
    const batches: BatchReport[] = [];
    const bt = new BatchingTagger(tagger, { waitMs: 5, maxBatchSentences: 3, onBatch: (b) => batches.push(b) });
    // A and B hold 2 sentences each (together more than 3), so each is a batch of its own; the
    // 20-sentence request is a batch alone, tagged in slices of 3.
    const big = Array.from({ length: 10 }, () => A).join(' ');
    const results = await Promise.all([bt.tag([A]), bt.tag([B]), bt.tag([big]), bt.tag(['Tarrow Bay.'])]);
    expect(batches.map((b) => b.sentences)).toEqual([2, 2, 20, 1]);
    expect(results[2]).toEqual([tagText(tagger, big)]);
    expect(results[3]).toEqual([tagText(tagger, 'Tarrow Bay.')]);
  });

  it('empty input is answered at once, without a batch', async () => {
    const bt = new BatchingTagger(tagger);
    expect(await bt.tag([])).toEqual([]);
    expect(await bt.tag(['', ' \n\n '])).toEqual([[], []]);
    expect(bt.stats().batches).toBe(0);
  });

  it('an aborted request leaves the queue with the abort reason; the others are still answered', async () => {
    const bt = new BatchingTagger(tagger, { waitMs: 30 });
    const ac = new AbortController();
    const gone = bt.tag([A], ac.signal);
    const kept = bt.tag([B]);
    expect(bt.queued).toBe(2);
    const reason = new Error('deadline');
    ac.abort(reason);
    await expect(gone).rejects.toBe(reason);
    expect(bt.queued).toBe(1);
    expect(await kept).toEqual([tagText(tagger, B)]);
    expect(bt.stats()).toMatchObject({ batches: 1, requests: 1 });
    await expect(bt.tag([A], AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('passes prediction options through (output scheme)', async () => {
    const bt = new BatchingTagger(tagger, { outputScheme: 'IOBES' });
    const [ss] = await bt.tag([A]);
    expect(ss).toEqual(tagText(tagger, A, { outputScheme: 'IOBES' }));
    expect(ss[0].tokens[1].tag).toMatch(/^(E-|O)/);
  });

  it('rejects nonsense settings', () => {
    expect(() => new BatchingTagger(tagger, { waitMs: -1 })).toThrow(/waitMs/);
    expect(() => new BatchingTagger(tagger, { maxBatchSentences: 0 })).toThrow(/maxBatchSentences/);
  });
});
