/**
 * Conv1d + max-pooling over time, and the character-level word encoder (BiLSTM and CNN kinds):
 * outputs against naive definitions, float64 finite-difference gradient checks, parameter counts.
 */
import { describe, expect, it } from 'vitest';
import { Rng, type Buf } from '../../src/tensor/index.js';
import { Conv1d, MaxPoolTime } from '../../src/nn/conv1d.js';
import { CharEncoder, type CharEncoderOptions } from '../../src/nn/charEncoder.js';
import { gradCheck, useFloat64, projection, randomBuf } from '../helpers/gradcheck.js';
import { refRun, rowOf } from '../helpers/recurrentRef.js';
import { inputTarget, paramTargets, expectGradsOk, randomizeParams, sumParams } from '../helpers/nnCheck.js';

/** Naive "same" convolution of one sequence: x rows [L][C] → [L][F]. */
function naiveConv(conv: Conv1d, xs: number[][]): number[][] {
  const C = conv.inChannels, F = conv.filters, w = conv.window, p = (w - 1) >> 1, L = xs.length;
  const out: number[][] = [];
  for (let t = 0; t < L; t++) {
    const row: number[] = [];
    for (let f = 0; f < F; f++) {
      let v = conv.b.value[f];
      for (let k = 0; k < w; k++) {
        const s = t + k - p;
        if (s < 0 || s >= L) continue;
        for (let c = 0; c < C; c++) v += xs[s][c] * conv.W.value[(k * C + c) * F + f];
      }
      row.push(v);
    }
    out.push(row);
  }
  return out;
}

const words = (...ws: number[][]) => ws.map((w) => Int32Array.from(w));

describe('Conv1d and MaxPoolTime (float64)', () => {
  useFloat64();

  it.each([1, 2, 3, 4, 5])('window %i: matches the definition per sequence; padding is 0', (w) => {
    const C = 3, F = 4, T = 5, lengths = Int32Array.from([5, 2, 0, 4]), B = 4;
    const rng = new Rng(w);
    const conv = new Conv1d('conv', C, F, w, rng);
    randomizeParams(conv.params(), rng);
    expect(sumParams(conv.params())).toBe((w * C + 1) * F);
    const x = randomBuf(T * B * C, rng, -1, 1);
    const y = conv.forward(x, T, B, lengths).y;
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      const want = naiveConv(conv, Array.from({ length: L }, (_, t) => rowOf(x, t, B, b, C)));
      for (let t = 0; t < T; t++) {
        const got = rowOf(y, t, B, b, F);
        if (t < L) got.forEach((v, f) => expect(v).toBeCloseTo(want[t][f], 12));
        else expect(got).toEqual([0, 0, 0, 0]);
      }
    }
  });

  it.each([2, 3])('window %i: conv → max-pool gradients match finite differences; dx = 0 at padding', (w) => {
    const C = 2, F = 3, T = 4, lengths = Int32Array.from([4, 1, 3, 0]), B = 4;
    const rng = new Rng(50 + w);
    const conv = new Conv1d('conv', C, F, w, rng);
    const pool = new MaxPoolTime();
    randomizeParams(conv.params(), rng);
    const xT = inputTarget('x', randomBuf(T * B * C, rng));
    const pr = projection(B * F, 4), py = projection(T * B * F, 5);
    const run = () => {
      const c = conv.forward(xT.value, T, B, lengths);
      const p = pool.forward(c.y, T, B, F, lengths);
      return { c, p };
    };
    const res = gradCheck({
      targets: [...paramTargets(conv.params()), xT],
      loss: () => { const { c, p } = run(); return pr.loss(p.y) + py.loss(c.y); },
      backward: () => {
        const { c, p } = run();
        const g = p.backward(pr.r);
        const d = Float64Array.from(g);
        for (let i = 0; i < d.length; i++) d[i] += py.r[i];
        xT.accumulate(c.backward(d as unknown as Buf));
      },
    });
    expectGradsOk(res, 1e-6, `Conv1d w=${w} + MaxPoolTime`);
    const { c } = run();
    const dx = c.backward(py.r);
    for (let b = 0; b < B; b++) for (let t = lengths[b]; t < T; t++) expect(rowOf(dx, t, B, b, C)).toEqual([0, 0]);
  });

  it('max-pool: the max over real steps only; 0 for an empty sequence', () => {
    const pool = new MaxPoolTime();
    // T = 3, B = 2, F = 1: sequence 0 = [1, 5, 9→padding], sequence 1 empty (its rows hold 7)
    const x = Float64Array.from([1, 7, 5, 7, 9, 7]) as unknown as Buf;
    const o = pool.forward(x, 3, 2, 1, Int32Array.from([2, 0]));
    expect(Array.from(o.y)).toEqual([5, 0]);
    expect(Array.from(o.backward(Float64Array.from([2, 3]) as unknown as Buf))).toEqual([0, 0, 2, 0, 0, 0]);
  });
});

describe('CharEncoder (float64)', () => {
  useFloat64();

  const LSTM: CharEncoderOptions = { kind: 'lstm', charVocabSize: 9, charDim: 3, hiddenSize: 2 };
  const CNN: CharEncoderOptions = { kind: 'cnn', charVocabSize: 9, charDim: 3, filters: 4, window: 3 };

  it('parameter counts (closed form), names, config round trip', () => {
    const l = new CharEncoder('chars', LSTM, new Rng(1));
    expect(l.outputSize).toBe(4);
    expect(sumParams(l.params())).toBe(9 * 3 + 2 * 4 * 2 * (3 + 2 + 1));
    expect(l.params().map((p) => p.name)).toEqual([
      'chars.emb.weight', 'chars.rnn.fwd.Wx', 'chars.rnn.fwd.Wa', 'chars.rnn.fwd.b', 'chars.rnn.bwd.Wx', 'chars.rnn.bwd.Wa', 'chars.rnn.bwd.b',
    ]);
    const c = new CharEncoder('chars', CNN, new Rng(1));
    expect(c.outputSize).toBe(4);
    expect(sumParams(c.params())).toBe(9 * 3 + (3 * 3 + 1) * 4);
    for (const e of [l, c]) {
      const cfg = e.getConfig();
      expect(JSON.parse(JSON.stringify(cfg))).toEqual(cfg);
      expect(CharEncoder.fromConfig(cfg, new Rng(3)).getConfig()).toEqual(cfg);
    }
  });

  it('lstm: each word gets [final forward state, final backward state] of its own chars; duplicates and order do not matter', () => {
    const rng = new Rng(61);
    const enc = new CharEncoder('chars', LSTM, rng);
    randomizeParams(enc.params(), rng);
    const ws = words([1, 2, 3], [4], [5, 6, 7, 8, 1], [1, 2, 3], []);
    const y = Float64Array.from(enc.forward(ws).y);
    const E = 3, H = 2;
    const table = enc.embedding.weight.value;
    const wOf = (c: { Wx: { value: Buf }; Wa: { value: Buf }; b: { value: Buf } }) => ({ Wx: c.Wx.value, Wa: c.Wa.value, b: c.b.value, D: E, H, G: 4 });
    ws.forEach((w, i) => {
      const xs = Array.from(w, (id) => Array.from(table.subarray(id * E, id * E + E)));
      const f = refRun('lstm', wOf(enc.rnn!.fwd.cell), xs, false);
      const r = refRun('lstm', wOf(enc.rnn!.bwd.cell), xs, true);
      [...f.a, ...r.a].forEach((v, j) => expect(y[i * 4 + j]).toBeCloseTo(v, 12));
    });
    expect(Array.from(y.subarray(16, 20))).toEqual([0, 0, 0, 0]); // empty word
    const swapped = enc.forward(words([5, 6, 7, 8, 1], [1, 2, 3])).y;
    expect(Array.from(swapped.subarray(0, 4))).toEqual(Array.from(y.subarray(8, 12)));
    expect(Array.from(swapped.subarray(4, 8))).toEqual(Array.from(y.subarray(0, 4)));
  });

  it('cnn: each word gets tanh(max over its chars of the convolution)', () => {
    const rng = new Rng(62);
    const enc = new CharEncoder('chars', CNN, rng);
    randomizeParams(enc.params(), rng);
    const ws = words([3, 1, 4, 1, 5], [2], [6, 7]);
    const y = enc.forward(ws).y;
    const E = 3, table = enc.embedding.weight.value;
    ws.forEach((w, i) => {
      const conv = naiveConv(enc.conv!, Array.from(w, (id) => Array.from(table.subarray(id * E, id * E + E))));
      for (let f = 0; f < 4; f++) expect(y[i * 4 + f]).toBeCloseTo(Math.tanh(Math.max(...conv.map((r) => r[f]))), 12);
    });
  });

  it.each([
    ['lstm', LSTM], ['gru', { ...LSTM, cell: 'gru' }],
    ['cnn tanh', CNN], ['cnn relu, window 2', { ...CNN, activation: 'relu', window: 2 }], ['cnn linear', { ...CNN, activation: 'linear' }],
  ] as [string, CharEncoderOptions][])('%s: gradients (embedding table and encoder weights) match finite differences', (label, opts) => {
    const rng = new Rng(70);
    const enc = new CharEncoder('chars', opts, rng);
    randomizeParams(enc.params(), rng);
    // different lengths, a repeated word (gradients add up), a one-char word
    const ws = words([1, 2, 3, 4], [5], [6, 7], [1, 2, 3, 4], [8, 2, 6]);
    const p = projection(ws.length * enc.outputSize, 9);
    const res = gradCheck({
      targets: paramTargets(enc.params()),
      loss: () => p.loss(enc.forward(ws).y),
      backward: () => enc.forward(ws, { training: true }).backward(p.r),
    });
    expectGradsOk(res, 1e-6, `CharEncoder ${label}`);
    // the padding row (id 0) never gets a gradient
    expect(Array.from(enc.embedding.weight.grad.subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('an empty batch gives an empty output', () => {
    for (const o of [LSTM, CNN]) {
      const enc = new CharEncoder('chars', o, new Rng(1));
      const out = enc.forward([]);
      expect(out.y.length).toBe(0);
      out.backward(out.y);
    }
  });
});
