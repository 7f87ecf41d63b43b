/**
 * Recurrent (time loop, masks, BPTT) with every cell, both directions; Bidirectional; Stack.
 * Float64 throughout; batches mix sequence lengths (unsorted, with an empty sequence).
 */
import { describe, expect, it } from 'vitest';
import { zeros, Rng, type Buf } from '../../src/tensor/index.js';
import { Recurrent } from '../../src/nn/recurrent.js';
import { cellParamCount, gatesOf, type CellKind } from '../../src/nn/cells/index.js';
import { gradCheck, useFloat64, projection, randomBuf } from '../helpers/gradcheck.js';
import { refRun, rowOf } from '../helpers/recurrentRef.js';
import { inputTarget, paramTargets, expectGradsOk, randomizeParams, sumParams } from '../helpers/nnCheck.js';

const KINDS: CellKind[] = ['rnn', 'gru', 'lstm'];
const CASES = KINDS.flatMap((k) => [[k, false], [k, true]] as [CellKind, boolean][]);
const dirName = (rev: boolean) => (rev ? 'reverse' : 'forward');

/** Sequence b of a time-major x as a list of L vectors. */
function seqOf(x: Buf, B: number, D: number, b: number, L: number): number[][] {
  return Array.from({ length: L }, (_, t) => rowOf(x, t, B, b, D));
}

describe('Recurrent (float64)', () => {
  useFloat64();

  it.each(CASES)('%s %s: matches the equations run per sequence, padding stays zero', (kind, reverse) => {
    const D = 3, H = 4, T = 5;
    const lengths = Int32Array.from([3, 5, 0, 1, 4]);
    const B = lengths.length;
    const rng = new Rng(5);
    const layer = Recurrent.create(kind, 'r', D, H, rng, { reverse });
    randomizeParams(layer.params(), rng);
    const x = randomBuf(T * B * D, rng);
    const out = layer.forward(x, T, B, lengths);
    expect(out.y.length).toBe(T * B * H);
    const w = { Wx: layer.cell.Wx.value, Wa: layer.cell.Wa.value, b: layer.cell.b.value, D, H, G: layer.cell.gates };
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      const ref = refRun(kind, w, seqOf(x, B, D, b, L), reverse);
      for (let t = 0; t < T; t++) {
        const got = rowOf(out.y, t, B, b, H);
        if (t < L) got.forEach((v, j) => expect(v).toBeCloseTo(ref.ys[t][j], 12));
        else expect(got).toEqual(new Array(H).fill(0));
      }
      const fa = Array.from(out.final.a.subarray(b * H, b * H + H));
      fa.forEach((v, j) => expect(v).toBeCloseTo(ref.a[j], 12));
      if (out.final.c) Array.from(out.final.c.subarray(b * H, b * H + H)).forEach((v, j) => expect(v).toBeCloseTo(ref.c[j], 12));
    }
  });

  it.each(CASES)('%s %s: a sequence padded inside a batch gives exactly its output when run alone', (kind, reverse) => {
    const D = 3, H = 3, T = 6;
    const lengths = Int32Array.from([6, 2, 4]);
    const B = 3;
    const rng = new Rng(9);
    const layer = Recurrent.create(kind, 'r', D, H, rng, { reverse });
    const x = randomBuf(T * B * D, rng);
    // garbage in the padding must not matter
    for (let b = 0; b < B; b++) for (let t = lengths[b]; t < T; t++) for (let i = 0; i < D; i++) x[(t * B + b) * D + i] = 100 + t;
    const batch = layer.forward(x, T, B, lengths);
    const yB = Float64Array.from(batch.y);
    const finalB = Float64Array.from(batch.final.a);
    for (const b of [1, 2]) {
      const L = lengths[b];
      const alone = zeros(L * D);
      for (let t = 0; t < L; t++) for (let i = 0; i < D; i++) alone[t * D + i] = x[(t * B + b) * D + i];
      const one = layer.forward(alone, L, 1, Int32Array.from([L]));
      for (let t = 0; t < L; t++) for (let j = 0; j < H; j++) expect(yB[(t * B + b) * H + j]).toBe(one.y[t * H + j]);
      for (let j = 0; j < H; j++) expect(finalB[b * H + j]).toBe(one.final.a[j]);
    }
  });

  it.each(CASES)('%s %s: BPTT gradients (params, x, initial and final states) match finite differences', (kind, reverse) => {
    const D = 3, H = 3, T = 4;
    const lengths = Int32Array.from([2, 4, 0, 3]);
    const B = lengths.length;
    const rng = new Rng(11);
    const layer = Recurrent.create(kind, 'r', D, H, rng, { reverse });
    randomizeParams(layer.params(), rng);
    const xT = inputTarget('x', randomBuf(T * B * D, rng));
    const a0 = inputTarget('a0', randomBuf(B * H, rng));
    const c0 = inputTarget('c0', randomBuf(B * H, rng));
    const mem = layer.cell.hasMemory;
    const py = projection(T * B * H, 1), pa = projection(B * H, 2), pc = projection(B * H, 3);
    const run = () => layer.forward(xT.value, T, B, lengths, { initialState: { a: a0.value, c: mem ? c0.value : null } });
    const res = gradCheck({
      targets: [...paramTargets(layer.params()), xT, a0, ...(mem ? [c0] : [])],
      loss: () => {
        const o = run();
        return py.loss(o.y) + pa.loss(o.final.a) + (o.final.c ? pc.loss(o.final.c) : 0);
      },
      backward: () => {
        const o = run();
        // py.r is non-zero at padded positions too: those gradients must be ignored
        const dx = o.backward(py.r, { a: pa.r, c: mem ? pc.r : null });
        xT.accumulate(dx);
        const g0 = o.initialGrad();
        a0.accumulate(g0.a);
        if (g0.c) c0.accumulate(g0.c);
      },
    });
    expectGradsOk(res, 1e-6, `Recurrent ${kind} ${dirName(reverse)}`);
    // input gradient at padded steps is exactly zero
    const o = run();
    const dx = o.backward(py.r);
    for (let b = 0; b < B; b++) for (let t = lengths[b]; t < T; t++) expect(rowOf(dx, t, B, b, D)).toEqual([0, 0, 0]);
  });

  it('parameter count is the closed form; config is plain JSON', () => {
    for (const kind of KINDS) {
      const layer = Recurrent.create(kind, 'enc', 7, 5, new Rng(1), { reverse: true });
      expect(sumParams(layer.params())).toBe(cellParamCount(gatesOf(kind), 7, 5));
      const cfg = layer.getConfig();
      expect(JSON.parse(JSON.stringify(cfg))).toEqual(cfg);
      const again = Recurrent.fromConfig(cfg, new Rng(2));
      expect(again.getConfig()).toEqual(cfg);
    }
  });

  it('reuses its buffers: a smaller batch after a larger one gives the same result as a fresh layer', () => {
    const D = 2, H = 3;
    const big = Recurrent.create('lstm', 'r', D, H, new Rng(4));
    const fresh = Recurrent.create('lstm', 'r', D, H, new Rng(4));
    const rng = new Rng(8);
    big.forward(randomBuf(7 * 5 * D, rng, -50, 50), 7, 5, Int32Array.from([7, 7, 3, 1, 7])).backward(randomBuf(7 * 5 * H, rng));
    const x = randomBuf(3 * 2 * D, rng);
    const len = Int32Array.from([1, 3]);
    const dy = randomBuf(3 * 2 * H, rng);
    for (const p of [...big.params(), ...fresh.params()]) p.grad.fill(0);
    const a = big.forward(x, 3, 2, len), b = fresh.forward(x, 3, 2, len);
    expect(Array.from(a.y)).toEqual(Array.from(b.y));
    expect(Array.from(a.backward(dy))).toEqual(Array.from(b.backward(dy)));
    big.params().forEach((p, i) => expect(Array.from(p.grad)).toEqual(Array.from(fresh.params()[i].grad)));
  });

  it('refuses a stale or repeated backward, and bad lengths', () => {
    const layer = Recurrent.create('gru', 'r', 2, 2, new Rng(1));
    const x = zeros(2 * 1 * 2);
    const o1 = layer.forward(x, 2, 1, Int32Array.from([2]));
    layer.forward(x, 2, 1, Int32Array.from([2]));
    expect(() => o1.backward(null)).toThrow(/stale/);
    const o3 = layer.forward(x, 2, 1, Int32Array.from([2]));
    o3.backward(null);
    expect(() => o3.backward(null)).toThrow(/twice/);
    expect(() => layer.forward(x, 2, 1, Int32Array.from([3]))).toThrow(/lengths/);
  });
});
