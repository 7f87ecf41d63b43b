/**
 * TensorFlow.js rows of bilstm-ner's `npm run bench` (the JavaScript peer): the model of
 * ../../../shared/bench/torch_bilstm.py — Embedding(V, 100) → BiLSTM(100 per direction) →
 * Dense(9), softmax cross-entropy over real tokens, Adam(1e-3), batch 32 — on CoNLL-2003, with
 * the `cpu` or the `wasm` backend. Prints one JSON line on stdout; progress on stderr.
 *
 *   node bench/tfjs/run.mjs --backend cpu|wasm --data DIR [--train-seconds S] [--tag-seconds S]
 *
 * Plain JavaScript on purpose: it lives in its own package (bench/tfjs/package.json, installed
 * into bench/tfjs/node_modules by the bench on first use) and is not compiled with the project.
 *
 * Differences from the other systems, all forced by TF.js 4.22 (see ../../../shared/bench/README.md):
 * - the embedding is FROZEN (trainable: false): on the wasm backend its gradient has no kernel
 *   (UnsortedSegmentSum), on the cpu backend it takes minutes per batch. So TF.js trains the
 *   LSTM and the output layer only, and backpropagates nothing into the embedding;
 * - no packed sequences: batches are padded (to length ≥ 2: length-1 batches crash its LSTM) and
 *   masked (Embedding maskZero → the LSTM keeps its state at padding; the loss weights padding 0).
 *   Batches are length-sorted as torch_bilstm.py's, so padding is small;
 * - it is too slow for a whole epoch in a benchmark run: it times batches drawn in a seeded
 *   shuffled order until the time budget is spent (forward, backward and update per batch;
 *   tensor creation outside the timed part), and tags a shuffled sample of eng.testb's batches.
 * recurrentActivation is set to 'sigmoid' (TF.js defaults to hardSigmoid; torch and bilstm-ner use σ).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

const TAGS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const backend = opt('backend', 'wasm');
const dataDir = opt('data', process.env.CONLL_DIR ?? '');
const trainSeconds = Number(opt('train-seconds', '30'));
const tagSeconds = Number(opt('tag-seconds', '20'));
const say = (s) => process.stderr.write(`[tfjs-${backend}] ${s}\n`);

/** torch_bilstm.py's reader: token lower-cased, tag from the last column, -DOCSTART- skipped. */
function read(file) {
  const sents = [];
  let cur = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const parts = line.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) {
      if (cur.length) { sents.push(cur); cur = []; }
    } else if (parts[0] !== '-DOCSTART-') {
      cur.push([parts[0].toLowerCase(), parts[parts.length - 1]]);
    }
  }
  if (cur.length) sents.push(cur);
  return sents;
}

/** xorshift32, for a seeded Fisher–Yates shuffle. */
function shuffle(xs, seed) {
  let s = seed >>> 0 || 1;
  const next = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; };
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** torch_bilstm.py's batches: longest first (stable), cut into `size`s. */
function sortedBatches(sents, size) {
  const order = sents.map((_, i) => i).sort((a, b) => sents[b].length - sents[a].length || a - b);
  const out = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return out;
}

/** Padded [B, T] word ids, tag ids and a 0/1 mask (T ≥ 2). */
function encode(sents, idx, vocab, tagId) {
  const B = idx.length;
  const T = Math.max(2, ...idx.map((i) => sents[i].length));
  const words = new Int32Array(B * T), tags = new Int32Array(B * T), mask = new Float32Array(B * T);
  let tokens = 0;
  idx.forEach((si, b) => {
    sents[si].forEach(([w, t], j) => {
      words[b * T + j] = vocab.get(w) ?? 1;
      tags[b * T + j] = tagId.get(t);
      mask[b * T + j] = 1;
      tokens++;
    });
  });
  return { B, T, words, tags, mask, tokens };
}

async function main() {
  if (!dataDir) throw new Error('--data DIR (or CONLL_DIR) is required');
  if (backend === 'wasm') {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    const dist = path.join(path.dirname(new URL(import.meta.resolve('@tensorflow/tfjs-backend-wasm')).pathname), path.sep);
    setWasmPaths(dist);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not initialise`);
  await tf.ready();
  say(`TF.js ${tf.version.tfjs}, backend ${tf.getBackend()}`);

  const train = read(path.join(dataDir, 'eng.train'));
  const test = read(path.join(dataDir, 'eng.testb'));
  const vocab = new Map([['<pad>', 0], ['<unk>', 1]]);
  for (const s of train) for (const [w] of s) if (!vocab.has(w)) vocab.set(w, vocab.size);
  const tagId = new Map(TAGS.map((t, i) => [t, i]));

  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: vocab.size, outputDim: 100, maskZero: true, trainable: false, inputShape: [null] }),
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 100, returnSequences: true, recurrentActivation: 'sigmoid' }),
        mergeMode: 'concat',
      }),
      tf.layers.dense({ units: TAGS.length }),
    ],
  });
  const vars = model.trainableWeights.map((w) => w.read());
  const optimizer = tf.train.adam(1e-3);
  const res = {
    system: `tfjs-${tf.version.tfjs}-${backend}`, threads: 1, backend, embedding: 'frozen', vocab: vocab.size,
    train_tok_s: null, train_loss: null, train_batches: 0, train_tokens: 0,
    tag_tok_s_b32: null, tag_tok_s_b1: null, tag_batches_b32: 0, tag_batches_b1: 0, peak_rss_mb: 0,
  };

  // ---- training: seeded shuffled batches; 3 warm-up, then timed until the budget is spent
  const trainBatches = shuffle(sortedBatches(train, 32), 7);
  let spent = 0, tokens = 0, lossSum = 0, n = 0;
  for (let i = 0; i < trainBatches.length; i++) {
    const e = encode(train, trainBatches[i], vocab, tagId);
    const x = tf.tensor2d(e.words, [e.B, e.T], 'int32');
    const y = tf.oneHot(tf.tensor2d(e.tags, [e.B, e.T], 'int32'), TAGS.length);
    const m = tf.tensor2d(e.mask, [e.B, e.T]);
    const t0 = performance.now();
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }), m), true, vars);
    const lv = (await loss.data())[0];
    const dt = performance.now() - t0;
    tf.dispose([x, y, m, loss]);
    if (i < 3) { say(`warm-up batch ${i + 1}: ${(dt / 1000).toFixed(2)} s`); continue; }
    spent += dt; tokens += e.tokens; lossSum += lv; n++;
    if (spent / 1000 >= trainSeconds && n >= 3) break;
  }
  Object.assign(res, {
    train_tok_s: Math.round(tokens / (spent / 1000)), train_loss: Math.round((lossSum / n) * 1e4) / 1e4,
    train_batches: n, train_tokens: tokens,
  });
  say(`training: ${res.train_tok_s} tok/s over ${n} batches (${(spent / 1000).toFixed(1)} s)`);

  // ---- tagging: forward + argmax, a seeded shuffled sample of eng.testb's batches
  for (const size of [32, 1]) {
    const batches = shuffle(sortedBatches(test, size), 11);
    let tSpent = 0, tTokens = 0, k = 0;
    for (let i = 0; i < batches.length; i++) {
      const e = encode(test, batches[i], vocab, tagId);
      const x = tf.tensor2d(e.words, [e.B, e.T], 'int32');
      const t0 = performance.now();
      const pred = tf.tidy(() => model.predict(x).argMax(-1));
      await pred.data();
      const dt = performance.now() - t0;
      tf.dispose([x, pred]);
      if (i < 3) continue;
      tSpent += dt; tTokens += e.tokens; k++;
      if (tSpent / 1000 >= tagSeconds && k >= 3) break;
    }
    res[`tag_tok_s_b${size}`] = Math.round(tTokens / (tSpent / 1000));
    res[`tag_batches_b${size}`] = k;
    say(`tagging, batch ${size}: ${res[`tag_tok_s_b${size}`]} tok/s over ${k} batches`);
  }
  res.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(JSON.stringify(res) + '\n');
}

await main();
