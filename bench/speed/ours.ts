/**
 * One bilstm-ner row of `npm run bench`, run in a child process of its own (so that its peak RSS
 * is its own). Prints one JSON line on stdout; progress goes to stderr.
 *
 *   node …/bench/speed/ours.js --threads 1|2 [--data DIR] [--backend wasm|js] [--quick]
 *     [--train-batches N]   timed training batches (default 0 = one whole epoch, as torch_bilstm.py)
 *
 * The model is torch_bilstm.py's: word embedding 100 → BiLSTM 100 per direction → Dense 9, softmax
 * cross-entropy, Adam(1e-3), batch 32, no dropout, no char encoder, no casing feature
 * (SequenceTagger with charEncoder 'none', casingDim 0). Batches as torch_bilstm.py builds them:
 * sentences sorted by length (longest first), cut into 32s; the training batches shuffled.
 *
 * Threads 1: training (10 warm-up batches, then the timed epoch: zero grads, forward, backward,
 * Adam step), tagging on pre-encoded batches (forward + argmax: the work torch_bilstm.py times),
 * and end-to-end `predict()` (encode + forward + constrained Viterbi + entity scores) on
 * 256-sentence chunks of eng.testb, the chunks `ner tag` hands out.
 * Threads 2: data-parallel training if the package has it (otherwise reported as missing, never
 * estimated), and end-to-end tagging of the same chunks through the worker pool (TagPool).
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useWasm, useJs, zeros, gemm, freeBuf, backendInfo } from '../../src/tensor/index.js';
import { optim, argmaxRows } from '../../src/nn/index.js';
import { readConllFile } from '../../src/data/index.js';
import { SequenceTagger, PAD, UNK, DEFAULT_ARCHITECTURE, type TaggerArchitecture, type TaggerBatch } from '../../src/tagger/model.js';
import { wordKey } from '../../src/tagger/features.js';
import { predict, type Tagger } from '../../src/tagger/tagger.js';
import { saveModel, type ModelMeta } from '../../src/tagger/store.js';
import { TagPool } from '../../src/parallel/tagPool.js';
import { TAGS, conllDir, opt, lengthSortedBatches, strided, peakRssMb, fillRandom } from './common.js';

const argv = process.argv.slice(2);
const threads = Number(opt(argv, 'threads', '1'));
const quick = argv.includes('--quick');
const backend = opt(argv, 'backend', 'wasm');
const trainBatchesWanted = Number(opt(argv, 'train-batches', quick ? '60' : '0'));
const say = (s: string): void => { process.stderr.write(`[bilstm-ner ${threads}t] ${s}\n`); };

export interface OursResult {
  system: string;
  threads: number;
  backend: string;
  gemm_gflops: number | null;
  train_tok_s: number | null;
  train_loss: number | null;
  train_batches: number;
  train_tokens: number;
  train_note?: string;
  /** Forward + argmax on pre-encoded batches (what torch_bilstm.py times). */
  tag_tok_s_b32: number | null;
  tag_tok_s_b1: number | null;
  /** End-to-end predict(): encode + forward + decode, on 256-sentence chunks. */
  e2e_tok_s_b32: number | null;
  e2e_tok_s_b1: number | null;
  e2e_note?: string;
  tag_tokens: number;
  vocab: number;
  peak_rss_mb: number;
}

const ARCH: TaggerArchitecture = { ...DEFAULT_ARCHITECTURE, wordDim: 100, charEncoder: 'none', casingDim: 0, hidden: 100, layers: 1, bidirectional: true, cell: 'lstm', dropout: 0 };

const tokensOf = (bs: readonly TaggerBatch[]): number => bs.reduce((n, b) => n + b.lengths.reduce((a, x) => a + x, 0), 0);

/** 1024³ gemm GFLOP/s measured as torch_bilstm.py measures torch.mm: 1 warm-up call, then the mean of 5. */
function gemm1024(): number {
  const n = 1024;
  const A = zeros(n * n), B = zeros(n * n), C = zeros(n * n);
  fillRandom(A, 1); fillRandom(B, 2);
  gemm(false, false, n, n, n, 1, A, n, B, n, 0, C, n);
  const t0 = performance.now();
  for (let r = 0; r < 5; r++) gemm(false, false, n, n, n, 1, A, n, B, n, 0, C, n);
  const s = (performance.now() - t0) / 1000;
  freeBuf(A); freeBuf(B); freeBuf(C);
  return (5 * 2 * n ** 3) / s / 1e9;
}

/** What the bench needs of src/parallel/dataParallel.ts (`DataParallel`). */
interface DataParallelLike {
  trainBatch(batch: TaggerBatch): { loss: number; count: number };
  close(): Promise<void>;
}
interface DataParallelModule {
  DataParallel?: { start(model: SequenceTagger, threads: number): Promise<DataParallelLike> };
}

/**
 * The package's data-parallel trainer, if it has one: `DataParallel.start(model, threads)` then
 * `trainBatch(batch)` in place of `model.trainStep(batch)` (the caller zeroes grads and steps the
 * optimizer, as with one thread). Loaded by a computed path, so that this file compiles (and the
 * row says so) in a tree without it; tsconfig.bench-speed.json compiles all of src/, so the module
 * is next to this one when it exists. Never estimated: no API, no number.
 */
async function loadDataParallel(): Promise<{ api: DataParallelModule['DataParallel'] | null; note: string }> {
  const url = new URL('../../src/parallel/dataParallel.js', import.meta.url);
  if (!existsSync(url)) return { api: null, note: 'n/a (not implemented)' };
  try {
    const m = (await import(url.href)) as DataParallelModule;
    if (typeof m.DataParallel?.start !== 'function') return { api: null, note: 'n/a (src/parallel/dataParallel has no DataParallel.start)' };
    return { api: m.DataParallel, note: 'DataParallel (worker threads, gradients summed every step)' };
  } catch (e) {
    return { api: null, note: `n/a (src/parallel/dataParallel failed to load: ${(e as Error).message})` };
  }
}

async function main(): Promise<void> {
  if (backend === 'wasm') useWasm(); else useJs('bench --backend js');
  const dir = conllDir(argv);
  const train = (await readConllFile(path.join(dir, 'eng.train'))).filter((s) => s.tokens.length > 0);
  const test = (await readConllFile(path.join(dir, 'eng.testb'))).filter((s) => s.tokens.length > 0);

  // Vocabulary: every training word by the tagger's lookup key (lower case, digits → 0), first-seen order.
  const words = [PAD, UNK];
  const seen = new Set(words);
  for (const s of train) for (const t of s.tokens) { const k = wordKey(t); if (!seen.has(k)) { seen.add(k); words.push(k); } }
  const model = new SequenceTagger(ARCH, { words, chars: [PAD, UNK], tags: TAGS }, 1);
  const meta: ModelMeta = { arch: ARCH, vocab: model.vocab, trainScheme: 'IOB1', dataScheme: 'IOB1', decoder: 'softmax' };
  const tagger: Tagger = { model, meta };
  const K = model.K;

  const res: OursResult = {
    system: 'bilstm-ner', threads, backend: backendInfo().name, gemm_gflops: null,
    train_tok_s: null, train_loss: null, train_batches: 0, train_tokens: 0,
    tag_tok_s_b32: null, tag_tok_s_b1: null, e2e_tok_s_b32: null, e2e_tok_s_b1: null,
    tag_tokens: 0, vocab: words.length, peak_rss_mb: 0,
  };

  if (threads === 1) res.gemm_gflops = Math.round(gemm1024() * 10) / 10;

  // ---- training
  const trainOrder = lengthSortedBatches(train.map((s) => s.tokens.length), 32, 0);
  const params = model.params();
  const adam = new optim.Adam(params, { lr: 1e-3 });
  const dp = threads > 1 ? await loadDataParallel() : null;
  if (threads === 1 || dp?.api) {
    const all = trainOrder.map((idx) => model.encode(idx.map((i) => train[i].tokens), idx.map((i) => train[i].tags)));
    const timed = trainBatchesWanted > 0 ? all.slice(0, trainBatchesWanted) : all;
    let trainer: DataParallelLike | null = null;
    if (dp?.api) {
      const t0 = performance.now();
      trainer = await dp.api.start(model, threads);
      res.train_note = dp.note;
      say(`${dp.note}: ${threads} threads ready in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    }
    const step = (b: TaggerBatch): number => {
      optim.zeroGrad(params);
      const r = trainer ? trainer.trainBatch(b) : model.trainStep(b);
      adam.step();
      return r.loss / Math.max(1, r.count);
    };
    try {
      for (const b of all.slice(0, 10)) step(b);
      say(`training: ${timed.length} batches, ${tokensOf(timed)} tokens`);
      let lossSum = 0;
      const t0 = performance.now();
      for (const b of timed) lossSum += step(b);
      const s = (performance.now() - t0) / 1000;
      res.train_batches = timed.length;
      res.train_tokens = tokensOf(timed);
      res.train_tok_s = Math.round(res.train_tokens / s);
      res.train_loss = Math.round((lossSum / timed.length) * 1e4) / 1e4;
      say(`training: ${res.train_tok_s} tok/s (${s.toFixed(1)} s, mean loss ${res.train_loss})`);
    } finally {
      await trainer?.close();
    }
  } else {
    res.train_note = dp?.note ?? 'n/a';
    say(`training with ${threads} threads: ${res.train_note}`);
  }

  // ---- tagging, forward + argmax on pre-encoded batches (the work torch_bilstm.py times)
  const testLens = test.map((s) => s.tokens.length);
  res.tag_tokens = testLens.reduce((a, b) => a + b, 0);
  if (threads === 1) {
    for (const size of [32, 1] as const) {
      let order = lengthSortedBatches(testLens, size);
      if (quick) order = strided(order, size === 32 ? 40 : 600);
      const batches = order.map((idx) => model.encode(idx.map((i) => test[i].tokens)));
      const out = new Int32Array(batches.reduce((m, b) => Math.max(m, b.T * b.B), 0));
      const run = (b: TaggerBatch): void => { argmaxRows(model.scores(b), b.T * b.B, K, out); };
      for (const b of batches.slice(0, 5)) run(b);
      const t0 = performance.now();
      for (const b of batches) run(b);
      const tps = Math.round(tokensOf(batches) / ((performance.now() - t0) / 1000));
      if (size === 32) res.tag_tok_s_b32 = tps; else res.tag_tok_s_b1 = tps;
      say(`tagging (forward + argmax), batch ${size}: ${tps} tok/s`);
    }
  }

  // ---- end-to-end predict() on the 256-sentence chunks `ner tag` uses
  let chunks: string[][][] = [];
  for (let i = 0; i < test.length; i += 256) chunks.push(test.slice(i, i + 256).map((s) => s.tokens));
  if (quick) chunks = chunks.slice(0, 4);
  const chunkTokens = chunks.reduce((n, c) => n + c.reduce((m, s) => m + s.length, 0), 0);
  if (threads === 1) {
    for (const size of [32, 1] as const) {
      predict(tagger, chunks[0].slice(0, 64), { batchSize: size });
      const t0 = performance.now();
      for (const c of chunks) predict(tagger, c, { batchSize: size });
      const tps = Math.round(chunkTokens / ((performance.now() - t0) / 1000));
      if (size === 32) res.e2e_tok_s_b32 = tps; else res.e2e_tok_s_b1 = tps;
      say(`predict() end to end, batch ${size}: ${tps} tok/s`);
    }
  } else {
    const modelDir = mkdtempSync(path.join(tmpdir(), 'bilstm-ner-bench-'));
    try {
      saveModel(modelDir, model, meta);
      const t0 = performance.now();
      const pool = await TagPool.start(modelDir, threads);
      say(`TagPool with ${threads} workers ready in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      try {
        await Promise.all(Array.from({ length: threads }, () => pool.predict(chunks[0].slice(0, 64), { batchSize: 32 })));
        for (const size of [32, 1] as const) {
          const t1 = performance.now();
          await Promise.all(chunks.map((c) => pool.predict(c, { batchSize: size })));
          const tps = Math.round(chunkTokens / ((performance.now() - t1) / 1000));
          if (size === 32) res.e2e_tok_s_b32 = tps; else res.e2e_tok_s_b1 = tps;
          say(`TagPool predict() end to end, batch ${size}: ${tps} tok/s`);
        }
      } finally {
        await pool.close();
      }
      res.e2e_note = `TagPool (${threads} worker threads), 256-sentence chunks`;
    } catch (e) {
      res.e2e_note = `TagPool failed: ${(e as Error).message}`;
      say(res.e2e_note);
    } finally {
      rmSync(modelDir, { recursive: true, force: true });
    }
  }
  res.peak_rss_mb = peakRssMb();
  process.stdout.write(JSON.stringify(res) + '\n');
}

await main();
