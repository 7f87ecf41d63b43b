/**
 * Language-model benchmark (issue 7): the three cells on the same recurrent core.
 *
 *  1. Character LM on CoNLL-2003 (the tokens of eng.train joined by spaces, one sentence per line;
 *     dev: eng.testa): RNN vs GRU vs LSTM with about the same parameter budget (the hidden size
 *     of each cell is chosen to match the LSTM's parameter count) — validation bits per char,
 *     training time and speed. Trained through the library (`trainLanguageModel`, the shared loop).
 *  2. Long-range copy: the first symbol (a or b) of a sequence must be output after `delay`
 *     random distractors; loss and accuracy at the last step only (many-to-one). The gradient
 *     that carries the answer must cross `delay` steps: it vanishes in the vanilla RNN, the
 *     gates of GRU and LSTM keep it alive.
 *  3. Exploding gradients: a vanilla RNN char LM trained with plain SGD at a high learning rate,
 *     with and without global-norm clipping — the largest gradient norm seen and the loss.
 *
 *   tsc -p tsconfig.bench.json && node node_modules/.cache/bilstm-ner-bench/bench/lm.js [options]
 *     --data DIR          CoNLL-2003 directory (default ../shared/data/conll2003 from the repo root)
 *     --train-chars N     characters of eng.train used (default 300000; 0 = all, ≈ 1.1M)
 *     --dev-chars N       characters of eng.testa used (default 60000; 0 = all)
 *     --epochs N          epochs of part 1 (default 3)
 *     --lr X              Adam learning rate of part 1 (default 0.006)
 *     --batch-size B      parallel streams of part 1 (default 16)
 *     --hidden H          LSTM hidden size that sets the budget of part 1 (default 128)
 *     --copy-steps N      training steps per run of part 2 (default 1000)
 *     --delays a,b,c      delays of part 2 (default 10,25,50)
 *     --only 1,2,3        run only these parts
 *     --json              print one JSON document instead of markdown tables
 *
 * Numbers depend on the machine and its load; another busy process takes a core.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { initBackend, backendInfo } from '../src/tensor/backend.js';
import { Rng } from '../src/tensor/index.js';
import { optim, softmaxCrossEntropy, argmaxRows, type CellKind } from '../src/nn/index.js';
import { readConllFile } from '../src/data/index.js';
import {
  trainLanguageModel, LanguageModel, StreamBatches, buildVocab, lmParamCount, streamLoss,
  type LmArchitecture, type LmVocab,
} from '../src/lm/index.js';

const argv = process.argv.slice(2);
function opt(name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
}
// npm runs scripts from the package root; relative paths start there.
const root = process.cwd();
const dataDir = path.resolve(root, opt('data', '../shared/data/conll2003'));
const trainChars = Number(opt('train-chars', '300000'));
const devChars = Number(opt('dev-chars', '60000'));
const epochs = Number(opt('epochs', '3'));
const lmLr = Number(opt('lr', '0.006'));
const lmBatch = Number(opt('batch-size', '16'));
const budgetHidden = Number(opt('hidden', '128'));
const copySteps = Number(opt('copy-steps', '1000'));
const delays = opt('delays', '10,25,50').split(',').map(Number);
const only = new Set(opt('only', '1,2,3').split(',').map(Number));
const asJson = argv.includes('--json');
const CELLS: CellKind[] = ['rnn', 'gru', 'lstm'];

const say = (s: string): void => { if (!asJson) process.stderr.write(s + '\n'); };

/** Sentences of a CoNLL file as text: tokens joined by spaces, one sentence per line, cut at a line end. */
async function corpus(file: string, maxChars: number): Promise<string> {
  const sents = await readConllFile(file);
  let out = '';
  for (const s of sents) {
    const line = s.tokens.join(' ') + '\n';
    if (maxChars > 0 && out.length + line.length > maxChars) break;
    out += line;
  }
  return out;
}

/** The hidden size of `cell` whose parameter count is closest to `budget`. */
function matchHidden(cell: CellKind, base: Omit<LmArchitecture, 'cell' | 'hidden'>, V: number, budget: number): number {
  let best = 1, bestGap = Infinity;
  for (let H = 1; H <= 4096; H++) {
    const gap = Math.abs(lmParamCount({ ...base, cell, hidden: H }, V) - budget);
    if (gap < bestGap) { best = H; bestGap = gap; }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// 1. character LM on CoNLL-2003

interface LmRow { cell: CellKind; hidden: number; params: number; devBpc: number; trainSeconds: number; charsPerSecond: number; bestEpoch: number }

async function partLm(trainText: string, devText: string): Promise<LmRow[]> {
  const vocab = buildVocab(trainText, 'char');
  const V = vocab.symbols.length;
  const base = { layers: 1, embDim: 32, dropout: 0 };
  const budget = lmParamCount({ ...base, cell: 'lstm', hidden: budgetHidden }, V);
  const rows: LmRow[] = [];
  for (const cell of CELLS) {
    const hidden = cell === 'lstm' ? budgetHidden : matchHidden(cell, base, V, budget);
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-lm-'));
    try {
      say(`part 1: ${cell} H=${hidden} …`);
      const run = await trainLanguageModel({
        text: trainText, dev: devText, outDir: dir, level: 'char', arch: { ...base, cell, hidden },
        bptt: 64, batchSize: lmBatch, evalBatchSize: 16, epochs, patience: 0, lr: lmLr, clipNorm: 5, seed: 1,
        progress: false, log: () => {}, checkpointSeconds: 1e9,
      });
      const best = run.epochs[run.bestEpoch - 1];
      const tokens = run.epochs.reduce((s, e) => s + e.tokens, 0);
      rows.push({
        cell, hidden, params: lmParamCount({ ...base, cell, hidden }, V), devBpc: best.dev_bpc as number,
        trainSeconds: run.trainSeconds, charsPerSecond: tokens / run.trainSeconds, bestEpoch: run.bestEpoch,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. long-range copy (vanishing gradients)

interface CopyRow { cell: string; hidden: number; params: number; delay: number; accuracy: number; finalLoss: number; seconds: number }

/** symbols: <unk>, \n (unused), the answers a b, the distractors c … h */
const COPY_VOCAB: LmVocab = { level: 'char', symbols: ['<unk>', '\n', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] };

function copyBatch(rng: Rng, T: number, B: number): { inputs: Int32Array; targets: Int32Array; mask: Uint8Array; lengths: Int32Array } {
  const inputs = new Int32Array(T * B), targets = new Int32Array(T * B).fill(-1), mask = new Uint8Array(T * B);
  for (let b = 0; b < B; b++) {
    const answer = 2 + rng.int(2);
    inputs[b] = answer;
    for (let t = 1; t < T; t++) inputs[t * B + b] = 4 + rng.int(6);
    targets[(T - 1) * B + b] = answer;
    mask[(T - 1) * B + b] = 1;
  }
  return { inputs, targets, mask, lengths: new Int32Array(B).fill(T) };
}

function copyRun(cell: CellKind, hidden: number, delay: number, forgetBias: number | null): CopyRow {
  const arch: LmArchitecture = { cell, layers: 1, hidden, embDim: 8, dropout: 0 };
  const m = new LanguageModel(arch, COPY_VOCAB, 1);
  if (forgetBias !== null) m.rnn[0].cell.b.value.fill(forgetBias, 2 * hidden, 3 * hidden); // LSTM gate order [c̃, u, f, o]
  const V = m.V, T = delay + 1, B = 32;
  const params = m.params();
  const adam = new optim.Adam(params, { lr: 0.01 });
  const rng = new Rng(5);
  const t0 = performance.now();
  let lossSum = 0, lossN = 0;
  for (let step = 1; step <= copySteps; step++) {
    const bt = copyBatch(rng, T, B);
    optim.zeroGrad(params);
    const f = m.forward(bt.inputs, T, B, bt.lengths, null, true);
    const r = softmaxCrossEntropy(f.logits, bt.targets, V, bt.mask, 'mean');
    f.backward(r.dlogits);
    optim.clipGlobalNorm(params, 1);
    adam.step();
    if (step > copySteps - 50) { lossSum += r.loss; lossN++; }
  }
  const seconds = (performance.now() - t0) / 1000;
  const E = 1000, test = copyBatch(new Rng(99), T, E);
  const g = m.forward(test.inputs, T, E, test.lengths, null, false);
  const pred = argmaxRows(g.logits.subarray((T - 1) * E * V), E, V);
  let correct = 0;
  for (let b = 0; b < E; b++) if (pred[b] === test.targets[(T - 1) * E + b]) correct++;
  const label = forgetBias !== null ? `${cell} (forget bias ${forgetBias})` : cell;
  return { cell: label, hidden, params: lmParamCount(arch, V), delay, accuracy: correct / E, finalLoss: lossSum / lossN, seconds };
}

function partCopy(): CopyRow[] {
  const base = { layers: 1, embDim: 8, dropout: 0 };
  const budget = lmParamCount({ ...base, cell: 'lstm', hidden: 32 }, COPY_VOCAB.symbols.length);
  const rows: CopyRow[] = [];
  for (const delay of delays) {
    for (const cell of CELLS) {
      const hidden = cell === 'lstm' ? 32 : matchHidden(cell, base, COPY_VOCAB.symbols.length, budget);
      say(`part 2: ${cell} delay ${delay} …`);
      rows.push(copyRun(cell, hidden, delay, null));
    }
    say(`part 2: lstm (forget bias 3) delay ${delay} …`);
    rows.push(copyRun('lstm', 32, delay, 3));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 3. exploding gradients

interface ClipRow { clip: number; lr: number; steps: number; maxGradNorm: number; medianGradNorm: number; finalLoss: number; devBpc: number; status: string }

function partExplode(trainText: string, devText: string): ClipRow[] {
  const vocab = buildVocab(trainText, 'char');
  const rows: ClipRow[] = [];
  const B = 32, bptt = 100;
  for (const [lr, clip] of [[1, 0], [1, 1], [2, 0], [2, 1]]) {
    say(`part 3: rnn, SGD lr ${lr}, clip ${clip || 'off'} …`);
    const m = new LanguageModel({ cell: 'rnn', layers: 1, hidden: 128, embDim: 32, dropout: 0 }, vocab, 1);
    const sb = new StreamBatches(m.table.encode(trainText).ids, B, bptt, m.table.boundaryId);
    const params = m.params();
    const sgd = new optim.SGD(params, { lr });
    const state = m.newState(B);
    const norms: number[] = [], losses: number[] = [];
    let status = 'finite';
    for (let k = 0; k < sb.segments; k++) {
      optim.zeroGrad(params);
      const r = m.trainStep(sb.segment(k), state);
      const norm = optim.clipGlobalNorm(params, clip > 0 ? clip : Infinity);
      if (!Number.isFinite(r.loss) || !Number.isFinite(norm)) { status = `non-finite at step ${k + 1}`; break; }
      norms.push(norm);
      losses.push(r.loss / r.count);
      sgd.step();
    }
    const last = losses.slice(-10);
    const dev = status === 'finite' ? streamLoss(m, m.table.encode(devText).ids, 16, bptt) : null;
    const sorted = [...norms].sort((a, b) => a - b);
    rows.push({
      clip, lr, steps: norms.length, maxGradNorm: sorted[sorted.length - 1] ?? NaN, medianGradNorm: sorted[Math.floor(sorted.length / 2)] ?? NaN,
      finalLoss: last.reduce((a, b) => a + b, 0) / Math.max(1, last.length), devBpc: dev ? dev.loss / dev.count / Math.LN2 : NaN, status,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

const fmt = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : String(v));
const sci = (v: number): string => (Number.isFinite(v) ? v.toExponential(1) : String(v));

async function main(): Promise<void> {
  initBackend();
  const t0 = performance.now();
  const trainFile = path.join(dataDir, 'eng.train'), devFile = path.join(dataDir, 'eng.testa');
  const needData = only.has(1) || only.has(3);
  if (needData && !(existsSync(trainFile) && existsSync(devFile))) throw new Error(`${dataDir}: eng.train / eng.testa not found (pass --data DIR)`);
  const trainText = needData ? await corpus(trainFile, trainChars) : '';
  const devText = needData ? await corpus(devFile, devChars) : '';
  const lm = only.has(1) ? await partLm(trainText, devText) : [];
  const copy = only.has(2) ? partCopy() : [];
  const explode = only.has(3) ? partExplode(trainText, devText) : [];
  const env = {
    backend: backendInfo().name, node: process.version, cpu: cpus()[0]?.model ?? '?', cores: cpus().length,
    trainChars: trainText.length, devChars: devText.length, epochs, copySteps, totalSeconds: (performance.now() - t0) / 1000,
  };
  if (asJson) {
    process.stdout.write(JSON.stringify({ env, lm, copy, explode }, null, 2) + '\n');
    return;
  }
  const out: string[] = [];
  out.push(`Machine: ${env.cpu} (${env.cores} cores), Node ${env.node}, backend ${env.backend}; total ${fmt(env.totalSeconds, 0)} s.`, '');
  if (lm.length) {
    out.push(`### Character LM, CoNLL-2003 tokens (train ${env.trainChars} chars of eng.train, dev ${env.devChars} chars of eng.testa), ${epochs} epoch(s)`, '');
    out.push(`1 layer, embedding 32, bptt 64, ${lmBatch} streams, Adam lr ${lmLr}, clip 5, no dropout; hidden size matched to the LSTM's parameter count.`, '');
    out.push('| cell | hidden | parameters | dev bits/char | train time (s) | chars/s |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of lm) out.push(`| ${r.cell} | ${r.hidden} | ${r.params} | ${fmt(r.devBpc)} | ${fmt(r.trainSeconds, 1)} | ${fmt(r.charsPerSecond, 0)} |`);
    out.push('');
  }
  if (copy.length) {
    out.push(`### Long-range copy: output the first symbol after *delay* distractors (chance = 0.5), ${copySteps} steps of 32 sequences`, '');
    out.push('Adam lr 0.01, clip 1, loss at the last step only; accuracy on 1000 new sequences; hidden size matched to an LSTM with 32 units.', '');
    out.push('| cell | hidden | parameters | delay | accuracy | final loss | time (s) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of copy) out.push(`| ${r.cell} | ${r.hidden} | ${r.params} | ${r.delay} | ${fmt(r.accuracy)} | ${fmt(r.finalLoss)} | ${fmt(r.seconds, 1)} |`);
    out.push('');
  }
  if (explode.length) {
    out.push('### Exploding gradients: vanilla RNN char LM (H 128), plain SGD, one pass, bptt 100, 32 streams', '');
    out.push('| clip | lr | steps | max grad norm (before clipping) | median grad norm | final train loss (nats) | dev bits/char | |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of explode) out.push(`| ${r.clip || 'off'} | ${r.lr} | ${r.steps} | ${sci(r.maxGradNorm)} | ${sci(r.medianGradNorm)} | ${fmt(r.finalLoss)} | ${fmt(r.devBpc)} | ${r.status} |`);
    out.push('');
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench:lm: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
