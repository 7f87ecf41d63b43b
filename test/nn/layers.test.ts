import { describe, expect, it } from 'vitest';
import { Rng, zeros, fromArray, type Buf } from '../../src/tensor/index.js';
import { Embedding } from '../../src/nn/embedding.js';
import { Dense } from '../../src/nn/dense.js';
import { Dropout } from '../../src/nn/dropout.js';
import { OneHotDense } from '../../src/nn/onehot.js';
import {
  SoftmaxCrossEntropy, softmaxCrossEntropy, maskFromLengths, softmaxProbs, argmaxRows,
} from '../../src/nn/loss.js';
import { Adam, clipGlobalNorm, zeroGrad } from '../../src/nn/optim/index.js';
import { activeKernels, useJs, useWasm } from '../../src/tensor/backend.js';
import { gradCheck, useFloat64, projection, randomBuf } from '../helpers/gradcheck.js';

const TOL = 1e-6;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function addInto(dst: Buf, src: Buf): void {
  for (let i = 0; i < dst.length; i++) dst[i] += src[i];
}

/** Max error per target, printed so the numbers can be quoted; asserted below TOL. */
function expectGradsOk(results: { name: string; maxError: number; checked: number }[]): void {
  for (const r of results) {
    console.log(`gradcheck ${r.name}: max rel error ${r.maxError.toExponential(2)} over ${r.checked}`);
    expect(r.checked).toBeGreaterThan(0);
    expect(r.maxError).toBeLessThan(TOL);
  }
}

describe('gradient checks (float64)', () => {
  useFloat64();

  it('Embedding, with repeated ids in the batch', () => {
    const rng = new Rng(1);
    const emb = new Embedding('t.emb', 7, 4, rng);
    const ids = Int32Array.from([2, 5, 2, 0, 6, 2]);
    const proj = projection(ids.length * 4);
    const res = gradCheck({
      targets: [emb.weight],
      loss: () => proj.loss(emb.forward(ids).y),
      backward: () => emb.forward(ids).backward(proj.r),
    });
    expectGradsOk(res);
    expect([...emb.weight.sparseRows!].sort()).toEqual([0, 2, 5, 6]);
    // rows never used have exactly zero gradient; row 2 got three contributions
    for (const r of [1, 3, 4]) for (let j = 0; j < 4; j++) expect(emb.weight.grad[r * 4 + j]).toBe(0);
    for (let j = 0; j < 4; j++) {
      expect(emb.weight.grad[2 * 4 + j]).toBeCloseTo(proj.r[0 * 4 + j] + proj.r[2 * 4 + j] + proj.r[5 * 4 + j], 12);
    }
  });

  it('Embedding paddingIdx: zero row, no gradient; frozen: no gradient', () => {
    const emb = new Embedding('t.emb', 5, 3, new Rng(2), { paddingIdx: 0 });
    for (let j = 0; j < 3; j++) expect(emb.weight.value[j]).toBe(0);
    const ids = Int32Array.from([0, 3, 0]);
    const out = emb.forward(ids);
    expect(Array.from(out.y.subarray(0, 3))).toEqual([0, 0, 0]);
    out.backward(fromArray([1, 1, 1, 2, 2, 2, 3, 3, 3]));
    expect([...emb.weight.sparseRows!]).toEqual([3]);
    expect(Array.from(emb.weight.grad.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(emb.weight.grad.subarray(9, 12))).toEqual([2, 2, 2]);

    const frozen = new Embedding('t.frozen', 5, 3, new Rng(2), { frozen: true });
    frozen.forward(ids).backward(fromArray([1, 1, 1, 2, 2, 2, 3, 3, 3]));
    expect(frozen.weight.sparseRows!.size).toBe(0);
    expect(Array.from(frozen.weight.grad).every((g) => g === 0)).toBe(true);
  });

  it('OneHotDense', () => {
    const layer = new OneHotDense('t.oh', 6, 3, new Rng(3));
    const rng = new Rng(4);
    for (let j = 0; j < 3; j++) layer.bias!.value[j] = rng.uniform(-1, 1);
    const ids = Int32Array.from([1, 4, 1, 5]);
    const proj = projection(ids.length * 3);
    expectGradsOk(gradCheck({
      targets: layer.params(),
      loss: () => proj.loss(layer.forward(ids).y),
      backward: () => layer.forward(ids).backward(proj.r),
    }));
  });

  it('Dense: weight, bias and input', () => {
    const rng = new Rng(5);
    const N = 5, D = 4, O = 3;
    const dense = new Dense('t.dense', D, O, rng);
    for (let j = 0; j < O; j++) dense.bias!.value[j] = rng.uniform(-1, 1);
    const x = { name: 'x', value: randomBuf(N * D, rng), grad: zeros(N * D) };
    const proj = projection(N * O);
    expectGradsOk(gradCheck({
      targets: [...dense.params(), x],
      loss: () => proj.loss(dense.forward(x.value, N).y),
      backward: () => addInto(x.grad, dense.forward(x.value, N).backward(proj.r)),
    }));
  });

  it('Dropout with a fixed mask', () => {
    const rng = new Rng(6);
    const drop = new Dropout(0.4, new Rng(7));
    const n = 24;
    const x = { name: 'x', value: randomBuf(n, rng), grad: zeros(n) };
    const saved = drop.rng.getState();
    const proj = projection(n);
    const fwd = () => {
      drop.rng.setState(saved); // same mask every call
      return drop.forward(x.value, n, true);
    };
    expectGradsOk(gradCheck({
      targets: [x],
      loss: () => proj.loss(fwd().y),
      backward: () => addInto(x.grad, fwd().backward(proj.r)),
    }));
    // dx is dy on kept elements (scaled) and 0 on dropped ones
    const y = fwd().y;
    let dropped = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] === 0) { dropped++; expect(x.grad[i]).toBe(0); }
      else expect(y[i]).toBeCloseTo(x.value[i] / 0.6, 12);
    }
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(n);
  });

  it('variational Dropout with a fixed mask', () => {
    const T = 4, B = 3, D = 5, n = T * B * D;
    const drop = new Dropout(0.5, new Rng(9));
    const x = { name: 'x', value: randomBuf(n, new Rng(8)), grad: zeros(n) };
    const saved = drop.rng.getState();
    const fwd = () => { drop.rng.setState(saved); return drop.forwardShared(x.value, T, B, D, true); };
    const proj = projection(n);
    expectGradsOk(gradCheck({
      targets: [x],
      loss: () => proj.loss(fwd().y),
      backward: () => addInto(x.grad, fwd().backward(proj.r)),
    }));
  });

  it('masked softmax cross-entropy, different lengths per sequence', () => {
    const rng = new Rng(8);
    const T = 4, B = 3, K = 5;
    const lengths = Int32Array.from([4, 2, 1]);
    const logits = { name: 'logits', value: randomBuf(T * B * K, rng, -3, 3), grad: zeros(T * B * K) };
    const gold = new Int32Array(T * B).fill(-1);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) if (t < lengths[b]) gold[t * B + b] = rng.int(K);
    const ce = new SoftmaxCrossEntropy();
    const mask = { lengths, T };
    expectGradsOk(gradCheck({
      targets: [logits],
      loss: () => ce.compute(logits.value, gold, K, mask).loss,
      backward: () => addInto(logits.grad, ce.compute(logits.value, gold, K, mask).dlogits),
    }));
    // masked rows: exactly zero gradient
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) for (let k = 0; k < K; k++) expect(logits.grad[(t * B + b) * K + k]).toBe(0);
    }
    // the value is the mean NLL over the 7 real tokens, by hand
    let sum = 0;
    for (let r = 0; r < T * B; r++) {
      if (gold[r] < 0) continue;
      let z = 0;
      for (let k = 0; k < K; k++) z += Math.exp(logits.value[r * K + k]);
      sum += Math.log(z) - logits.value[r * K + gold[r]];
    }
    const res = ce.compute(logits.value, gold, K, mask);
    expect(res.count).toBe(7);
    expect(res.loss).toBeCloseTo(sum / 7, 12);
    expect(res.sum).toBeCloseTo(sum, 12);
    // the explicit-mask form and the sum reduction agree
    const res2 = softmaxCrossEntropy(logits.value, gold, K, maskFromLengths(lengths, T), 'sum');
    expect(res2.sum).toBeCloseTo(sum, 12);
    expect(maxAbsDiff(res2.dlogits, Array.from(res.dlogits, (g) => g * 7))).toBeLessThan(1e-12);
  });

  it('Embedding → Dense → masked cross-entropy', () => {
    const rng = new Rng(9);
    const T = 3, B = 2, V = 6, D = 3, K = 4;
    const lengths = Int32Array.from([3, 2]);
    const emb = new Embedding('c.emb', V, D, rng, { paddingIdx: 0 });
    const dense = new Dense('c.out', D, K, rng);
    for (let j = 0; j < K; j++) dense.bias!.value[j] = rng.uniform(-1, 1);
    const ids = Int32Array.from([1, 3, 4, 3, 2, 0]); // (t=2, b=1) is padding
    const gold = Int32Array.from([0, 3, 1, 1, 2, -1]);
    const ce = new SoftmaxCrossEntropy();
    const mask = { lengths, T };
    const run = () => {
      const e = emb.forward(ids);
      const d = dense.forward(e.y, T * B);
      const l = ce.compute(d.y, gold, K, mask);
      return { l, back: () => e.backward(d.backward(l.dlogits)) };
    };
    expectGradsOk(gradCheck({
      targets: [...emb.params(), ...dense.params()],
      loss: () => run().l.loss,
      backward: () => run().back(),
    }));
    expect([...emb.weight.sparseRows!].sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('OneHotDense equals Dense on materialised one-hot vectors', () => {
  useFloat64();

  it('same init, same outputs, same parameter gradients', () => {
    const V = 7, D = 4, N = 6;
    const oh = new OneHotDense('a', V, D, new Rng(10));
    const dense = new Dense('b', V, D, new Rng(10));
    expect(maxAbsDiff(oh.weight.value, dense.weight.value)).toBe(0);
    const rng = new Rng(11);
    for (let j = 0; j < D; j++) oh.bias!.value[j] = dense.bias!.value[j] = rng.uniform(-1, 1);
    const ids = Int32Array.from([3, 0, 6, 3, 3, 1]);
    const onehot = zeros(N * V);
    for (let i = 0; i < N; i++) onehot[i * V + ids[i]] = 1;
    const a = oh.forward(ids), b = dense.forward(onehot, N);
    expect(maxAbsDiff(a.y, b.y)).toBeLessThan(1e-15);
    const dy = randomBuf(N * D, rng);
    a.backward(dy);
    b.backward(dy);
    expect(maxAbsDiff(oh.weight.grad, dense.weight.grad)).toBeLessThan(1e-15);
    expect(maxAbsDiff(oh.bias!.grad, dense.bias!.grad)).toBeLessThan(1e-15);
    expect([...oh.weight.sparseRows!].sort()).toEqual([0, 1, 3, 6]);
  });
});

describe('layer behaviour', () => {
  it('Embedding: lookup, setRow, range checks', () => {
    const emb = new Embedding('e', 4, 2, new Rng(1));
    emb.setRow(2, [0.5, -1]);
    const y = emb.forward(Int32Array.from([2, 2, 1])).y;
    expect(Array.from(y.subarray(0, 4))).toEqual([0.5, -1, 0.5, -1]);
    expect(Array.from(emb.row(1))).toEqual(Array.from(y.subarray(4, 6)));
    expect(() => emb.forward(Int32Array.from([4]))).toThrow(/id 4 is outside \[0, 4\)/);
    expect(() => emb.setRow(1, [1])).toThrow(/expected 2/);
    // default init: U(−√(3/D), √(3/D))
    const big = new Embedding('big', 200, 3, new Rng(2));
    const a = Math.sqrt(3 / 3);
    expect(Array.from(big.weight.value).every((v) => Math.abs(v) <= a)).toBe(true);
  });

  it('a stale backward (after a later forward of the same instance) throws', () => {
    const dense = new Dense('d', 2, 2, new Rng(1));
    const x = fromArray([1, 2]);
    const first = dense.forward(x, 1);
    dense.forward(x, 1);
    expect(() => first.backward(fromArray([1, 1]))).toThrow(/later forward/);
    const drop = new Dropout(0.5, new Rng(1));
    const d1 = drop.forward(x, 2, true);
    drop.forward(x, 2, true);
    expect(() => d1.backward(x)).toThrow(/later forward/);
  });

  it('variational Dropout: one mask per sequence and feature, the same at every step', () => {
    const T = 5, B = 3, D = 4, n = T * B * D;
    const rng = new Rng(8);
    const drop = new Dropout(0.5, new Rng(9));
    const x = { name: 'x', value: randomBuf(n, rng), grad: zeros(n) };
    const saved = drop.rng.getState();
    const fwd = () => { drop.rng.setState(saved); return drop.forwardShared(x.value, T, B, D, true); };
    const y = fwd().y;
    // The mask is the B·D numbers the Rng draws next, row b by row b.
    const r = new Rng(0); r.setState(saved);
    const mask = Array.from({ length: B * D }, () => (r.float() < 0.5 ? 0 : 2));
    expect(drop.rng.getState()).toEqual(r.getState());
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let j = 0; j < D; j++) {
      const i = (t * B + b) * D + j;
      expect(y[i]).toBe(Math.fround(x.value[i] * mask[b * D + j]));
    }
    expect(mask.some((m) => m === 0) && mask.some((m) => m !== 0)).toBe(true);
    const dx = fwd().backward(zeros(n).fill(1));
    for (let i = 0; i < n; i++) expect(dx[i]).toBe(mask[Math.floor(i / D) % B * D + (i % D)]);
    const inf = drop.forwardShared(x.value, T, B, D, false);
    expect(inf.y).toBe(x.value);
  });

  it('Dropout: identity (same buffer) at inference, keep rate and mean in training, reproducible', () => {
    const x = zeros(20000).fill(1);
    const drop = new Dropout(0.3, new Rng(3));
    const inf = drop.forward(x, x.length, false);
    expect(inf.y).toBe(x);
    const dy = zeros(4);
    expect(inf.backward(dy)).toBe(dy);
    const y = drop.forward(x, x.length, true).y;
    let kept = 0, mean = 0;
    for (let i = 0; i < y.length; i++) { if (y[i] !== 0) kept++; mean += y[i]; }
    expect(kept / y.length).toBeGreaterThan(0.68);
    expect(kept / y.length).toBeLessThan(0.72);
    expect(mean / y.length).toBeGreaterThan(0.97);
    expect(mean / y.length).toBeLessThan(1.03);
    const a = Array.from(new Dropout(0.5, new Rng(4)).forward(x, 50, true).y);
    const b = Array.from(new Dropout(0.5, new Rng(4)).forward(x, 50, true).y);
    expect(a).toEqual(b);
    expect(() => new Dropout(1, new Rng(1))).toThrow(/\[0, 1\)/);
  });

  it('cross-entropy is stable for huge logits and handles an all-padding batch', () => {
    const K = 3;
    const logits = fromArray([1000, 0, -1000, -1000, 1000, 0]);
    const res = softmaxCrossEntropy(logits, Int32Array.from([0, 0]), K, Uint8Array.from([1, 1]));
    expect(res.sum).toBeCloseTo(0 + 2000, 6);
    expect(Array.from(res.dlogits).every(Number.isFinite)).toBe(true);
    const none = softmaxCrossEntropy(logits, Int32Array.from([-1, -1]), K, Uint8Array.from([0, 0]));
    expect(none.loss).toBe(0);
    expect(none.count).toBe(0);
    expect(Array.from(none.dlogits).every((g) => g === 0)).toBe(true);
    expect(() => softmaxCrossEntropy(logits, Int32Array.from([0, 3]), K, Uint8Array.from([1, 1]))).toThrow(/gold id 3/);
    const p = softmaxProbs(logits, 2, K);
    expect(p[0]).toBe(1);
    expect(p[4]).toBe(1);
    expect(Array.from(argmaxRows(fromArray([0.1, 0.7, 0.2, 0.5, 0.5, 0]), 2, 3))).toEqual([1, 0]);
  });

  it('config round trip re-creates the same layers', () => {
    const e = new Embedding('e', 5, 3, new Rng(1), { paddingIdx: 1, init: 'normal' });
    const e2 = Embedding.fromConfig(JSON.parse(JSON.stringify(e.getConfig())), new Rng(1));
    expect(Array.from(e2.weight.value)).toEqual(Array.from(e.weight.value));
    expect(e2.getConfig()).toEqual(e.getConfig());
    const d = new Dense('d', 3, 2, new Rng(2), { bias: false });
    const d2 = Dense.fromConfig(JSON.parse(JSON.stringify(d.getConfig())), new Rng(2));
    expect(d2.params().map((p) => p.name)).toEqual(['d.weight']);
    expect(Array.from(d2.weight.value)).toEqual(Array.from(d.weight.value));
    const o = new OneHotDense('o', 4, 2, new Rng(3));
    expect(OneHotDense.fromConfig(o.getConfig(), new Rng(3)).getConfig()).toEqual(o.getConfig());
    expect(Dropout.fromConfig(new Dropout(0.25, new Rng(1)).getConfig(), new Rng(1)).rate).toBe(0.25);
  });

  it('reuses its output buffers across calls of the same size (no per-step allocation)', () => {
    const dense = new Dense('d', 3, 2, new Rng(1));
    const x = zeros(3 * 8);
    const y1 = dense.forward(x, 8).y;
    const y2 = dense.forward(x, 8).y;
    expect(y2.buffer).toBe(y1.buffer);
    const y3 = dense.forward(x, 5).y;
    expect(y3.buffer).toBe(y1.buffer);
    expect(y3.length).toBe(10);
  });
});

describe('WASM backend', () => {
  it('Embedding → Dropout → Dense → cross-entropy → Adam agree with the JS backend', () => {
    const T = 5, B = 3, V = 40, D = 16, K = 7;
    const lengths = Int32Array.from([5, 3, 1]);
    const run = () => {
      const rng = new Rng(12);
      const emb = new Embedding('w.emb', V, D, rng, { paddingIdx: 0 });
      const drop = new Dropout(0.25, new Rng(13));
      const out = new Dense('w.out', D, K, rng);
      const params = [...emb.params(), ...out.params()];
      const opt = new Adam(params, { lr: 0.01 });
      const ce = new SoftmaxCrossEntropy();
      const ids = new Int32Array(T * B), gold = new Int32Array(T * B).fill(-1);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
        if (t < lengths[b]) { ids[t * B + b] = 1 + rng.int(V - 1); gold[t * B + b] = rng.int(K); }
      }
      const losses: number[] = [];
      let inHeap = false;
      for (let step = 0; step < 3; step++) {
        zeroGrad(params);
        const e = emb.forward(ids);
        const d = drop.forward(e.y, T * B * D, true);
        const o = out.forward(d.y, T * B);
        const l = ce.compute(o.y, gold, K, { lengths, T });
        e.backward(d.backward(o.backward(l.dlogits)));
        clipGlobalNorm(params, 5);
        opt.step();
        losses.push(l.loss);
        const heap = activeKernels()?.heap;
        inHeap = heap !== undefined && [e.y, d.y, o.y, l.dlogits, emb.weight.value].every((b) => heap.contains(b));
      }
      return { losses, inHeap, values: params.map((p) => Array.from(p.value)) };
    };
    useJs();
    const js = run();
    useWasm();
    let wasm: ReturnType<typeof run>;
    try {
      wasm = run();
    } finally {
      useJs();
    }
    expect(js.inHeap).toBe(false);
    expect(wasm.inHeap).toBe(true); // the layers' buffers really live in the wasm heap
    wasm.losses.forEach((l, i) => expect(Math.abs(l - js.losses[i])).toBeLessThan(1e-5));
    wasm.values.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - js.values[i][j])).toBeLessThan(1e-4)));
  });
});
