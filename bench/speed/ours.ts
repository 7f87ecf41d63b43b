/**
 * One bilstm-ner row of `npm run bench`, run in a child process of its own (so that its peak RSS
 * is its own). Prints one JSON line on stdout; progress goes to stderr.
 *
 *   node …/bench/speed/ours.js --threads 1|2 [--data DIR] [--backend wasm|js] [--quick]
 *     [--train-batches N]   timed training batches (default 0 = one whole epoch, as torch_bilstm.py)
 *     [--epochs E]          time E passes over those batches (default 1), reported as the mean, as
 *                           torch_bilstm.py --epochs does
 *
 * The model is torch_bilstm.py's: word embedding 100 → BiLSTM 100 per direction → Dense 9, softmax
 * cross-entropy, Adam(1e-3), batch 32, no dropout, no char encoder, no casing feature
 * (SequenceTagger with charEncoder 'none', casingDim 0). Batches as torch_bilstm.py builds them:
 * sentences sorted by length (longest first), cut into 32s; the training batches shuffled.
 *
 * Threads 1: training (the workspaces sized by the largest batch as `ner train` does, 10 warm-up
 * batches, then the timed epochs: zero grads, forward, backward,
 * Adam step), tagging on pre-encoded batches (forward + argmax: the work torch_bilstm.py times),
 * and end-to-end tagging as `ner tag` does it (tagChunks over 256-sentence chunks of eng.testb:
 * encode + forward + constrained Viterbi + entity scores).
 * Threads N > 1: training as `ner train --threads N` (DataParallel: this thread + N−1 workers,
 * its optimizer wrapper for the Adam step; with 2 threads this model, which has no character
 * encoder, trains in mode 'directions': one thread per LSTM direction), tagging on pre-encoded
 * batches by this thread and N−1 workers that take the batches from a shared counter
 * (forwardThreads.ts: the same work per batch as with one thread), and end-to-end tagging as
 * `ner tag --threads N` (tagChunks with this thread + a TagPool of N−1 workers, started before
 * the clock). If the package cannot do it, the figure is null with the reason: never estimated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useWasm, useJs, zeros, gemm, freeBuf, backendInfo } from '../../src/tensor/index.js';
import { optim } from '../../src/nn/index.js';
import type { TaggerBatch } from '../../src/tagger/model.js';
import { predict, type Tagger } from '../../src/tagger/tagger.js';
import type { Sentence } from '../../src/data/index.js';
import { saveModel } from '../../src/tagger/store.js';
import { TagPool } from '../../src/parallel/tagPool.js';
import { DataParallel } from '../../src/parallel/dataParallel.js';
import { conllDir, opt, lengthSortedBatches, strided, peakRssMb, fillRandom } from './common.js';
import { benchTagger, readBenchData, ourChunks, tagPass } from './model.js';
import { ForwardThreads } from './forwardThreads.js';

const argv = process.argv.slice(2);
const threads = Number(opt(argv, 'threads', '1'));
const quick = argv.includes('--quick');
const backend = opt(argv, 'backend', 'wasm');
const trainBatchesWanted = Number(opt(argv, 'train-batches', quick ? '60' : '0'));
const epochs = Number(opt(argv, 'epochs', '1'));
const say = (s: string): void => { process.stderr.write(`[bilstm-ner ${threads}t] ${s}\n`); };

export interface OursResult {
  system: string;
  threads: number;
  backend: string;
  gemm_gflops: number | null;
  train_tok_s: number | null;
  /** Each timed epoch's tokens/s, in order (train_tok_s is over all of them). */
  train_epoch_tok_s: number[];
  train_loss: number | null;
  train_batches: number;
  train_tokens: number;
  train_note?: string;
  /** Forward + argmax on pre-encoded batches (what torch_bilstm.py times). */
  tag_tok_s_b32: number | null;
  tag_tok_s_b1: number | null;
  /** How the threads shared the forward + argmax batches (N > 1), or why there is no figure. */
  tag_note?: string;
  /** End-to-end predict(): encode + forward + decode, on 256-sentence chunks. */
  e2e_tok_s_b32: number | null;
  e2e_tok_s_b1: number | null;
  e2e_note?: string;
  tag_tokens: number;
  vocab: number;
  peak_rss_mb: number;
}

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

async function main(): Promise<void> {
  if (backend === 'wasm') useWasm(); else useJs('bench --backend js');
  const { train, test } = await readBenchData(conllDir(argv));
  const tagger = benchTagger(train);
  const { model, meta } = tagger;
  const words = model.vocab.words;

  const res: OursResult = {
    system: 'bilstm-ner', threads, backend: backendInfo().name, gemm_gflops: null,
    train_tok_s: null, train_epoch_tok_s: [], train_loss: null, train_batches: 0, train_tokens: 0,
    tag_tok_s_b32: null, tag_tok_s_b1: null, e2e_tok_s_b32: null, e2e_tok_s_b1: null,
    tag_tokens: 0, vocab: words.length, peak_rss_mb: 0,
  };

  if (threads === 1) res.gemm_gflops = Math.round(gemm1024() * 10) / 10;

  // ---- training
  const trainOrder = lengthSortedBatches(train.map((s) => s.tokens.length), 32, 0);
  const params = model.params();
  const adam = new optim.Adam(params, { lr: 1e-3 });
  let dp: DataParallel | null = null;
  if (threads > 1) {
    try {
      const t0 = performance.now();
      dp = await DataParallel.start(model, threads);
      res.train_note = `DataParallel, mode ${dp.mode}: this thread + ${threads - 1} worker(s), as ner train --threads ${threads}`;
      say(`${res.train_note}; ready in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    } catch (e) {
      res.train_note = `n/a (DataParallel failed: ${(e as Error).message})`;
      say(res.train_note);
    }
  }
  if (threads === 1 || dp) {
    const all = trainOrder.map((idx) => model.encode(idx.map((i) => train[i].tokens), idx.map((i) => train[i].tags)));
    const timed = trainBatchesWanted > 0 ? all.slice(0, trainBatchesWanted) : all;
    const stepper = dp ? dp.optimizer(adam) : adam;
    const zeroGrad = dp ? dp.zeroGrad : optim.zeroGrad;
    const step = (b: TaggerBatch): number => {
      zeroGrad(params);
      const r = dp ? dp.trainBatch(b) : model.trainStep(b);
      stepper.step();
      return r.loss / Math.max(1, r.count);
    };
    try {
      // As trainTagger does: the workspaces at the largest batch's size first (SequenceTagger.reserve).
      model.reserve(all.reduce((a, b) => (b.T * b.B > a.T * a.B ? b : a)), (b) => (dp ? dp.trainBatch(b) : model.trainStep(b)));
      for (const b of all.slice(0, 10)) step(b);
      say(`training: ${timed.length} batches, ${tokensOf(timed)} tokens`);
      let lossSum = 0;
      const t0 = performance.now();
      res.train_tokens = tokensOf(timed);
      for (let e = 0; e < epochs; e++) {
        const te = performance.now();
        lossSum = 0; // the last pass's mean, as torch_bilstm.py reports
        for (const b of timed) lossSum += step(b);
        res.train_epoch_tok_s.push(Math.round(res.train_tokens / ((performance.now() - te) / 1000)));
      }
      const s = (performance.now() - t0) / 1000;
      res.train_batches = timed.length;
      res.train_tok_s = Math.round((res.train_tokens * epochs) / s);
      res.train_loss = Math.round((lossSum / timed.length) * 1e4) / 1e4;
      say(`training: ${res.train_tok_s} tok/s (${s.toFixed(1)} s, mean loss ${res.train_loss}; per epoch ${res.train_epoch_tok_s.join(', ')})`);
    } finally {
      await dp?.close();
    }
  }

  // ---- tagging
  model.enableProjectionCache(); // as a loaded model has it (loadModel); empty at the start
  const modelDir = mkdtempSync(path.join(tmpdir(), 'bilstm-ner-bench-'));
  try {
    if (threads > 1) saveModel(modelDir, model, meta); // what the worker threads load
    await forwardArgmax(tagger, test, modelDir, res);
    await endToEnd(tagger, test, modelDir, res);
  } finally {
    rmSync(modelDir, { recursive: true, force: true });
  }
  res.peak_rss_mb = peakRssMb();
  process.stdout.write(JSON.stringify(res) + '\n');
}

/**
 * Forward + argmax on pre-encoded batches (the work torch_bilstm.py times), batch 32 and 1, with
 * the projection cache filling during the timed pass as eng.testb's words come up
 * (forwardThreads.ts: 5 warm-up batches, then every batch). N > 1 threads: this thread and
 * N − 1 workers holding the saved model take the batches from one shared counter, each thread's
 * cache empty at the start in the same way.
 */
async function forwardArgmax({ model }: Tagger, test: readonly Sentence[], modelDir: string, res: OursResult): Promise<void> {
  const testLens = test.map((s) => s.tokens.length);
  res.tag_tokens = testLens.reduce((a, b) => a + b, 0);
  const sizes = [32, 1] as const;
  const orders = sizes.map((size) => {
    const order = lengthSortedBatches(testLens, size);
    return quick ? strided(order, size === 32 ? 40 : 600) : order;
  });
  let ft: ForwardThreads | null = null;
  try {
    const t0 = performance.now();
    ft = await ForwardThreads.start(model, modelDir, threads, test.map((s) => s.tokens), orders);
    if (threads > 1) say(`forward threads ready in ${((performance.now() - t0) / 1000).toFixed(2)} s (not timed)`);
    const shares: string[] = [];
    sizes.forEach((size, k) => {
      const r = ft!.run(k);
      const tps = Math.round(r.tokens.reduce((a, b) => a + b, 0) / r.seconds);
      if (size === 32) res.tag_tok_s_b32 = tps; else res.tag_tok_s_b1 = tps;
      shares.push(`batch ${size}: ${r.tokens.join(' / ')} tokens`);
      say(`tagging (forward + argmax${threads > 1 ? `, ${threads} threads` : ''}), batch ${size}: ${tps} tok/s${threads > 1 ? ` (${r.tokens.join(' / ')} tokens per thread)` : ''}`);
    });
    if (threads > 1) res.tag_note = `this thread + ${threads - 1} worker(s), batches taken from a shared counter; tokens per thread: ${shares.join(', ')}`;
  } catch (e) {
    res.tag_note = `n/a (${(e as Error).message})`;
    say(res.tag_note);
  } finally {
    await ft?.close();
  }
}

/** End to end, as `ner tag --threads N` tags a CoNLL file: tagChunks over 256-sentence chunks. */
async function endToEnd(tagger: Tagger, test: readonly Sentence[], modelDir: string, res: OursResult): Promise<void> {
  let chunks = ourChunks(test);
  if (quick) chunks = chunks.slice(0, 4);
  const chunkTokens = chunks.reduce((n, c) => n + c.reduce((m, s) => m + s.tokens.length, 0), 0);
  const warm = chunks[0].slice(0, 64).map((s) => s.tokens);
  let pool: TagPool | null = null;
  try {
    if (threads > 1) {
      const t0 = performance.now();
      pool = await TagPool.start(modelDir, threads - 1, { share: tagger.model });
      say(`TagPool with ${threads - 1} worker(s) ready in ${((performance.now() - t0) / 1000).toFixed(2)} s (not timed)`);
      await Promise.all(Array.from({ length: threads - 1 }, () => pool!.predict(warm, { batchSize: 32 })));
    }
    for (const size of [32, 1] as const) {
      predict(tagger, warm, { batchSize: size });
      const tps = Math.round(chunkTokens / await tagPass(tagger, chunks, { modelDir, pool, batchSize: size }));
      if (size === 32) res.e2e_tok_s_b32 = tps; else res.e2e_tok_s_b1 = tps;
      say(`end to end (tagChunks, ${threads} thread(s)), batch ${size}: ${tps} tok/s`);
    }
    res.e2e_note = threads > 1 ? `tagChunks: this thread + ${threads - 1} TagPool worker(s), as ner tag --threads ${threads}` : 'tagChunks on this thread, as ner tag --threads 1';
  } catch (e) {
    res.e2e_note = `n/a (${(e as Error).message})`;
    say(res.e2e_note);
  } finally {
    await pool?.close();
  }
}

await main();
