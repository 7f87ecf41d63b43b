/**
 * Learning tests: the recurrent layers, trained with the real optimizer and loss, learn what
 * they should — and only what they can.
 *
 * 1. Right context. Every token before a marker (and the marker) is tagged with the marker's
 *    class (A or B), tokens after it O; the marker comes in the second half of the sequence.
 *    A BiLSTM reads the marker through its right-to-left half (which starts at each sequence's
 *    OWN last token, batches mixing lengths) and reaches 100% on held-out sequences; a
 *    left-to-right LSTM trained the same way cannot know the marker before it has seen it, so
 *    it stays near chance on those tokens.
 * 2. Exploding gradients. With large weights, plain SGD without clipping blows up (non-finite or
 *    huge loss); the same run with global-norm clipping stays finite and learns.
 */
import { describe, expect, it } from 'vitest';
import { Rng, allFinite, zeros } from '../../src/tensor/index.js';
import { Embedding } from '../../src/nn/embedding.js';
import { Dense } from '../../src/nn/dense.js';
import { SoftmaxCrossEntropy, argmaxRows } from '../../src/nn/loss.js';
import { Adam, SGD, clipGlobalNorm, zeroGrad } from '../../src/nn/optim/index.js';
import { Bidirectional } from '../../src/nn/bidirectional.js';
import { Recurrent, type SequenceLayer } from '../../src/nn/recurrent.js';
import type { Param } from '../../src/nn/param.js';

const PAD = 0, MARK_A = 1, MARK_B = 2, V = 12; // fillers 3…11
const O = 0, A = 1, B_ = 2, K = 3;

interface Seq { ids: number[]; tags: number[] }

/** A sequence of 4…10 tokens with one marker in its second half. */
function makeSeq(rng: Rng): Seq {
  const L = 4 + rng.int(7);
  const m = Math.floor(L / 2) + rng.int(L - Math.floor(L / 2));
  const isA = rng.float() < 0.5;
  const ids: number[] = [], tags: number[] = [];
  for (let t = 0; t < L; t++) {
    ids.push(t === m ? (isA ? MARK_A : MARK_B) : 3 + rng.int(V - 3));
    tags.push(t <= m ? (isA ? A : B_) : O);
  }
  return { ids, tags };
}

/** Time-major padded batch: ids [T·B] (0 at padding), gold [T·B] (−1 at padding), lengths [B]. */
function batchOf(seqs: Seq[]) {
  const B = seqs.length, T = Math.max(...seqs.map((s) => s.ids.length));
  const ids = new Int32Array(T * B).fill(PAD), gold = new Int32Array(T * B).fill(-1);
  const lengths = Int32Array.from(seqs.map((s) => s.ids.length));
  seqs.forEach((s, b) => s.ids.forEach((id, t) => { ids[t * B + b] = id; gold[t * B + b] = s.tags[t]; }));
  return { ids, gold, lengths, T, B };
}

class Tagger {
  readonly emb: Embedding;
  readonly enc: SequenceLayer;
  readonly out: Dense;
  private readonly ce = new SoftmaxCrossEntropy('mean');

  constructor(bidirectional: boolean, rng: Rng) {
    this.emb = new Embedding('emb', V, 8, rng, { paddingIdx: PAD });
    this.enc = bidirectional ? new Bidirectional('enc', 'lstm', 8, 8, rng) : Recurrent.create('lstm', 'enc', 8, 16, rng);
    this.out = new Dense('out', 16, K, rng);
  }

  params(): Param[] {
    return [...this.emb.params(), ...this.enc.params(), ...this.out.params()];
  }

  /** Forward (+ backward when training): returns the mean loss and the predictions [T·B]. */
  step(seqs: Seq[], train: boolean): { loss: number; pred: Int32Array; gold: Int32Array } {
    const { ids, gold, lengths, T, B } = batchOf(seqs);
    const e = this.emb.forward(ids);
    const h = this.enc.forward(e.y, T, B, lengths, { training: train });
    const o = this.out.forward(h.y, T * B);
    const r = this.ce.compute(o.y, gold, K, { lengths, T });
    if (train) e.backward(h.backward(o.backward(r.dlogits)));
    return { loss: r.loss, pred: argmaxRows(o.y, T * B, K), gold };
  }
}

/** Token accuracy over real tokens, overall and on the tokens before the marker. */
function accuracy(model: Tagger, seqs: Seq[]): { all: number; beforeMarker: number } {
  const { pred, gold } = model.step(seqs, false);
  let ok = 0, n = 0, okB = 0, nB = 0;
  const B = seqs.length;
  seqs.forEach((s, b) => s.ids.forEach((id, t) => {
    const hit = pred[t * B + b] === gold[t * B + b] ? 1 : 0;
    ok += hit; n++;
    if (gold[t * B + b] !== O && id !== MARK_A && id !== MARK_B) { okB += hit; nB++; }
  }));
  return { all: ok / n, beforeMarker: okB / nB };
}

function train(model: Tagger, steps: number, seed: number): number[] {
  const rng = new Rng(seed);
  const opt = new Adam(model.params(), { lr: 0.03 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    zeroGrad(model.params());
    const seqs = Array.from({ length: 16 }, () => makeSeq(rng));
    losses.push(model.step(seqs, true).loss);
    clipGlobalNorm(model.params(), 5);
    opt.step();
  }
  return losses;
}

describe('learning: right context needs the backward direction', () => {
  const heldOutRng = new Rng(10_000);
  const heldOut = Array.from({ length: 400 }, () => makeSeq(heldOutRng));

  it('a BiLSTM reaches 100% on held-out sequences; a left-to-right LSTM stays near chance before the marker', () => {
    const bi = new Tagger(true, new Rng(1));
    const uni = new Tagger(false, new Rng(1));
    const lb = train(bi, 300, 2);
    const lu = train(uni, 300, 2);
    const accBi = accuracy(bi, heldOut), accUni = accuracy(uni, heldOut);
    console.log(`[learning] BiLSTM: held-out accuracy ${(100 * accBi.all).toFixed(1)}% (before marker ${(100 * accBi.beforeMarker).toFixed(1)}%), final loss ${lb.at(-1)!.toFixed(4)}`);
    console.log(`[learning] LSTM→ : held-out accuracy ${(100 * accUni.all).toFixed(1)}% (before marker ${(100 * accUni.beforeMarker).toFixed(1)}%), final loss ${lu.at(-1)!.toFixed(4)}`);
    expect(accBi.all).toBe(1);
    expect(accUni.beforeMarker).toBeGreaterThan(0.35);
    expect(accUni.beforeMarker).toBeLessThan(0.65);
    expect(accUni.all).toBeLessThan(0.85);
  });
});

describe('learning: global-norm clipping keeps an exploding run finite', () => {
  /**
   * Regress, at every token, 10 × (number of 1-tokens so far): a counting task with large
   * targets (up to ~60), which needs large weights. Plain SGD at lr 2. Unclipped, the first
   * updates (gradient norm ~10²) throw the weights far, the LSTM saturates, the gradient norm
   * grows step after step and the run overflows to NaN/Inf. The same run with the global
   * gradient norm clipped at 1 takes bounded steps, stays finite and learns.
   */
  function run(clip: number, seed: number): { losses: number[]; norms: number[]; finiteParams: boolean } {
    const rng = new Rng(seed);
    const T = 20, B = 8, D = 4, H = 32;
    const emb = new Embedding('emb', 10, D, rng);
    const rnn = Recurrent.create('lstm', 'enc', D, H, rng);
    const out = new Dense('out', H, 1, rng);
    const params = [...emb.params(), ...rnn.params(), ...out.params()];
    const opt = new SGD(params, { lr: 2 });
    const data = new Rng(4);
    const losses: number[] = [], norms: number[] = [];
    const lengths = new Int32Array(B).fill(T);
    const d = zeros(T * B);
    for (let s = 0; s < 60; s++) {
      const ids = new Int32Array(T * B), target = new Float64Array(T * B);
      for (let b = 0; b < B; b++) {
        let count = 0;
        for (let t = 0; t < T; t++) {
          const id = data.int(10);
          if (id === 1) count++;
          ids[t * B + b] = id;
          target[t * B + b] = 10 * count;
        }
      }
      zeroGrad(params);
      const e = emb.forward(ids);
      const h = rnn.forward(e.y, T, B, lengths);
      const o = out.forward(h.y, T * B);
      let loss = 0;
      for (let i = 0; i < T * B; i++) {
        const r = o.y[i] - target[i];
        loss += (r * r) / (2 * T * B);
        d[i] = r / (T * B);
      }
      e.backward(h.backward(o.backward(d)));
      losses.push(loss);
      norms.push(clipGlobalNorm(params, clip));
      opt.step();
    }
    return { losses, norms, finiteParams: params.every((p) => allFinite(p.value)) };
  }

  it('unclipped SGD overflows; clipped at global norm 1 it stays finite and learns', () => {
    const free = run(Infinity, 1);
    const clipped = run(1, 1);
    const firstBad = free.losses.findIndex((l) => !Number.isFinite(l) || l > 1e6);
    const maxFreeNorm = Math.max(...free.norms.filter(Number.isFinite));
    console.log(`[learning] unclipped: loss ${free.losses[0].toFixed(1)} → ${free.losses.at(-1)} (first non-finite/huge at step ${firstBad}, gradient norm up to ${maxFreeNorm.toExponential(1)})`);
    console.log(`[learning] clipped:   loss ${clipped.losses[0].toFixed(1)} → ${clipped.losses.at(-1)!.toFixed(2)} (max ${Math.max(...clipped.losses).toFixed(1)})`);
    expect(firstBad).toBeGreaterThan(0);
    expect(free.finiteParams && free.losses.every(Number.isFinite)).toBe(false);
    expect(clipped.losses.every(Number.isFinite)).toBe(true);
    expect(clipped.finiteParams).toBe(true);
    expect(Math.max(...clipped.losses)).toBeLessThan(1e3);
    expect(clipped.losses.at(-1)!).toBeLessThan(clipped.losses[0] / 10);
  });
});
