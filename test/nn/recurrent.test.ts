/**
 * Recurrent (time loop, masks, BPTT) with every cell, both directions; Bidirectional; Stack.
 * Float64 gradient checks; batches mix sequence lengths (unsorted, with an empty sequence).
 * Last: float32 under the WASM backend agrees with the JS reference.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { zeros, Rng, type Buf } from '../../src/tensor/index.js';
import { Recurrent } from '../../src/nn/recurrent.js';
import { Bidirectional } from '../../src/nn/bidirectional.js';
import { Stack } from '../../src/nn/stack.js';
import { useJs, useWasm } from '../../src/tensor/backend.js';
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

describe('Bidirectional (float64)', () => {
  useFloat64();

  it.each(KINDS)('%s: y = [forward run, reverse run] per sequence; halves match the equations', (kind) => {
    const D = 3, H = 2, T = 5;
    const lengths = Int32Array.from([2, 5, 3]);
    const B = 3;
    const rng = new Rng(21);
    const bi = new Bidirectional('bi', kind, D, H, rng);
    randomizeParams(bi.params(), rng);
    expect(bi.outputSize).toBe(2 * H);
    expect(sumParams(bi.params())).toBe(2 * gatesOf(kind) * H * (D + H + 1));
    expect(bi.params().map((p) => p.name)).toEqual(['bi.fwd.Wx', 'bi.fwd.Wa', 'bi.fwd.b', 'bi.bwd.Wx', 'bi.bwd.Wa', 'bi.bwd.b']);
    const x = randomBuf(T * B * D, rng);
    const out = bi.forward(x, T, B, lengths);
    expect(out.y.length).toBe(T * B * 2 * H);
    const wOf = (r: Recurrent) => ({ Wx: r.cell.Wx.value, Wa: r.cell.Wa.value, b: r.cell.b.value, D, H, G: r.cell.gates });
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      const f = refRun(kind, wOf(bi.fwd), seqOf(x, B, D, b, L), false);
      const r = refRun(kind, wOf(bi.bwd), seqOf(x, B, D, b, L), true);
      for (let t = 0; t < T; t++) {
        const row = rowOf(out.y, t, B, b, 2 * H);
        const want = t < L ? [...f.ys[t], ...r.ys[t]] : new Array(2 * H).fill(0);
        row.forEach((v, j) => expect(v).toBeCloseTo(want[j], 12));
      }
      Array.from(out.final.fwd.a.subarray(b * H, b * H + H)).forEach((v, j) => expect(v).toBeCloseTo(f.a[j], 12));
      Array.from(out.final.bwd.a.subarray(b * H, b * H + H)).forEach((v, j) => expect(v).toBeCloseTo(r.a[j], 12));
    }
  });

  it.each(KINDS)('%s: gradients (both directions, x, final states) match finite differences', (kind) => {
    const D = 3, H = 2, T = 4;
    const lengths = Int32Array.from([4, 1, 0, 3]);
    const B = 4;
    const rng = new Rng(23);
    const bi = new Bidirectional('bi', kind, D, H, rng);
    randomizeParams(bi.params(), rng);
    const xT = inputTarget('x', randomBuf(T * B * D, rng));
    const py = projection(T * B * 2 * H, 1), pf = projection(B * H, 2), pb = projection(B * H, 3);
    const res = gradCheck({
      targets: [...paramTargets(bi.params()), xT],
      loss: () => {
        const o = bi.forward(xT.value, T, B, lengths);
        return py.loss(o.y) + pf.loss(o.final.fwd.a) + pb.loss(o.final.bwd.a);
      },
      backward: () => {
        const o = bi.forward(xT.value, T, B, lengths);
        xT.accumulate(o.backward(py.r, { fwd: { a: pf.r }, bwd: { a: pb.r } }));
      },
    });
    expectGradsOk(res, 1e-6, `Bidirectional ${kind}`);
    const o = bi.forward(xT.value, T, B, lengths);
    const dx = o.backward(py.r);
    for (let b = 0; b < B; b++) for (let t = lengths[b]; t < T; t++) expect(rowOf(dx, t, B, b, D)).toEqual([0, 0, 0]);
  });
});

describe('Stack (float64)', () => {
  useFloat64();

  it('closed-form parameter count, names, config round trip', () => {
    const D = 5, H = 4;
    for (const kind of KINDS) {
      const G = gatesOf(kind);
      const bi = new Stack('enc', { cell: kind, inputSize: D, hiddenSize: H, numLayers: 3, bidirectional: true, dropout: 0.5 }, new Rng(1));
      expect(sumParams(bi.params())).toBe(2 * G * H * (D + H + 1) + 2 * 2 * G * H * (2 * H + H + 1));
      expect(bi.outputSize).toBe(2 * H);
      expect(bi.params()[0].name).toBe('enc.l0.fwd.Wx');
      expect(bi.params().at(-1)!.name).toBe('enc.l2.bwd.b');
      const uni = new Stack('enc', { cell: kind, inputSize: D, hiddenSize: H, numLayers: 2, bidirectional: false }, new Rng(1));
      expect(sumParams(uni.params())).toBe(G * H * (D + H + 1) + G * H * (H + H + 1));
      expect(uni.params().map((p) => p.name)).toEqual(['enc.l0.Wx', 'enc.l0.Wa', 'enc.l0.b', 'enc.l1.Wx', 'enc.l1.Wa', 'enc.l1.b']);
      const cfg = bi.getConfig();
      expect(JSON.parse(JSON.stringify(cfg))).toEqual(cfg);
      expect(Stack.fromConfig(cfg, new Rng(2)).getConfig()).toEqual(cfg);
    }
    expect(() => new Stack('s', { cell: 'lstm', inputSize: 2, hiddenSize: 2, numLayers: 0, bidirectional: true }, new Rng(1))).toThrow(/numLayers/);
  });

  it('config round trip: a stack rebuilt from its JSON config, weights copied by name, computes the same', () => {
    const D = 3, H = 2, T = 4, lengths = Int32Array.from([4, 2]), B = 2;
    const st = new Stack('enc', { cell: 'lstm', inputSize: D, hiddenSize: H, numLayers: 2, bidirectional: true, dropout: 0.3 }, new Rng(1));
    const copy = Stack.fromConfig(JSON.parse(JSON.stringify(st.getConfig())), new Rng(77));
    const byName = new Map(st.params().map((p) => [p.name, p]));
    for (const p of copy.params()) p.value.set(byName.get(p.name)!.value);
    const x = randomBuf(T * B * D, new Rng(3));
    expect(Array.from(copy.forward(x, T, B, lengths).y)).toEqual(Array.from(st.forward(x, T, B, lengths).y));
  });

  it('layer l+1 reads layer l output; no dropout at inference', () => {
    const D = 3, H = 2, T = 3, lengths = Int32Array.from([3, 1]), B = 2;
    const rng = new Rng(31);
    const st = new Stack('s', { cell: 'gru', inputSize: D, hiddenSize: H, numLayers: 2, bidirectional: true, dropout: 0.5 }, rng);
    const x = randomBuf(T * B * D, rng);
    const y = Float64Array.from(st.forward(x, T, B, lengths, { training: false }).y);
    const l0 = st.layers[0].forward(x, T, B, lengths).y;
    const l1 = st.layers[1].forward(Float64Array.from(l0) as unknown as Buf, T, B, lengths).y;
    expect(Array.from(y)).toEqual(Array.from(l1));
    // in training, dropout changes the result
    const yt = st.forward(x, T, B, lengths, { training: true }).y;
    expect(Array.from(yt)).not.toEqual(Array.from(y));
  });

  it.each([
    ['lstm', true, 0.4], ['gru', false, 0], ['rnn', true, 0.25],
  ] as [CellKind, boolean, number][])('%s bidirectional=%s dropout=%s: 2-layer gradients match finite differences (fixed mask)', (kind, bidir, rate) => {
    const D = 3, H = 2, T = 4;
    const lengths = Int32Array.from([3, 4, 1]);
    const B = 3;
    const rng = new Rng(41);
    const dropRng = new Rng(99);
    const st = new Stack('s', { cell: kind, inputSize: D, hiddenSize: H, numLayers: 2, bidirectional: bidir, dropout: rate }, rng, dropRng);
    randomizeParams(st.params(), rng);
    const saved = dropRng.getState();
    const xT = inputTarget('x', randomBuf(T * B * D, rng));
    const py = projection(T * B * st.outputSize, 1);
    const run = () => { dropRng.setState(saved); return st.forward(xT.value, T, B, lengths, { training: true }); };
    const res = gradCheck({
      targets: [...paramTargets(st.params()), xT],
      loss: () => py.loss(run().y),
      backward: () => { xT.accumulate(run().backward(py.r)); },
    });
    expectGradsOk(res, 1e-6, `Stack ${kind} bi=${bidir} p=${rate}`);
  });
});

describe('float32 under the WASM backend', () => {
  afterAll(() => useJs());

  it.each(KINDS)('%s: a bidirectional 2-layer stack gives the JS results (heap buffers, fused kernels)', (kind) => {
    const D = 7, H = 9, T = 6;
    const lengths = Int32Array.from([6, 2, 5, 0, 6]);
    const B = lengths.length;
    const run = () => {
      const rng = new Rng(5);
      const st = new Stack('s', { cell: kind, inputSize: D, hiddenSize: H, numLayers: 2, bidirectional: true }, rng);
      const x = randomBuf(T * B * D, rng);
      const dy = randomBuf(T * B * 2 * H, rng);
      const o = st.forward(x, T, B, lengths);
      const y = Array.from(o.y);
      const dx = Array.from(o.backward(dy));
      return { y, dx, grads: st.params().map((p) => Array.from(p.grad)) };
    };
    useJs();
    const js = run();
    useWasm();
    const wasm = run();
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(2e-4 * (1 + Math.abs(b[i]))));
    close(wasm.y, js.y);
    close(wasm.dx, js.dx);
    wasm.grads.forEach((g, i) => close(g, js.grads[i]));
  });
});

describe('LSTM one-call WASM time loops', () => {
  afterAll(() => useJs());

  it.each([false, true])('reverse=%s: initial state, dFinal, no dy, output stride: the JS loop\'s results', (reverse) => {
    const D = 5, H = 6, T = 7;
    const lengths = Int32Array.from([7, 0, 3, 7, 1]);
    const B = lengths.length;
    const run = (withDy: boolean) => {
      const rng = new Rng(9);
      const layer = Recurrent.create('lstm', 'r', D, H, rng, { reverse });
      const x = randomBuf(T * B * D, rng);
      const a0 = randomBuf(B * H, rng), c0 = randomBuf(B * H, rng);
      const ld = H + 3;
      const out = zeros(T * B * ld);
      const o = layer.forward(x, T, B, lengths, { initialState: { a: a0, c: c0 }, output: { buf: out, ld } });
      const dy = withDy ? randomBuf(T * B * ld, rng) : null;
      const dFinal = { a: randomBuf(B * H, rng), c: randomBuf(B * H, rng) };
      const dx = Array.from(o.backward(dy, dFinal));
      const init = o.initialGrad();
      return {
        y: Array.from(out), final: [...Array.from(o.final.a), ...Array.from(o.final.c!)], dx,
        init: [...Array.from(init.a), ...Array.from(init.c!)], grads: layer.params().map((p) => Array.from(p.grad)),
      };
    };
    for (const withDy of [true, false]) {
      useJs();
      const js = run(withDy);
      useWasm();
      const wasm = run(withDy);
      const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(2e-4 * (1 + Math.abs(b[i]))));
      close(wasm.y, js.y);
      close(wasm.final, js.final);
      close(wasm.dx, js.dx);
      close(wasm.init, js.init);
      wasm.grads.forEach((g, i) => close(g, js.grads[i]));
    }
  });
});
