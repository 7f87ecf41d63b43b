import { describe, expect, it } from 'vitest';
import { Rng, zeros, fromArray, clone, type Buf } from '../../src/tensor/index.js';
import { makeParam, type Param } from '../../src/nn/param.js';
import { Embedding } from '../../src/nn/embedding.js';
import { Dense } from '../../src/nn/dense.js';
import { Dropout } from '../../src/nn/dropout.js';
import { SoftmaxCrossEntropy, argmaxRows } from '../../src/nn/loss.js';
import {
  SGD, Adam, zeroGrad, globalGradNorm, clipGlobalNorm, clipByValue, findNonFinite,
  constantLr, inverseTimeDecay, exponentialDecay, stepDecay, ReduceOnPlateau,
  type Optimizer, type OptimizerState,
} from '../../src/nn/optim/index.js';
import { packParams, unpackParams } from '../../src/nn/serialize.js';
import { useFloat64 } from '../helpers/gradcheck.js';

function param(name: string, values: number[], shape: number[] = [values.length]): Param {
  const p = makeParam(name, shape);
  p.value.set(values);
  return p;
}

describe('hand-computed steps (float64)', () => {
  useFloat64();
  const grads = [[0.5, 0.1], [0.2, -0.3]];

  function run(make: (ps: Param[]) => Optimizer): number[] {
    const p = param('w', [1, -2]);
    const opt = make([p]);
    for (const g of grads) {
      p.grad.set(g);
      opt.step();
    }
    return Array.from(p.value);
  }

  it('SGD with momentum and L2 weight decay', () => {
    // lr 0.1, μ 0.9, wd 0.01; w0 = [1, −2]
    // step 1: g = [0.5 + 0.01, 0.1 − 0.02] = [0.51, 0.08]; v = g; w = w0 − 0.1·v = [0.949, −2.008]
    // step 2: g = [0.2 + 0.00949, −0.3 − 0.02008] = [0.20949, −0.32008];
    //         v = 0.9·[0.51, 0.08] + g = [0.66849, −0.24808]; w = [0.882151, −1.983192]
    const w = run((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 }));
    expect(w[0]).toBeCloseTo(0.882151, 12);
    expect(w[1]).toBeCloseTo(-1.983192, 12);
  });

  it('SGD with Nesterov momentum', () => {
    // step 1: g = [0.51, 0.08]; v = g; w = w0 − 0.1·(g + 0.9·v) = [1 − 0.0969, −2 − 0.0152]
    // step 2: g = [0.2 + 0.009031, −0.3 − 0.020152]; v = 0.9·v1 + g = [0.668031, −0.248152];
    //         w = w1 − 0.1·(g + 0.9·v) = [0.82207411, −1.96085112]
    const w = run((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }));
    expect(w[0]).toBeCloseTo(0.82207411, 12);
    expect(w[1]).toBeCloseTo(-1.96085112, 12);
  });

  it('plain SGD is w − lr·g', () => {
    const w = run((ps) => new SGD(ps, { lr: 0.5 }));
    expect(w).toEqual([1 - 0.25 - 0.1, -2 - 0.05 + 0.15]);
  });

  it('Adam with bias correction and decoupled weight decay', () => {
    // lr 0.1, β 0.9/0.999, ε 1e-8, wd 0.1. Step 1: m̂ = g, v̂ = g², so the step is 0.1·g/(|g| + ε):
    //   w1 = w0·(1 − 0.01) − 0.1·sign(g)(1 − ε/|g|) = [0.890000002, −2.07999999]
    // Step 2: m = 0.9·m1 + 0.1·g, v = 0.999·v1 + 0.001·g², m̂ = m/0.19, v̂ = v/0.001999;
    //   w2 = w1·0.99 − 0.1·m̂/(√v̂ + ε) (evaluated with numpy in float64):
    const w = run((ps) => new Adam(ps, { lr: 0.1, weightDecay: 0.1 }));
    expect(w[0]).toBeCloseTo(0.7912424838829282, 12);
    expect(w[1]).toBeCloseTo(-2.009781008979935, 12);
  });

  it('Adam first step moves every coordinate by ≈ lr (scale invariance)', () => {
    const p = param('w', [0, 0, 0]);
    const opt = new Adam([p], { lr: 0.01 });
    p.grad.set([1e-4, -3, 250]);
    opt.step();
    // step = lr · g / (|g| + ε): ε only shows for tiny gradients
    expect(p.value[0]).toBeCloseTo(-0.01 * (1e-4 / (1e-4 + 1e-8)), 15);
    expect(p.value[1]).toBeCloseTo(0.01, 9);
    expect(p.value[2]).toBeCloseTo(-0.01, 9);
  });
});

describe('optimizers minimise a quadratic', () => {
  // f(w) = ½ Σ a_i (w_i − c_i)², an ill-conditioned bowl
  const a = [1, 10, 0.5, 4], c = [3, -1, 0.5, -2];
  const cases: [string, (ps: Param[]) => Optimizer, number][] = [
    ['SGD', (ps) => new SGD(ps, { lr: 0.09 }), 400],
    ['SGD momentum', (ps) => new SGD(ps, { lr: 0.02, momentum: 0.9 }), 400],
    ['SGD Nesterov', (ps) => new SGD(ps, { lr: 0.02, momentum: 0.9, nesterov: true }), 400],
    ['Adam', (ps) => new Adam(ps, { lr: 0.05 }), 1500],
  ];
  it.each(cases)('%s', (_n, make, steps) => {
    const p = param('w', [0, 0, 0, 0]);
    const opt = make([p]);
    const f = () => p.value.reduce((s, w, i) => s + 0.5 * a[i] * (w - c[i]) ** 2, 0);
    const f0 = f();
    for (let s = 0; s < steps; s++) {
      zeroGrad([p]);
      for (let i = 0; i < 4; i++) p.grad[i] = a[i] * (p.value[i] - c[i]);
      opt.step();
    }
    expect(f()).toBeLessThan(1e-6 * f0);
    for (let i = 0; i < 4; i++) expect(p.value[i]).toBeCloseTo(c[i], 3);
  });
});

describe('a tiny tagger learns (Embedding → Dense → masked cross-entropy)', () => {
  // tag of token id w is w mod 3; batches of 4 sequences, lengths 2…6, time-major, padded with 0
  const cases: [string, (ps: Param[]) => Optimizer, (epoch: number) => number][] = [
    ['Adam', (ps) => new Adam(ps, { lr: 0.05 }), constantLr(0.05)],
    ['SGD + inverse-time decay', (ps) => new SGD(ps, { lr: 0.5, momentum: 0.9 }), inverseTimeDecay(0.5, 0.05)],
  ];
  it.each(cases)('%s', (_n, makeOpt, schedule) => {
    const rng = new Rng(5);
    const emb = new Embedding('tiny.emb', 13, 8, rng, { paddingIdx: 0 });
    const out = new Dense('tiny.out', 8, 3, rng);
    const params = [...emb.params(), ...out.params()];
    const opt = makeOpt(params);
    const ce = new SoftmaxCrossEntropy();
    const data = new Rng(6);
    let last = { loss: Infinity, acc: 0 };
    for (let step = 0; step < 80; step++) {
      opt.lr = schedule(Math.floor(step / 10));
      const B = 4, lengths = Int32Array.from({ length: B }, () => 2 + data.int(5));
      const T = Math.max(...lengths);
      const ids = new Int32Array(T * B), gold = new Int32Array(T * B).fill(-1);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
        if (t < lengths[b]) { ids[t * B + b] = 1 + data.int(12); gold[t * B + b] = ids[t * B + b] % 3; }
      }
      zeroGrad(params);
      const e = emb.forward(ids);
      const o = out.forward(e.y, T * B);
      const l = ce.compute(o.y, gold, 3, { lengths, T });
      e.backward(o.backward(l.dlogits));
      opt.step();
      const pred = argmaxRows(o.y, T * B, 3);
      let right = 0;
      for (let r = 0; r < T * B; r++) if (gold[r] >= 0 && pred[r] === gold[r]) right++;
      if (step === 0) expect(l.loss).toBeGreaterThan(0.7);
      last = { loss: l.loss, acc: right / l.count };
    }
    expect(last.loss).toBeLessThan(0.05);
    expect(last.acc).toBe(1);
  });
});

describe('sparse (embedding) parameters', () => {
  function embStep(emb: Embedding, opt: Optimizer, ids: number[]): void {
    zeroGrad(opt.params);
    const out = emb.forward(Int32Array.from(ids));
    const dy = zeros(ids.length * emb.dim).fill(1);
    out.backward(dy);
    opt.step();
  }

  it('lazy Adam updates only the rows used, values and moments', () => {
    const emb = new Embedding('e', 10, 3, new Rng(1));
    const before = clone(emb.weight.value);
    const opt = new Adam(emb.params(), { lr: 0.1, weightDecay: 0.01 });
    embStep(emb, opt, [1, 3, 3]);
    const { buffers } = opt.getState();
    for (let r = 0; r < 10; r++) {
      const used = r === 1 || r === 3;
      for (let j = 0; j < 3; j++) {
        const i = r * 3 + j;
        expect(emb.weight.value[i] !== before[i]).toBe(used);
        expect(buffers['e.weight.m'][i] !== 0).toBe(used);
        expect(buffers['e.weight.v'][i] !== 0).toBe(used);
      }
    }
    // Next batch uses row 3 only: row 1 keeps value and moments although its momentum is non-zero
    const row1 = Array.from(emb.weight.value.subarray(3, 6));
    const m1 = Array.from(buffers['e.weight.m'].subarray(3, 6));
    embStep(emb, opt, [3]);
    expect(Array.from(emb.weight.value.subarray(3, 6))).toEqual(row1);
    expect(Array.from(buffers['e.weight.m'].subarray(3, 6))).toEqual(m1);
    // …whereas dense Adam (no sparseRows) would keep moving it
    const dense = param('d', Array.from(emb.weight.value), [10, 3]);
    const dOpt = new Adam([dense], { lr: 0.1 });
    dense.grad.fill(0).fill(1, 3, 6);
    dOpt.step();
    dense.grad.fill(0);
    const r1 = Array.from(dense.value.subarray(3, 6));
    dOpt.step();
    expect(Array.from(dense.value.subarray(3, 6))).not.toEqual(r1);
  });

  it('lazy SGD momentum and zeroGrad respect sparseRows; a frozen table never moves', () => {
    const emb = new Embedding('e', 6, 2, new Rng(2));
    const before = clone(emb.weight.value);
    const opt = new SGD(emb.params(), { lr: 0.1, momentum: 0.9 });
    embStep(emb, opt, [4]);
    for (let i = 0; i < 12; i++) expect(emb.weight.value[i] !== before[i]).toBe(i >= 8 && i < 10);
    zeroGrad(emb.params());
    expect(emb.weight.sparseRows!.size).toBe(0);
    expect(Array.from(emb.weight.grad).every((g) => g === 0)).toBe(true);

    const frozen = new Embedding('f', 6, 2, new Rng(3), { frozen: true });
    const f0 = Array.from(frozen.weight.value);
    embStep(frozen, new Adam(frozen.params(), { lr: 1, weightDecay: 0.5 }), [0, 1, 2]);
    expect(Array.from(frozen.weight.value)).toEqual(f0);
  });
});

describe('gradient clipping and checks', () => {
  function grads(): Param[] {
    const a = param('a', [0, 0]);
    a.grad.set([3, 4]);
    const e = new Embedding('e', 4, 2, new Rng(1));
    e.forward(Int32Array.from([2])).backward(fromArray([12, 0])); // sparse row 2: [12, 0]
    return [a, e.weight];
  }

  it('global norm spans dense and sparse params; clipping scales to exactly maxNorm', () => {
    const ps = grads();
    expect(globalGradNorm(ps)).toBeCloseTo(13, 6); // √(9 + 16 + 144)
    expect(clipGlobalNorm(ps, 26)).toBeCloseTo(13, 6); // below: untouched
    expect(Array.from(ps[0].grad)).toEqual([3, 4]);
    expect(clipGlobalNorm(ps, 1)).toBeCloseTo(13, 6); // returns the norm before clipping
    expect(globalGradNorm(ps)).toBeCloseTo(1, 6);
    expect(ps[0].grad[0]).toBeCloseTo(3 / 13, 6);
    expect(ps[1].grad[4]).toBeCloseTo(12 / 13, 6);
    expect(clipGlobalNorm(ps, Infinity)).toBeCloseTo(1, 6);
  });

  it('a non-finite norm is reported, gradients untouched; findNonFinite names the parameter', () => {
    const ps = grads();
    expect(findNonFinite(ps)).toBeNull();
    ps[1].grad[5] = NaN;
    expect(Number.isNaN(clipGlobalNorm(ps, 1))).toBe(true);
    expect(Array.from(ps[0].grad)).toEqual([3, 4]);
    expect(findNonFinite(ps)).toBe('e.weight');
    ps[0].grad[1] = -Infinity;
    expect(findNonFinite(ps)).toBe('a');
    ps[0].value[0] = Infinity;
    expect(findNonFinite(ps, 'value')).toBe('a');
  });

  it('clipByValue clamps into [−v, v]', () => {
    const ps = grads();
    expect(clipByValue(ps, 3.5)).toBe(2);
    expect(Array.from(ps[0].grad)).toEqual([3, 3.5]);
    expect(ps[1].grad[4]).toBe(3.5);
  });
});

describe('learning-rate schedules', () => {
  it('give the documented values', () => {
    expect([0, 5].map(constantLr(0.01))).toEqual([0.01, 0.01]);
    const inv = inverseTimeDecay(0.015, 0.05); // Ma & Hovy: lr / (1 + 0.05·epoch)
    expect(inv(0)).toBe(0.015);
    expect(inv(1)).toBeCloseTo(0.015 / 1.05, 15);
    expect(inv(10)).toBeCloseTo(0.01, 15);
    const ex = exponentialDecay(0.1, 0.5);
    expect([0, 1, 3].map(ex)).toEqual([0.1, 0.05, 0.0125]);
    const st = stepDecay(1, 3, 0.1);
    expect([0, 2, 3, 5, 6].map(st).map((v) => +v.toPrecision(12))).toEqual([1, 1, 0.1, 0.1, 0.01]);
  });

  it('reduce-on-plateau halves after `patience` bad epochs and resumes from its state', () => {
    const p = new ReduceOnPlateau({ lr: 1, patience: 1, factor: 0.5, minLr: 0.2 });
    const lrs = [0.5, 0.6, 0.6, 0.55, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7].map((f) => p.observe(f));
    expect(lrs).toEqual([1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2]);
    const q = new ReduceOnPlateau({ lr: 9, mode: 'min', patience: 0 });
    q.setState(JSON.parse(JSON.stringify(p.getState())));
    expect(q.lr).toBe(0.2);
  });
});

describe('exact resume (float32)', () => {
  /** Embedding → Dropout → Dense → CE on batch k, a deterministic function of k. */
  function makeModel(seed: number) {
    const rng = new Rng(seed);
    const emb = new Embedding('m.emb', 30, 5, rng, { paddingIdx: 0 });
    const drop = new Dropout(0.3, new Rng(seed + 1));
    const out = new Dense('m.out', 5, 4, rng);
    const ce = new SoftmaxCrossEntropy();
    const params = [...emb.params(), ...out.params()];
    const step = (k: number, opt: Optimizer): void => {
      const data = new Rng(1000 + k);
      const T = 3 + data.int(3), B = 2;
      const lengths = Int32Array.from([T, 1 + data.int(T)]);
      const ids = new Int32Array(T * B), gold = new Int32Array(T * B).fill(-1);
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) {
        if (t < lengths[b]) { ids[t * B + b] = 1 + data.int(29); gold[t * B + b] = data.int(4); }
      }
      zeroGrad(params);
      const e = emb.forward(ids);
      const d = drop.forward(e.y, T * B * 5, true);
      const o = out.forward(d.y, T * B);
      const l = ce.compute(o.y, gold, 4, { lengths, T });
      e.backward(d.backward(o.backward(l.dlogits)));
      clipGlobalNorm(params, 1);
      opt.step();
    };
    return { params, drop, step };
  }

  const optimizers: [string, (ps: Param[]) => Optimizer][] = [
    ['Adam (weight decay)', (ps) => new Adam(ps, { lr: 0.05, weightDecay: 0.01 })],
    ['SGD (Nesterov, L2)', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 })],
  ];

  it.each(optimizers)('%s: save after k steps, restore into fresh objects, continue = uninterrupted', (_n, makeOpt) => {
    const K = 5, total = 12;
    const ref = makeModel(1);
    const refOpt = makeOpt(ref.params);
    for (let k = 0; k < total; k++) ref.step(k, refOpt);

    const a = makeModel(1);
    const aOpt = makeOpt(a.params);
    for (let k = 0; k < K; k++) a.step(k, aOpt);
    // checkpoint: params as a float32 blob, optimizer JSON through a string, buffers copied, Rng state
    const { manifest, blob } = packParams(a.params);
    const st = aOpt.getState();
    const saved: OptimizerState = {
      json: JSON.parse(JSON.stringify(st.json)),
      buffers: Object.fromEntries(Object.entries(st.buffers).map(([k, v]) => [k, clone(v)])),
    };
    const dropState = JSON.stringify(a.drop.rng.getState());
    for (let k = K; k < K + 2; k++) a.step(k, aOpt); // the saved run goes on; must not affect the copy

    const b = makeModel(99); // different init: everything must come from the checkpoint
    const bOpt = makeOpt(b.params);
    unpackParams(b.params, JSON.parse(JSON.stringify(manifest)), blob);
    bOpt.setState(saved);
    b.drop.rng.setState(JSON.parse(dropState));
    for (let k = K; k < total; k++) b.step(k, bOpt);

    for (let i = 0; i < ref.params.length; i++) {
      const x: Buf = ref.params[i].value, y: Buf = b.params[i].value;
      expect(y.length).toBe(x.length);
      let same = true;
      for (let j = 0; j < x.length; j++) if (!Object.is(x[j], y[j])) same = false;
      expect(same, ref.params[i].name).toBe(true);
    }
    // and training did something
    expect(Array.from(ref.params[1].value)).not.toEqual(Array.from(makeModel(1).params[1].value));
  });

  it('setState rejects a state of other parameters or another optimizer, naming what differs', () => {
    const p = param('p', [1, 2]), q = param('q', [1]);
    const st = new Adam([p, q]).getState();
    expect(() => new Adam([p]).setState(st)).toThrow(/unknown: q/);
    expect(() => new Adam([p, param('r', [1])]).setState(st)).toThrow(/missing: r/);
    expect(() => new SGD([p, q], { lr: 1 }).setState(st)).toThrow(/not an SGD state/);
    const bad = { json: st.json, buffers: { ...st.buffers, 'q.v': zeros(3) } };
    expect(() => new Adam([p, q]).setState(bad)).toThrow(/'q.v' has 3 elements/);
    expect(() => new Adam([p, p])).toThrow(/appears twice/);
  });
});
