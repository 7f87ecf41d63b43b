/**
 * Data-parallel training: the gradients of one batch split across threads equal the
 * single-threaded gradients up to float rounding (dropout on: the masks are replayed), the
 * dropout Rng ends where one thread leaves it, and a short training run ends with the same
 * weights and dev F1. Workers run the built code (dist/), which `npm test` builds first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConllFile, convertTags, detectScheme, type Sentence } from '../../src/data/index.js';
import { SequenceTagger, DEFAULT_ARCHITECTURE, type TaggerArchitecture } from '../../src/tagger/model.js';
import { buildTaggerVocab, trainTagger, autoTrainThreads } from '../../src/tagger/tagger.js';
import { availableParallelism } from 'node:os';
import { crfAllowed, loadModel } from '../../src/tagger/store.js';
import { optim } from '../../src/nn/index.js';
import { Rng } from '../../src/tensor/index.js';
import { useJs, useWasm } from '../../src/tensor/backend.js';
import { DataParallel } from '../../src/parallel/dataParallel.js';
import { CHUNK, passChunks, sumPartials, type DenseArrays } from '../../src/parallel/update.js';
import { assignShards, subBatch, shardUniforms, packBatch, unpackBatch } from '../../src/parallel/shard.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = path.join(root, 'data/sample.conll');

let sents: Sentence[];
let tags: string[][];

beforeAll(async () => {
  sents = await readConllFile(sample);
  const scheme = detectScheme(sents.map((s) => s.tags));
  tags = sents.map((s) => convertTags(s.tags, scheme, 'IOBES'));
});

const tiny: TaggerArchitecture = {
  ...DEFAULT_ARCHITECTURE, wordDim: 12, charDim: 6, charHidden: 5, casingDim: 3, hidden: 7, dropout: 0.3,
};

function makeModel(arch: TaggerArchitecture, crf: boolean): SequenceTagger {
  const { vocab } = buildTaggerVocab(sents, tags, { minWordCount: 1, extraPretrainedWords: 0 });
  return new SequenceTagger(arch, vocab, 11, crf ? crfAllowed(vocab.tags, 'IOBES') : undefined);
}

function batchOf(model: SequenceTagger, idx: number[]) {
  return model.encode(idx.map((i) => sents[i].tokens), idx.map((i) => tags[i]));
}

/** max |a − b| / (max |a| + tiny) over all parameters' gradients. */
function gradDiff(a: SequenceTagger, b: SequenceTagger): number {
  let worst = 0;
  const pb = b.params();
  a.params().forEach((p, i) => {
    let scale = 1e-6, d = 0;
    for (let k = 0; k < p.grad.length; k++) {
      scale = Math.max(scale, Math.abs(p.grad[k]));
      d = Math.max(d, Math.abs(p.grad[k] - pb[i].grad[k]));
    }
    worst = Math.max(worst, d / scale);
    expect([...(pb[i].sparseRows ?? [])].sort((x, y) => x - y)).toEqual([...(p.sparseRows ?? [])].sort((x, y) => x - y));
  });
  return worst;
}

describe('shards', () => {
  it('split a batch into sub-batches that hold the same tokens', () => {
    const m = makeModel(tiny, false);
    const batch = batchOf(m, [0, 1, 2, 3, 4, 5, 6]);
    const shards = assignShards(batch.lengths, 3);
    expect(shards.map((s) => s.length)).toEqual([3, 2, 2]);
    expect([...shards.flatMap((s) => [...s])].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const cols = shards[1];
    const sub = unpackBatch(packBatch(subBatch(batch, cols)));
    const direct = batchOf(m, [...cols]);
    expect(sub.lengths).toEqual(direct.lengths);
    expect(sub.wordIds).toEqual(direct.wordIds);
    expect(sub.caseIds).toEqual(direct.caseIds);
    expect(sub.gold).toEqual(direct.gold);
    expect(sub.realRows).toEqual(direct.realRows);
    expect(sub.charIds).toEqual(direct.charIds);
  });

  it('shardUniforms replays Rng.float exactly, and ends in the same state', () => {
    const T = 5, B = 4, widths = [3, 2];
    const rng = new Rng(99);
    rng.float();
    const start = rng.getState();
    const all = Array.from({ length: (3 + 2) * T * B }, () => rng.float());
    const cols = Int32Array.from([1, 3]), Ts = 4;
    const out = new Float64Array(Ts * 2 * 5);
    const end = shardUniforms(start, T, B, widths, cols, Ts, out);
    expect(end).toEqual(rng.getState());
    let k = 0, base = 0;
    for (const w of widths) {
      for (let t = 0; t < Ts; t++) for (let c = 0; c < 2; c++) for (let j = 0; j < w; j++) {
        expect(out[k++]).toBe(all[base + (t * B + cols[c]) * w + j]);
      }
      base += T * B * w;
    }
  });
});

describe.each([
  ['JS backend', () => useJs('test')],
  ['WASM backend', () => { useWasm(); }],
])('DataParallel (%s)', (_name, backend) => {
  beforeAll(() => backend());
  afterAll(() => useJs('test'));

  it.each([
    ['softmax, char CNN, 1 layer', tiny, false],
    ['CRF, char BiLSTM, 2 layers', { ...tiny, charEncoder: 'lstm', layers: 2 } as TaggerArchitecture, true],
    ['variational dropout, 2 layers', { ...tiny, layers: 2, variationalDropout: true } as TaggerArchitecture, false],
  ])('gradients of a batch on 2 and 3 threads equal one thread\'s (%s)', async (_n, arch, crf) => {
    const idx = [3, 0, 5, 8, 1, 2, 9, 4, 6];
    const one = makeModel(arch, crf);
    optim.zeroGrad(one.params());
    const r1 = one.trainStep(batchOf(one, idx));
    for (const threads of [2, 3]) {
      const many = makeModel(arch, crf);
      const dp = await DataParallel.start(many, threads, { mode: 'batch' });
      try {
        for (let rep = 0; rep < 2; rep++) {
          // Second round: the workers pull only what changed (nothing here) and must still agree.
          optim.zeroGrad(many.params());
          many.setDropoutState(rep === 0 ? many.getDropoutState() : makeModel(arch, crf).getDropoutState());
          const r2 = dp.trainBatch(batchOf(many, idx));
          expect(r2.count).toBe(r1.count);
          expect(r2.loss).toBeCloseTo(r1.loss, 3);
          expect(gradDiff(one, many)).toBeLessThan(1e-5); // float rounding: ~1e-7 seen
          expect(many.getDropoutState()).toEqual(one.getDropoutState());
        }
      } finally {
        await dp.close();
      }
    }
  }, 30_000);
});

describe('DataParallel optimizer step and clipping', () => {
  afterAll(() => useJs('test'));

  /** Random gradients, the same in both models: dense everywhere, embeddings in some rows. */
  function fillGrads(m: SequenceTagger, seed: number): void {
    const rng = new Rng(seed);
    optim.zeroGrad(m.params());
    for (const p of m.params()) {
      if (p.sparseRows === undefined) {
        for (let k = 0; k < p.grad.length; k++) p.grad[k] = rng.normal();
        continue;
      }
      const w = p.shape[1];
      for (let r = 1; r < p.shape[0]; r += 3) {
        p.sparseRows.add(r);
        for (let k = 0; k < w; k++) p.grad[r * w + k] = rng.normal();
      }
    }
  }

  // wide: its dense parameters span several chunks of a shared pass (update.ts CHUNK), so both
  // threads claim some.
  const wide: TaggerArchitecture = { ...tiny, hidden: 48 };
  it.each([['tiny', tiny], ['wide', wide]] as const)('with WASM (%s): Adam steps bit for bit as Adam.step, clipping as optim.clipGlobalNorm up to rounding', async (_name, arch) => {
    useWasm();
    const a = makeModel(arch, false), b = makeModel(arch, false);
    const optA = new optim.Adam(a.params(), { lr: 0.01, weightDecay: 0.1 });
    const innerB = new optim.Adam(b.params(), { lr: 0.01, weightDecay: 0.1 });
    const dp = await DataParallel.start(b, 2, { mode: 'batch' });
    try {
      const optB = dp.optimizer(innerB);
      expect(optB).not.toBe(innerB);
      for (let step = 0; step < 3; step++) {
        fillGrads(a, step);
        fillGrads(b, step);
        const nA = optim.clipGlobalNorm(a.params(), 50);
        const nB = dp.clipGlobalNorm(b.params(), 50);
        expect(nB).toBeCloseTo(nA, 6);
        expect(nA).toBeGreaterThan(50); // the scaling ran
        // Same gradients for the update (clipping differs by rounding): copy A's into B.
        b.params().forEach((p, i) => p.grad.set(a.params()[i].grad));
        optA.lr = optB.lr = 0.01 / (1 + step);
        optA.step();
        optB.step();
        b.params().forEach((p, i) => expect(p.value).toEqual(a.params()[i].value));
        // Every chunk was claimed once: from the front (this thread) or from the back (the worker).
        const d = (dp as unknown as { dense: DenseArrays }).dense;
        expect((d.claims[0] & 0xffff) + (d.claims[0] >>> 16)).toBe(Math.ceil(d.total / CHUNK));
        if (arch === wide) expect(d.total).toBeGreaterThan(3 * CHUNK);
        // The shared zeroGrad: every gradient zero, sparse rows forgotten.
        dp.zeroGrad(b.params());
        for (const p of b.params()) {
          expect(p.grad.every((x) => x === 0)).toBe(true);
          if (p.sparseRows) expect(p.sparseRows.size).toBe(0);
        }
      }
      const [sA, sB] = [optA.getState(), optB.getState()];
      expect(sB.json).toEqual(sA.json);
      for (const k of Object.keys(sA.buffers)) expect(sB.buffers[k]).toEqual(sA.buffers[k]);
    } finally {
      await dp.close();
    }
  }, 30_000);

  it('passChunks: a thread alone claims every chunk, from either end; the zero pass clears the range', () => {
    const n = 3 * CHUNK + 5;
    const g = [new Float32Array(n - 7).fill(1), new Float32Array(7).fill(2)];
    const d: DenseArrays = {
      starts: [0, n - 7], total: n, value: g, grad: g, kernels: null,
      claims: new Int32Array(new SharedArrayBuffer(64)), partials: new Float64Array(4),
    };
    passChunks(d, { type: 'sumsq' }, 'back');
    expect(d.claims[0]).toBe(4 << 16);
    expect(sumPartials(d)).toBe((n - 7) + 7 * 4);
    // Chunk k's partial is chunk k's, whichever end claimed it: g[1] (2s) covers the last 7 elements.
    expect(Array.from(d.partials)).toEqual([CHUNK, CHUNK, CHUNK - 2 + 2 * 4, 5 * 4]);
    d.claims[0] = 0;
    passChunks(d, { type: 'zero' }, 'front');
    expect(d.claims[0]).toBe(4);
    expect(g.every((x) => x.every((v) => v === 0))).toBe(true);
  });

  it('with the JS backend: the plain optimizer and clipping', async () => {
    useJs('test');
    const b = makeModel(tiny, false);
    const inner = new optim.Adam(b.params());
    const dp = await DataParallel.start(b, 2);
    try {
      expect(dp.optimizer(inner)).toBe(inner);
      fillGrads(b, 1);
      const want = optim.globalGradNorm(b.params());
      expect(dp.clipGlobalNorm(b.params(), 1e9)).toBe(want);
    } finally {
      await dp.close();
    }
  });
});

describe.each([
  ['JS backend', () => useJs('test')],
  ['WASM backend: parallel clipping and Adam too', () => { useWasm(); }],
])('trainTagger with threads (%s)', (_name, backend) => {
  let dir: string;
  beforeAll(() => { backend(); dir = mkdtempSync(path.join(tmpdir(), 'ner-dp-')); });
  afterAll(() => { useJs('test'); rmSync(dir, { recursive: true, force: true }); });

  const run = (out: string, threads: number, extra: { resume?: boolean; shouldStop?: () => boolean } = {}) => trainTagger({
    train: sents, dev: sents, outDir: path.join(dir, out), epochs: 3, patience: 0, batchSize: 6, lr: 0.01,
    arch: { wordDim: 16, charDim: 8, charHidden: 8, hidden: 16, dropout: 0.2 }, progress: false, log: () => {}, seed: 4,
    checkpointSeconds: 0, threads, parallel: 'batch', ...extra,
  });

  const weights = (out: string) => loadModel(path.join(dir, out)).model.params().map((p) => Array.from(p.value));

  it('2 threads: the same dev F1 as 1 thread and the same weights up to rounding; resume is exact', async () => {
    const r1 = await run('one', 1);
    const r2 = await run('two', 2);
    expect(r2.epochs.map((e) => e.dev_score)).toEqual(r1.epochs.map((e) => e.dev_score));
    expect(r2.epochs.map((e) => e.train_loss)).toEqual(r1.epochs.map((e) => expect.closeTo(e.train_loss, 4)));
    const [w1, w2] = [weights('one'), weights('two')];
    let worst = 0;
    w1.forEach((p, i) => p.forEach((v, k) => { worst = Math.max(worst, Math.abs(v - w2[i][k])); }));
    expect(worst).toBeLessThan(1e-3);

    // Interrupted after 5 batches and resumed (new workers): bit for bit the uninterrupted run.
    let batches = 0;
    const part = await run('resumed', 2, { shouldStop: () => ++batches === 5 });
    expect(part.stoppedBy).toBe('interrupt');
    const rest = await run('resumed', 2, { resume: true });
    expect(rest.epochs.map((e) => e.dev_score)).toEqual(r2.epochs.map((e) => e.dev_score));
    expect(weights('resumed')).toEqual(w2);
  }, 60_000);
});

describe('DataParallel, mode "directions" (each bidirectional LSTM split across 2 threads by direction)', () => {
  beforeAll(() => { useWasm(); });
  afterAll(() => useJs('test'));

  it('is chosen by "auto" for a bidirectional LSTM on 2 threads with WASM only', async () => {
    const cases: [TaggerArchitecture, number, 'auto' | 'batch' | 'directions', string][] = [
      [{ ...tiny, charEncoder: 'none' }, 2, 'auto', 'directions'],
      [tiny, 2, 'auto', 'directions'],
      [{ ...tiny, cell: 'gru' }, 2, 'auto', 'batch'],
      [{ ...tiny, bidirectional: false }, 2, 'auto', 'batch'],
      [tiny, 2, 'directions', 'directions'],
      [{ ...tiny, charEncoder: 'none' }, 3, 'auto', 'batch'],
      [{ ...tiny, charEncoder: 'none' }, 2, 'batch', 'batch'],
    ];
    for (const [arch, threads, mode, want] of cases) {
      const dp = await DataParallel.start(makeModel(arch, false), threads, { mode });
      try {
        expect(dp.mode).toBe(want);
      } finally {
        await dp.close();
      }
    }
    await expect(DataParallel.start(makeModel(tiny, false), 3, { mode: 'directions' })).rejects.toThrow(/2 threads/);
    await expect(DataParallel.start(makeModel({ ...tiny, cell: 'gru' }, false), 2, { mode: 'directions' })).rejects.toThrow(/bidirectional LSTM/);
    useJs('test');
    try {
      await expect(DataParallel.start(makeModel(tiny, false), 2, { mode: 'directions' })).rejects.toThrow(/WASM/);
      const dp = await DataParallel.start(makeModel(tiny, false), 2);
      expect(dp.mode).toBe('batch');
      await dp.close();
    } finally {
      useWasm();
    }
  }, 30_000);

  it.each([
    ['softmax, char CNN, 1 layer', tiny, false],
    ['CRF, char BiLSTM (split too), 2 layers', { ...tiny, charEncoder: 'lstm', layers: 2 } as TaggerArchitecture, true],
    ['softmax, no char encoder, no dropout', { ...tiny, charEncoder: 'none', dropout: 0 } as TaggerArchitecture, false],
    ['variational dropout, 2 layers', { ...tiny, layers: 2, variationalDropout: true } as TaggerArchitecture, false],
  ])('gradients, loss and scores equal one thread\'s bit for bit (%s)', async (_n, arch, crf) => {
    const idx = [3, 0, 5, 8, 1, 2, 9, 4, 6];
    const one = makeModel(arch, crf), two = makeModel(arch, crf);
    const dp = await DataParallel.start(two, 2, { mode: 'directions' });
    try {
      for (let rep = 0; rep < 2; rep++) {
        optim.zeroGrad(one.params());
        optim.zeroGrad(two.params());
        const r1 = one.trainStep(batchOf(one, idx));
        const r2 = dp.trainBatch(batchOf(two, idx));
        expect(r2).toEqual(r1);
        two.params().forEach((p, i) => expect(p.grad).toEqual(one.params()[i].grad));
        expect(two.getDropoutState()).toEqual(one.getDropoutState());
        // Inference (dev evaluation) runs split as well.
        expect(Array.from(two.scores(batchOf(two, idx)))).toEqual(Array.from(one.scores(batchOf(one, idx))));
      }
    } finally {
      await dp.close();
    }
    // Closed: the layers compute on this thread again.
    optim.zeroGrad(two.params());
    expect(() => two.trainStep(batchOf(two, idx))).not.toThrow();
  }, 30_000);

  it('a layer wide enough for the pair run to divide its projections and gradients: gradients equal one thread\'s bit for bit', async () => {
    // 24 sentences of ~40 tokens (sample sentences joined), H = D = 64: T·B ≈ 1,000 rows, so
    // the projections, weight gradients and dx run in pieces that either thread may take.
    const arch: TaggerArchitecture = { ...tiny, charEncoder: 'none', wordDim: 64, hidden: 64, dropout: 0.2 };
    const long = Array.from({ length: 24 }, (_, i) => {
      const tok: string[] = [], tg: string[] = [];
      for (let j = i % sents.length; tok.length < 36 + (i % 7); j = (j + 1) % sents.length) { tok.push(...sents[j].tokens); tg.push(...tags[j]); }
      return [tok, tg] as const;
    });
    const enc = (m: SequenceTagger) => m.encode(long.map((l) => [...l[0]]), long.map((l) => [...l[1]]));
    const one = makeModel(arch, false), two = makeModel(arch, false);
    const dp = await DataParallel.start(two, 2, { mode: 'directions' });
    try {
      for (let rep = 0; rep < 3; rep++) {
        optim.zeroGrad(one.params());
        optim.zeroGrad(two.params());
        expect(dp.trainBatch(enc(two))).toEqual(one.trainStep(enc(one)));
        two.params().forEach((p, i) => expect(p.grad).toEqual(one.params()[i].grad));
        expect(Array.from(two.scores(enc(two)))).toEqual(Array.from(one.scores(enc(one))));
      }
    } finally {
      await dp.close();
    }
  }, 30_000);

  it('trainTagger --threads 2 (variational dropout): the same weights as one thread bit for bit; resume is exact', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-dir-'));
    try {
      const run = (out: string, threads: number | 'auto', extra: { resume?: boolean; shouldStop?: () => boolean } = {}) => trainTagger({
        train: sents, dev: sents, outDir: path.join(dir, out), epochs: 2, patience: 0, batchSize: 6, lr: 0.01,
        arch: { wordDim: 16, charEncoder: 'none', hidden: 16, dropout: 0.2, variationalDropout: true }, progress: false, log: () => {}, seed: 4,
        checkpointSeconds: 0, threads, parallel: 'directions', ...extra,
      });
      const weights = (out: string) => loadModel(path.join(dir, out)).model.params().map((p) => Array.from(p.value));
      const r1 = await run('one', 1);
      const r2 = await run('two', 2);
      expect(r2.epochs.map((e) => [e.dev_score, e.train_loss])).toEqual(r1.epochs.map((e) => [e.dev_score, e.train_loss]));
      expect(weights('two')).toEqual(weights('one'));
      // threads 'auto': 2 here when the machine has 2+ cores (the same weights either way).
      expect(autoTrainThreads({ charEncoder: 'none' }, 'auto')).toBe(availableParallelism() >= 2 ? 2 : 1);
      expect(autoTrainThreads({ cell: 'gru' }, 'auto')).toBe(1);
      expect(autoTrainThreads({}, 'batch')).toBe(1);
      await run('auto', 'auto');
      expect(weights('auto')).toEqual(weights('one'));
      expect(loadModel(path.join(dir, 'two')).model.arch.variationalDropout).toBe(true);
      let batches = 0;
      const part = await run('resumed', 2, { shouldStop: () => ++batches === 3 });
      expect(part.stoppedBy).toBe('interrupt');
      await run('resumed', 2, { resume: true });
      expect(weights('resumed')).toEqual(weights('one'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
