/**
 * `npm run bench:epochs`: training throughput epoch by epoch — the model of `npm run bench`
 * (speed/model.ts) on eng.train, its batches as the bench builds them (length-sorted 32s,
 * shuffled with seed 0), 1 thread or N (DataParallel, as `ner train --threads N`), after 10
 * warm-up batches (a whole warm-up epoch with --warm-epoch). Prints each epoch's tokens/s, the
 * process's user CPU time and minor page faults over it, and with N > 1 DataParallel.timings
 * (seconds).
 *
 *   npm run bench:epochs -- --threads 2 --epochs 6 [--data DIR] [--warm-epoch]
 *
 * The same batches every epoch: the work does not change from one epoch to the next, so the
 * spread of the figures is the machine's.
 */
import { useWasm } from '../../src/tensor/index.js';
import { optim } from '../../src/nn/index.js';
import type { TaggerBatch } from '../../src/tagger/model.js';
import { DataParallel } from '../../src/parallel/dataParallel.js';
import { conllDir, lengthSortedBatches, opt } from './common.js';
import { benchTagger, readBenchData } from './model.js';

const argv = process.argv.slice(2);
const threads = Number(opt(argv, 'threads', '1')), epochs = Number(opt(argv, 'epochs', '3'));
for (const [k, v] of [['threads', threads], ['epochs', epochs]] as const) {
  if (!(Number.isInteger(v) && v >= 1)) { process.stderr.write(`bench:epochs: --${k} must be a positive integer\n`); process.exit(2); }
}

async function main(): Promise<void> {
  useWasm();
  const { train } = await readBenchData(conllDir(argv));
  const { model } = benchTagger(train);
  const batches = lengthSortedBatches(train.map((s) => s.tokens.length), 32, 0)
    .map((idx) => model.encode(idx.map((i) => train[i].tokens), idx.map((i) => train[i].tags)));
  const tokens = batches.reduce((n, b) => n + b.lengths.reduce((a, x) => a + x, 0), 0);
  const params = model.params();
  const adam = new optim.Adam(params, { lr: 1e-3 });
  const dp = threads > 1 ? await DataParallel.start(model, threads) : null;
  const stepper = dp ? dp.optimizer(adam) : adam;
  const zeroGrad = dp ? dp.zeroGrad : optim.zeroGrad;
  const forward = (b: TaggerBatch): { loss: number; count: number } => (dp ? dp.trainBatch(b) : model.trainStep(b));
  const step = (b: TaggerBatch): number => { zeroGrad(params); const r = forward(b); stepper.step(); return r.loss / Math.max(1, r.count); };
  try {
    model.reserve(batches.reduce((a, b) => (b.T * b.B > a.T * a.B ? b : a)), forward);
    const warm = argv.includes('--warm-epoch');
    for (const b of warm ? batches : batches.slice(0, 10)) step(b);
    console.log(`${threads} thread(s)${dp ? `, mode ${dp.mode}` : ''}; ${batches.length} batches, ${tokens} tokens an epoch; warm-up: ${warm ? 'one epoch' : '10 batches'}`);
    for (let e = 0; e < epochs; e++) {
      if (dp) for (const k of Object.keys(dp.timings) as (keyof typeof dp.timings)[]) dp.timings[k] = 0;
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
}

main().catch((e: Error) => { process.stderr.write(`bench:epochs: ${e.message}\n`); process.exit(2); });
