/**
 * Training throughput epoch by epoch: the model of `npm run bench` (word embedding 100 → BiLSTM
 * 100 per direction → Dense 9, Adam 1e-3, batch 32, no dropout, WASM kernels) on eng.train, with
 * 1 thread or with N (DataParallel, as `ner train --threads N`), after 10 warm-up batches (and a
 * whole warm-up epoch with --warm-epoch). Prints each epoch's tokens/s, the process's user CPU
 * time and minor page faults over the epoch, and with N > 1 DataParallel.timings (seconds).
 *
 *   npm run build && node bench/epochs.mjs --threads 2 --epochs 6 [--data DIR] [--warm-epoch]
 *
 * The same batches every epoch (shuffled once, fixed seed): the work does not change from one
 * epoch to the next, so the spread of the figures is the machine's. Default data: CONLL_DIR or
 * ../shared/data/conll2003 beside the package.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const { values: o } = parseArgs({
  options: {
    threads: { type: 'string', default: '1' }, epochs: { type: 'string', default: '3' },
    data: { type: 'string' }, 'warm-epoch': { type: 'boolean', default: false },
  },
});
const threads = Number(o.threads), epochs = Number(o.epochs);
for (const [k, v] of [['threads', threads], ['epochs', epochs]]) {
  if (!(Number.isInteger(v) && v >= 1)) { process.stderr.write(`epochs.mjs: --${k} must be a positive integer\n`); process.exit(2); }
}
const dir = o.data ?? process.env.CONLL_DIR ?? path.resolve(root, '..', 'shared', 'data', 'conll2003');

const T = await dist('tensor/index.js');
const { optim } = await dist('nn/index.js');
const { readConllFile } = await dist('data/index.js');
const M = await dist('tagger/model.js');
const { wordKey } = await dist('tagger/features.js');
const { DataParallel } = await dist('parallel/dataParallel.js');
T.useWasm();

const TAGS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];
const train = (await readConllFile(path.join(dir, 'eng.train')).catch((e) => {
  process.stderr.write(`epochs.mjs: cannot read ${path.join(dir, 'eng.train')} (${e.message}); pass --data DIR or set CONLL_DIR\n`);
  process.exit(2);
})).filter((s) => s.tokens.length > 0);
const words = [M.PAD, M.UNK];
const seen = new Set(words);
for (const s of train) for (const t of s.tokens) { const k = wordKey(t); if (!seen.has(k)) { seen.add(k); words.push(k); } }
const ARCH = { ...M.DEFAULT_ARCHITECTURE, wordDim: 100, charEncoder: 'none', casingDim: 0, hidden: 100, layers: 1, bidirectional: true, cell: 'lstm', dropout: 0 };
const model = new M.SequenceTagger(ARCH, { words, chars: [M.PAD, M.UNK], tags: TAGS }, 1);
// Batches of 32 length-sorted sentences, in a fixed shuffled order.
const order = train.map((_, i) => i).sort((a, b) => train[b].tokens.length - train[a].tokens.length || a - b);
const batches = [];
for (let i = 0; i < order.length; i += 32) {
  const idx = order.slice(i, i + 32);
  batches.push(model.encode(idx.map((j) => train[j].tokens), idx.map((j) => train[j].tags)));
}
let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
for (let i = batches.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [batches[i], batches[j]] = [batches[j], batches[i]]; }
const tokens = batches.reduce((n, b) => n + b.lengths.reduce((a, x) => a + x, 0), 0);

const params = model.params();
const adam = new optim.Adam(params, { lr: 1e-3 });
const dp = threads > 1 ? await DataParallel.start(model, threads) : null;
const stepper = dp ? dp.optimizer(adam) : adam;
const zeroGrad = dp ? dp.zeroGrad : optim.zeroGrad;
const forward = (b) => (dp ? dp.trainBatch(b) : model.trainStep(b));
const step = (b) => { zeroGrad(params); const r = forward(b); stepper.step(); return r.loss / Math.max(1, r.count); };
try {
  model.reserve(batches.reduce((a, b) => (b.T * b.B > a.T * a.B ? b : a)), forward);
  for (const b of o['warm-epoch'] ? batches : batches.slice(0, 10)) step(b);
  console.log(`${threads} thread(s)${dp ? `, mode ${dp.mode}` : ''}; ${batches.length} batches, ${tokens} tokens an epoch; warm-up: ${o['warm-epoch'] ? 'one epoch' : '10 batches'}`);
  for (let e = 0; e < epochs; e++) {
    if (dp) for (const k of Object.keys(dp.timings)) dp.timings[k] = 0;
    const ru0 = process.resourceUsage(), t0 = performance.now();
    let loss = 0;
    for (const b of batches) loss += step(b);
    const s = (performance.now() - t0) / 1000, ru1 = process.resourceUsage();
    const timings = dp ? '  ' + Object.entries(dp.timings).map(([k, v]) => `${k} ${k === 'steps' ? v : (v / 1000).toFixed(3)}`).join(' ') : '';
    console.log(`epoch ${e + 1}: ${Math.round(tokens / s)} tok/s (${s.toFixed(2)} s, loss ${(loss / batches.length).toFixed(4)}, user CPU ${((ru1.userCPUTime - ru0.userCPUTime) / 1e6).toFixed(2)} s, minor faults ${ru1.minorPageFault - ru0.minorPageFault})${timings}`);
  }
} finally {
  await dp?.close();
}
